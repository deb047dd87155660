package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.Test;

/**
 * Why forms/contact-lead.form refuses notes over 4,000 characters: a String process variable is
 * stored in the engine's varchar(4000) columns (ACT_RU_VARIABLE.TEXT_, ACT_HI_VARINST.TEXT_,
 * ACT_HI_DETAIL.TEXT_), and a longer one fails the whole command on H2 and on PostgreSQL.
 */
class EngineStringLimitTest {

    static final BpmnModelInstance WAIT = Bpmn.createExecutableProcess("waitForNote").camundaHistoryTimeToLive(1)
            .startEvent().userTask("Task_Wait").endEvent().done();

    @Test
    void stringVariableOf4000Characters_isStored_butOf4001Fails_onH2() {
        ProcessTestEngine t = new ProcessTestEngine("string-limit");
        ProcessEngine engine = t.configuration.buildProcessEngine();
        try {
            assertLimit(engine);
        } finally {
            engine.close();
        }
    }

    @Test
    void stringVariableOf4000Characters_isStored_butOf4001Fails_onPostgres() throws SQLException {
        PostgresDatabase db = PostgresDatabase.create("stringlimit");
        try {
            assertLimit(db.engine);
        } finally {
            db.drop();
        }
    }

    private static void assertLimit(ProcessEngine engine) {
        engine.getRepositoryService().createDeployment().addModelInstance("wait.bpmn", WAIT).deploy();
        String id = engine.getRuntimeService().startProcessInstanceByKey("waitForNote").getId();
        String taskId = engine.getTaskService().createTaskQuery().processInstanceId(id).singleResult().getId();

        engine.getTaskService().setVariable(taskId, "contactNote", "n".repeat(4000));
        assertThat((String) engine.getRuntimeService().getVariable(id, "contactNote")).hasSize(4000);

        assertThatThrownBy(() -> engine.getTaskService().complete(taskId, Map.of("contactNote", "n".repeat(4001))))
                .hasStackTraceContaining("4000");
        assertThat(engine.getTaskService().createTaskQuery().taskId(taskId).count()).as("task still open").isOne();
    }
}
