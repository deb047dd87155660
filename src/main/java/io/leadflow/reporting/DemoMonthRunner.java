package io.leadflow.reporting;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.TaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.leadflow.assignment.AssignmentProperties;
import io.leadflow.capture.LeadCaptureService;
import io.leadflow.nurture.EngagementService;
import io.leadflow.sla.EngineClock;
import io.leadflow.sla.SlaProperties;

/**
 * {@code --leadflow.demo-data.month=true}: at start-up, fills an empty database with a simulated
 * month of leads ({@link DemoMonth}, configured under {@code leadflow.demo-data}); a database that
 * has leads is left alone.
 */
@Component
@ConditionalOnProperty(name = "leadflow.demo-data.month", havingValue = "true")
public class DemoMonthRunner implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(DemoMonthRunner.class);

    private final DemoMonth month;
    private final JdbcClient jdbc;
    private final EngineClock clock;

    public DemoMonthRunner(DemoDataProperties config, LeadCaptureService capture, EngagementService engagements,
                           TaskService tasks, ManagementService management, EngineClock clock,
                           AssignmentProperties assignment, SlaProperties sla, JdbcClient jdbc) {
        this.month = new DemoMonth(config, capture, engagements, tasks, management, clock, assignment, sla.zone());
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!DemoMonth.isEmpty(jdbc)) {
            LOG.warn("Demo month not made: the database already has leads");
            return;
        }
        LOG.info("Making the demo month: capturing leads and working their tasks over simulated time …");
        month.run(clock.now());
    }
}
