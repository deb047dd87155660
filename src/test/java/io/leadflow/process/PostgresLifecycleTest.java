package io.leadflow.process;

import static io.leadflow.process.LeadScenarios.MONDAY_9;
import static io.leadflow.process.LeadScenarios.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.leadflow.capture.CapturedLead;
import io.leadflow.lead.LeadStage;

/**
 * The lifecycle on a real PostgreSQL server: the migrations, the engine's schema and the same
 * transactions as in production. Runs in CI always ({@code .ci/run} starts the server); on a
 * developer machine without PostgreSQL it is skipped with a message.
 */
class PostgresLifecycleTest {

    static final String ADMIN_URL = System.getenv().getOrDefault("LEADFLOW_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String DATABASE = "leadflow_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    static ProcessTestEngine t;
    static ProcessEngine engine;

    @BeforeAll
    static void createDatabase() throws SQLException {
        boolean reachable;
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "")) {
            reachable = true;
            try (Statement sql = admin.createStatement()) {
                sql.execute("create database " + DATABASE);
            }
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw e;
            }
            reachable = false;
        }
        assumeTrue(reachable, "PostgreSQL is not running on " + ADMIN_URL + " (CI starts it; locally: see README)");
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + DATABASE);
        pg.setUser("postgres");
        t = new ProcessTestEngine("postgres", pg);
        engine = t.configuration.buildProcessEngine();
        t.wire(engine);
        var deployment = engine.getRepositoryService().createDeployment().name("leadflow-postgres-test");
        for (String model : new String[] {"lead-lifecycle.bpmn", "lead-nurture.bpmn", "lead-follow-up.bpmn", "lead-notification.bpmn", "lead-fit.dmn",
                "mql-decision.dmn", "engagement-points.dmn", "lead-routing.dmn"}) {
            deployment.addClasspathResource("processes/" + model);
        }
        deployment.deploy();
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        ClockUtil.reset();
        if (engine != null) {
            engine.close();
        }
        if (t != null) {
            try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "");
                 Statement sql = admin.createStatement()) {
                sql.execute("drop database if exists " + DATABASE + " with (force)");
            }
        }
    }

    @Test
    void qualifiedLead_becomesAnOpportunity_onPostgres() {
        ClockUtil.setCurrentTime(at(MONDAY_9));
        LeadScenarios s = new LeadScenarios(t, engine);
        String leadId = s.acceptedStrongLead();
        s.attempt(leadId, "phone", "connected");
        s.complete(leadId, "Task_QualifyLead", "qualificationDecision", "qualified", "opportunityAmount", 12000,
                "timeline", "now", "budgetConfirmed", true);
        s.runJob(leadId, "Task_HandOverOpportunity");

        assertThat(s.running(leadId)).isFalse();
        assertThat(s.stages(leadId)).containsExactly(LeadStage.INQUIRY, LeadStage.MQL, LeadStage.SAL, LeadStage.SQL,
                LeadStage.OPPORTUNITY);
        assertThat(t.opportunities.find(leadId)).isPresent();
        assertThat(t.leads.get(leadId).createdAt().toInstant()).isEqualTo(MONDAY_9);
    }

    @Test
    void knownEmail_attachesToTheExistingLead_onPostgres() {
        LeadScenarios s = new LeadScenarios(t, engine);
        var lead = LeadScenarios.weakLead();
        String leadId = s.capture(lead);

        CapturedLead again = t.capture().capture(lead);

        assertThat(again.created()).isFalse();
        assertThat(again.leadId()).isEqualTo(leadId);
        assertThat(t.leads.engagements(leadId)).hasSize(2);
    }
}
