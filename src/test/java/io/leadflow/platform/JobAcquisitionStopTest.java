package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link CamundaInternals#stopJobAcquisition}: after it, a due job is no longer taken, and the engine closes as before. */
class JobAcquisitionStopTest {

    ProcessEngine engine;

    @BeforeEach
    void engine() {
        engine = ProcessEngineConfiguration.createStandaloneInMemProcessEngineConfiguration()
                .setJdbcUrl("jdbc:h2:mem:job-stop-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .setProcessEngineName("job-stop-" + UUID.randomUUID())
                .setJobExecutorActivate(true)
                .buildProcessEngine();
        engine.getRepositoryService().createDeployment().addModelInstance("async.bpmn", Bpmn.createExecutableProcess("async")
                .camundaHistoryTimeToLive(1).startEvent().serviceTask().camundaAsyncBefore().camundaExpression("${true}")
                .endEvent().done()).deploy();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void afterTheStop_aDueJobStaysForAnotherNode_whileBeforeItTheJobExecutorRanOne() {
        assertThat(CamundaInternals.acquiresJobs(engine)).isTrue();
        String first = engine.getRuntimeService().startProcessInstanceByKey("async").getId();
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceId(first).count() == 0);

        CamundaInternals.stopJobAcquisition(engine);
        CamundaInternals.stopJobAcquisition(engine); // the engine's own stop does it again: harmless
        String second = engine.getRuntimeService().startProcessInstanceByKey("async").getId();

        assertThat(CamundaInternals.acquiresJobs(engine)).isFalse();
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).until(() -> engine.getManagementService()
                .createJobQuery().processInstanceId(second).count() == 1);
    }
}
