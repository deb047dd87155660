package io.leadflow.process;

import static io.leadflow.process.LeadScenarios.MONDAY_9;
import static io.leadflow.process.LeadScenarios.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadflow.capture.CapturedLead;
import io.leadflow.lead.LeadStage;

/**
 * The lifecycle on a real PostgreSQL server: the migrations, the engine's schema and the same
 * transactions as in production. Runs in CI always ({@code .ci/run} starts the server); on a
 * developer machine without PostgreSQL it is skipped with a message.
 */
class PostgresLifecycleTest {

    static PostgresDatabase db;
    static ProcessTestEngine t;
    static ProcessEngine engine;

    @BeforeAll
    static void createDatabase() throws SQLException {
        db = PostgresDatabase.create("lifecycle");
        t = db.t;
        engine = db.engine;
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        ClockUtil.reset();
        if (db != null) {
            db.drop();
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
    void theDeploymentCheck_readsTheDeployedForms_onPostgres() {
        // the forms' table read through the engine's table page query: PostgreSQL names its columns in lower case
        var forms = engine.getRepositoryService().createDeployment().name("forms-on-postgres");
        for (String form : java.util.List.of("accept-lead", "review-mql", "capture-lead", "qualify-lead")) {
            forms.addClasspathResource("forms/" + form + ".form");
        }
        forms.deploy();
        assertThat(io.leadflow.modeling.DeploymentCheck.deployedForms(engine))
                .contains("accept-lead", "review-mql", "capture-lead", "qualify-lead");
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

    @Test
    void aLeadWith2000EngagementsAndTenLongAttemptNotes_stillConverts_onPostgres() {
        ClockUtil.setCurrentTime(at(MONDAY_9));
        LeadScenarios s = new LeadScenarios(t, engine);

        String leadId = s.leadWith2000EngagementsAndTenLongNotes_toOpportunity();

        assertThat(s.running(leadId)).isFalse();
        assertThat(s.stages(leadId)).endsWith(LeadStage.OPPORTUNITY);
        assertThat(t.leads.get(leadId).scoreExplanation()).hasSizeLessThan(1000).contains("pageVisit: 1,995 events");
        assertThat(t.leads.attempts(leadId)).hasSize(10).allSatisfy(a -> assertThat(a.note()).hasSize(4000));
        t.leads.insertAttempt(leadId, 11, "email", "noAnswer", LeadScenarios.longNote(11, 5000), "sam", LeadScenarios.nowUtc());
        assertThat(t.leads.attempts(leadId)).last().satisfies(a -> assertThat(a.note()).hasSize(5000));
    }
}
