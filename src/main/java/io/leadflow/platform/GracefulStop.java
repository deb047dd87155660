package io.leadflow.platform;

import org.camunda.bpm.engine.ProcessEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A node asked to stop (SIGTERM: a rolling restart, docker stop) takes no new jobs at once and lets
 * the running ones finish within the graceful shutdown's wait, while its connection pool is still
 * open. Before, the job acquisition ran until the engine itself closed, after that wait: in a wave of
 * SLA timers it kept the job threads busy for the whole 30 s, the pool then closed under running
 * jobs, and the jobs it had locked waited out their lock (5 minutes) before another node ran them.
 * Jobs already in the job threads' queue run before the pool stops ({@link FinishQueuedJobs}).
 */
@Component
class GracefulStop {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

    private final ProcessEngine engine;

    GracefulStop(ProcessEngine engine) {
        this.engine = engine;
    }

    /** First of all that happens at the close: the process application's undeploy and the imports' stop come after. */
    @org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
    @EventListener(ContextClosedEvent.class)
    void stopTakingJobs() {
        if (CamundaInternals.stopJobAcquisition(engine)) {
            LOG.info("Stopping: this node takes no new jobs; the running ones finish");
        }
    }

    /**
     * The job threads' pool finishes the jobs it holds in its queue when it stops (up to 25 s, inside the
     * graceful shutdown's 30): the acquisition had locked them, and dropped they stayed locked for the
     * lock time (5 minutes), with every other timer of their leads behind them.
     */
    @Component
    static class FinishQueuedJobs implements org.springframework.beans.factory.config.BeanPostProcessor {

        static final String EXECUTOR = "camundaTaskExecutor";

        @Override
        public Object postProcessBeforeInitialization(Object bean, String name) {
            if (EXECUTOR.equals(name) && bean instanceof org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor executor) {
                finishQueued(executor);
            }
            return bean;
        }

        static void finishQueued(org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor executor) {
            executor.setWaitForTasksToCompleteOnShutdown(true);
            executor.setAwaitTerminationSeconds(25);
        }
    }
}
