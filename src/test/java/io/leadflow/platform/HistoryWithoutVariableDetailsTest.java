package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.history.UserOperationLogEntry;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.Test;

import io.leadflow.process.PostgresDatabase;

/**
 * leadflow's history level records what Camunda's {@code full} records, except the variable
 * details; and an installation whose database recorded {@code full} starts with it, and back.
 * Engines without Spring on in-memory H2, and the switch once more on PostgreSQL (lower-case tables).
 */
class HistoryWithoutVariableDetailsTest {

    static final BpmnModelInstance MODEL = Bpmn.createExecutableProcess("historyLevelProbe")
            .camundaHistoryTimeToLive(1)
            .startEvent()
            .serviceTask("timed").camundaAsyncBefore().camundaExpression("${true}")
            .userTask("review").camundaCandidateGroups("marketing")
            .endEvent()
            .done();

    @Test
    void recordsTasksVariablesOperationLogAndJobLog_butNoVariableDetails() {
        ProcessEngine engine = engine(newDatabase(), HistoryWithoutVariableDetails.NAME);
        try {
            Map<String, Long> recorded = runProbe(engine);
            assertThat(engine.getManagementService().getHistoryLevel()).isEqualTo(HistoryWithoutVariableDetails.ID);
            assertThat(recorded).containsEntry("variableDetails", 0L)
                    .containsEntry("variables", 3L)
                    .containsEntry("latestValueOfScore", 70L)
                    .containsEntry("claimsLogged", 1L)
                    .containsEntry("jobLogEntries", 2L /* created, succeeded */)
                    .containsEntry("taskInstances", 1L)
                    .containsEntry("identityLinks", 2L /* the candidate group, the assignee */);
        } finally {
            engine.close();
        }
    }

    @Test
    void camundasFullRecordsTheSame_andTheDetailsBesides() {
        ProcessEngine engine = engine(newDatabase(), ProcessEngineConfiguration.HISTORY_FULL);
        try {
            Map<String, Long> recorded = runProbe(engine);
            assertThat(recorded.get("variableDetails")).as("every value every variable had").isEqualTo(5L);
            assertThat(recorded).containsEntry("variables", 3L).containsEntry("latestValueOfScore", 70L)
                    .containsEntry("claimsLogged", 1L).containsEntry("jobLogEntries", 2L).containsEntry("taskInstances", 1L)
                    .containsEntry("identityLinks", 2L);
        } finally {
            engine.close();
        }
    }

    @Test
    void aDatabaseRecordedAtFull_startsWithThisLevel_andBackAtFull() {
        switchesFromFullAndBack(newDatabase());
    }

    @Test
    void onPostgres_aDatabaseRecordedAtFull_startsWithThisLevel_andBackAtFull() throws Exception {
        PostgresDatabase.Empty database = PostgresDatabase.empty("history_level");
        try {
            switchesFromFullAndBack(database.url() + "?user=postgres");
        } finally {
            database.drop();
        }
    }

    private static void switchesFromFullAndBack(String database) {
        engine(database, ProcessEngineConfiguration.HISTORY_FULL).close();

        ProcessEngine upgraded = engine(database, HistoryWithoutVariableDetails.NAME);
        try {
            assertThat(upgraded.getManagementService().getProperties()).containsEntry("historyLevel",
                    Integer.toString(HistoryWithoutVariableDetails.ID));
            assertThat(runProbe(upgraded)).containsEntry("variableDetails", 0L);
        } finally {
            upgraded.close();
        }

        ProcessEngine back = engine(database, ProcessEngineConfiguration.HISTORY_FULL);
        try {
            assertThat(back.getManagementService().getProperties()).containsEntry("historyLevel", "3");
        } finally {
            back.close();
        }
    }

    @Test
    void aDatabaseRecordedAtAnotherLevel_isLeftToTheEnginesCheck() {
        String database = newDatabase();
        engine(database, ProcessEngineConfiguration.HISTORY_AUDIT).close();

        assertThatThrownBy(() -> engine(database, HistoryWithoutVariableDetails.NAME).close())
                .hasMessageContaining("historyLevel mismatch");
    }

    /** Starts the probe: 3 variables set, one changed twice, an async job run, the task claimed by sam. */
    private static Map<String, Long> runProbe(ProcessEngine engine) {
        engine.getRepositoryService().createDeployment().addModelInstance("probe.bpmn", MODEL).deploy();
        ProcessInstance instance = engine.getRuntimeService().startProcessInstanceByKey("historyLevelProbe",
                Map.of("email", "ann@example.com", "leadScore", 40, "fitGrade", "B"));
        String id = instance.getId();
        engine.getRuntimeService().setVariable(id, "leadScore", 55);
        engine.getRuntimeService().setVariable(id, "leadScore", 70);
        String job = engine.getManagementService().createJobQuery().processInstanceId(id).singleResult().getId();
        engine.getManagementService().executeJob(job);
        Task task = engine.getTaskService().createTaskQuery().processInstanceId(id).singleResult();
        engine.getIdentityService().setAuthenticatedUserId("mona");
        try {
            engine.getTaskService().claim(task.getId(), "sam");
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
        var history = engine.getHistoryService();
        return Map.of(
                "variableDetails", history.createHistoricDetailQuery().processInstanceId(id).count(),
                "variables", history.createHistoricVariableInstanceQuery().processInstanceId(id).count(),
                "latestValueOfScore", ((Integer) history.createHistoricVariableInstanceQuery().processInstanceId(id)
                        .variableName("leadScore").singleResult().getValue()).longValue(),
                "claimsLogged", history.createUserOperationLogQuery().taskId(task.getId())
                        .operationType(UserOperationLogEntry.OPERATION_TYPE_CLAIM).count(),
                "jobLogEntries", history.createHistoricJobLogQuery().processInstanceId(id).count(),
                "taskInstances", history.createHistoricTaskInstanceQuery().processInstanceId(id).count(),
                "identityLinks", history.createHistoricIdentityLinkLogQuery().taskId(task.getId()).count());
    }

    private static String newDatabase() {
        return "jdbc:h2:mem:history-level-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    private static ProcessEngine engine(String url, String history) {
        ProcessEngineConfiguration configuration = ProcessEngineConfiguration.createStandaloneInMemProcessEngineConfiguration()
                .setProcessEngineName("history-level-" + UUID.randomUUID())
                .setJdbcUrl(url)
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
                .setJobExecutorActivate(false)
                .setHistory(history);
        HistoryWithoutVariableDetails.register(configuration);
        return configuration.buildProcessEngine();
    }
}
