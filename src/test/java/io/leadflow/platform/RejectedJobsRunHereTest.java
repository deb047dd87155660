package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.jobexecutor.DefaultJobExecutor;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;

/**
 * A node that stops while its job pool is full leaves no job locked: with {@link CamundaInternals.RejectedJobsRunHere}
 * the jobs the pool turned away are run or unlocked; with the engine's default some stay locked for the lock time.
 */
class RejectedJobsRunHereTest {

    /** A step that takes a while, so the pool (one thread, a queue of one) turns jobs away. */
    public static class Slow implements JavaDelegate {
        @Override
        public void execute(DelegateExecution execution) throws Exception {
            Thread.sleep(150);
        }
    }

    static long lockedAfterAStopInTheMiddleOfAWave(boolean runRejectedHere) throws Exception {
        String url = "jdbc:h2:mem:rejected-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        DefaultJobExecutor pool = new DefaultJobExecutor();
        pool.setCorePoolSize(1);
        pool.setMaxPoolSize(1);
        pool.setQueueSize(1);
        pool.setMaxJobsPerAcquisition(3);
        pool.setWaitTimeInMillis(50);
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) new StandaloneInMemProcessEngineConfiguration()
                .setJdbcUrl(url).setProcessEngineName("rejected-" + UUID.randomUUID()).setJobExecutorActivate(false);
        configuration.setJobExecutor(pool);
        if (runRejectedHere) {
            CamundaInternals.RejectedJobsRunHere.register(configuration);
        }
        ProcessEngine engine = configuration.buildProcessEngine();
        try {
            engine.getRepositoryService().createDeployment().addModelInstance("slow.bpmn", Bpmn.createExecutableProcess("slow")
                    .camundaHistoryTimeToLive(1).startEvent().serviceTask().camundaAsyncBefore().camundaClass(Slow.class.getName())
                    .endEvent().done()).deploy();
            for (int i = 0; i < 40; i++) {
                engine.getRuntimeService().startProcessInstanceByKey("slow");
            }
            pool.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.getManagementService().createJobQuery().count() <= 30);
            CamundaInternals.stopJobAcquisition(engine);
            Thread.sleep(1000); // the job in hand and the queued one end (the queue unlocks what it no longer runs)
            try (Connection c = DriverManager.getConnection(url, "sa", ""); ResultSet rs = c.createStatement()
                    .executeQuery("select count(*) from ACT_RU_JOB where LOCK_OWNER_ is not null")) {
                rs.next();
                return rs.getLong(1);
            }
        } finally {
            engine.close();
        }
    }

    @Test
    void aStopDuringAWave_leavesNoJobLocked_whereTheEnginesDefaultLeftTheTurnedAwayOnesLocked() throws Exception {
        assertThat(lockedAfterAStopInTheMiddleOfAWave(true)).isZero();
        assertThat(lockedAfterAStopInTheMiddleOfAWave(false)).as("the engine's default").isPositive();
    }
}
