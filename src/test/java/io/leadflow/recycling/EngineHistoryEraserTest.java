package io.leadflow.recycling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricJobLog;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.leadflow.process.ProcessTestEngine;

/**
 * The SQL the public API cannot replace ({@link EngineHistoryEraser}), on a real engine without
 * Spring: a process whose task name, comment, incident and job failures name a contact.
 */
public class EngineHistoryEraserTest {

    static final String CONTACT = "Quirina Testperson";

    static ProcessTestEngine T;
    static ProcessEngine engine;

    @BeforeAll
    static void engine() {
        T = new ProcessTestEngine("eraser-test");
        engine = T.configuration.buildProcessEngine();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void historyNamingAContact_losesTaskName_comment_incidentAndJobFailureMessages_andKeepsTheRest() {
        erasesWhatThePublicApiCannot(engine, T.jdbc);
    }

    /** The whole test on a given engine and its database (also run on PostgreSQL by {@code PostgresErasureTest}). */
    public static void erasesWhatThePublicApiCannot(ProcessEngine engine, JdbcClient jdbc) {
        engine.getRepositoryService().createDeployment().addModelInstance("eraser-test.bpmn",
                Bpmn.createExecutableProcess("eraserTest").camundaHistoryTimeToLive(1)
                        .startEvent()
                        .userTask("Task_CallContact").name("Call ${contact}")
                        .serviceTask("Task_Fail").camundaAsyncBefore()
                                // fails with the contact in the message ("Cannot find task with id Quirina Testperson")
                                .camundaExpression("${execution.processEngineServices.taskService.complete(contact)}")
                        .endEvent()
                        .done())
                .deploy();
        EngineHistoryEraser eraser = new EngineHistoryEraser(jdbc);

        // given an instance whose task, comment, incident and job failures name the contact
        String pid = engine.getRuntimeService().startProcessInstanceByKey("eraserTest", Map.of("contact", CONTACT)).getId();
        String taskId = engine.getTaskService().createTaskQuery().processInstanceId(pid).singleResult().getId();
        engine.getTaskService().createComment(taskId, pid, "talked to " + CONTACT);
        engine.getTaskService().complete(taskId);
        Job job = engine.getManagementService().createJobQuery().processInstanceId(pid).singleResult();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> engine.getManagementService().executeJob(job.getId())).hasMessageContaining(CONTACT);
        }
        HistoryService history = engine.getHistoryService();
        assertThat(history.createHistoricTaskInstanceQuery().taskId(taskId).singleResult().getName()).contains(CONTACT);
        assertThat(history.createHistoricIncidentQuery().processInstanceId(pid).singleResult().getIncidentMessage()).contains(CONTACT);
        assertThatThrownBy(() -> engine.getTaskService().deleteTaskComments(taskId))
                .as("why the comments of a completed task need SQL").hasMessageContaining("No task exists");

        // when
        int comments = eraser.deleteCommentsOfCompletedTask(taskId);
        int tasks = eraser.replaceTaskText(taskId, "Task_CallContact");
        int incidents = eraser.clearIncidentMessages(pid);
        int jobLogs = eraser.clearJobLogExceptions(pid);

        // then
        assertThat(List.of(comments, tasks, incidents, jobLogs)).containsExactly(1, 1, 1, 3);
        assertThat(engine.getTaskService().getTaskComments(taskId)).isEmpty();
        assertThat(history.createHistoricTaskInstanceQuery().taskId(taskId).singleResult().getName()).isEqualTo("Task_CallContact");
        assertThat(history.createHistoricIncidentQuery().processInstanceId(pid).singleResult().getIncidentMessage()).isNull();
        List<HistoricJobLog> failures = history.createHistoricJobLogQuery().processInstanceId(pid).failureLog().list();
        assertThat(failures).hasSize(3).allSatisfy(log -> {
            assertThat(log.getJobExceptionMessage()).isNull();
            assertThat(history.getHistoricJobLogExceptionStacktrace(log.getId())).doesNotContain(CONTACT).isEqualTo("erased on request");
        });
        assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(pid).count())
                .as("the open incident itself stays (only history is erased)").isEqualTo(1);
        assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(pid).count())
                .as("the path through the process stays").isPositive();
    }
}
