package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leadflow.security.OnlyTheAssigneeCompletes;

/**
 * The listener {@link CamundaInternals.EveryUserTask} adds runs on every user task of every model,
 * one that names no listener included: with {@link OnlyTheAssigneeCompletes}, a person completes
 * only a task assigned to them or to nobody; the engine's own steps (nobody authenticated) are not
 * concerned.
 */
class EveryUserTaskTest {

    ProcessEngine engine;

    @BeforeEach
    void engine() {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
                .createStandaloneInMemProcessEngineConfiguration()
                .setProcessEngineName("every-user-task-" + UUID.randomUUID())
                .setJdbcUrl("jdbc:h2:mem:every-user-task-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
                .setJobExecutorActivate(false);
        CamundaInternals.EveryUserTask.register(configuration, TaskListener.EVENTNAME_COMPLETE, new OnlyTheAssigneeCompletes());
        engine = configuration.buildProcessEngine();
        engine.getRepositoryService().createDeployment().addModelInstance("plain.bpmn", Bpmn.createExecutableProcess("plain")
                .camundaHistoryTimeToLive(1).startEvent().userTask("Task_Plain").name("Plain task").endEvent().done()).deploy();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    Task task(String assignee) {
        engine.getRuntimeService().startProcessInstanceByKey("plain");
        Task task = engine.getTaskService().createTaskQuery().taskUnassigned().singleResult();
        engine.getTaskService().setAssignee(task.getId(), assignee);
        return task;
    }

    void completeAs(String user, Task task) {
        engine.getIdentityService().setAuthentication(user, List.of("sales"));
        try {
            engine.getTaskService().complete(task.getId());
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
    }

    @Test
    void somebodyElsesTask_isNotCompleted_byAModelWithoutListeners() {
        Task saras = task("sara");

        assertThatThrownBy(() -> completeAs("sam", saras)).hasMessageContaining(OnlyTheAssigneeCompletes.MARKER)
                .hasMessageContaining("Task 'Plain task' is assigned to sara now: only sara may complete it");
        assertThat(engine.getTaskService().createTaskQuery().taskId(saras.getId()).count()).as("still open").isOne();
    }

    @Test
    void theAssignee_anyoneOnAnUnassignedTask_andTheEngineItself_complete() {
        Task saras = task("sara");
        completeAs("sara", saras);
        Task nobodys = task(null);
        completeAs("sam", nobodys);
        Task byEngine = task("sara");
        engine.getTaskService().complete(byEngine.getId());

        assertThat(engine.getTaskService().createTaskQuery().count()).isZero();
    }
}
