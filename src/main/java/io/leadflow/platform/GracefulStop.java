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
 */
@Component
class GracefulStop {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

    private final ProcessEngine engine;

    GracefulStop(ProcessEngine engine) {
        this.engine = engine;
    }

    @EventListener(ContextClosedEvent.class)
    void stopTakingJobs() {
        if (CamundaInternals.acquiresJobs(engine)) {
            CamundaInternals.stopJobAcquisition(engine);
            LOG.info("Stopping: this node takes no new jobs; the running ones finish");
        }
    }
}
