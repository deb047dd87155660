package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.process.Bursts;
import io.leadflow.lead.Lead;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadStage;
import io.leadflow.scoring.LeadScorer;

/**
 * Bursts of engagement events for one lead, as marketing automation sends them: every event is
 * accepted, stored and scored, and an archived lead is revived once (H2; PostgreSQL:
 * PostgresConcurrencyTest).
 */
class EngagementConcurrencyTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    @Autowired
    JdbcClient jdbc;
    @Autowired
    LeadRepository leads;
    @Autowired
    LeadScorer scorer;
    @Autowired
    DecisionService decisions;
    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;
    @Autowired
    HistoryService history;

    /** Software, 20 employees, Brazil: fit 19 (grade C) + 10 for the form fill; six page visits keep it below the MQL threshold. */
    String captureNurturedLead(String email) {
        Map<String, Object> created = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(weakLead(email)).retrieve().body(MAP);
        String leadId = (String) created.get("id");
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(leadNumber(leadId)).processDefinitionKey("leadNurture")
                .count()).as("waits in nurture").isEqualTo(1);
        return leadId;
    }

    static Map<String, Object> weakLead(String email) {
        return new HashMap<>(Map.of("email", email, "firstName", "Nina", "lastName", "Nurtured", "company", "Small Software Ltda",
                "industry", "software", "companySize", 20, "country", "BR"));
    }

    /** The nurture's quiet period passes (its timer runs now, as the job executor would when it is due): the lead is archived. */
    String captureArchivedLead(String email) {
        String leadId = captureNurturedLead(email);
        String nurture = runtime.createProcessInstanceQuery().processInstanceBusinessKey(leadNumber(leadId))
                .processDefinitionKey("leadNurture").singleResult().getId();
        Job quietPeriod = management.createJobQuery().processInstanceId(nurture).activityId("Timer_QuietPeriodPassed").singleResult();
        management.executeJob(quietPeriod.getId());
        assertThat(leads.get(leadId).stage()).isEqualTo(LeadStage.ARCHIVED);
        assertThat(runningLifecycles(leadId)).isZero();
        return leadId;
    }

    ResponseEntity<Map<String, Object>> postEvent(String leadId, String json) {
        return http.post().uri("/api/leads/{id}/engagements", leadId).contentType(MediaType.APPLICATION_JSON).body(json)
                .retrieve().toEntity(MAP);
    }

    /** Runs the calls at once: all threads wait at a barrier, then send together. */
    static <T> List<T> atOnce(int n, java.util.function.IntFunction<T> call) throws Exception {
        return Bursts.atOnce(n, n, call);
    }

    long runningLifecycles(String leadId) {
        return runtime.createProcessInstanceQuery().processInstanceBusinessKey(leadNumber(leadId)).processDefinitionKey("leadLifecycle").count();
    }

    long count(String sql, Object... params) {
        var statement = jdbc.sql(sql);
        for (Object param : params) {
            statement = statement.param(param);
        }
        return statement.query(Long.class).single();
    }

    static String email(String name) {
        return name + "-" + System.nanoTime() + "@example.com";
    }

    @Test
    void sixParallelEventsOnANurturedLead_areAllAcceptedStoredAndScored() throws Exception {
        // given a lead waiting in nurture
        String leadId = captureNurturedLead(email("burst"));

        // when marketing automation posts six events for it at once
        List<ResponseEntity<Map<String, Object>>> answers = atOnce(6, i -> postEvent(leadId, """
                {"type": "pageVisit", "detail": "burst %d"}""".formatted(i)));

        // then every event is accepted, stored, and woke the nurture, which re-scored with all of them
        assertThat(answers).extracting(a -> a.getStatusCode().value()).containsOnly(202);
        assertThat(answers).extracting(a -> a.getBody().get("wokeNurture")).containsOnly(true);
        assertThat(count("select count(*) from lead_engagement where lead_id = ? and detail like 'burst %'", leadId)).isEqualTo(6);
        Lead lead = leads.get(leadId);
        int scoreOfEveryStoredEvent = scorer.score(lead, leads.engagementSummary(leadId, OffsetDateTime.now(ZoneOffset.UTC), scorer.halfLife()), io.leadflow.scoring.ScoringTables.recordedBy(decisions)).engagementScore();
        assertThat(lead.engagementScore()).as("the stored engagement score counts the capture and all six visits")
                .isEqualTo(scoreOfEveryStoredEvent);
        assertThat(lead.stage()).isEqualTo(LeadStage.NURTURING);
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(leadNumber(leadId)).processDefinitionKey("leadNurture")
                .count()).as("still one nurture, waiting for the next event").isEqualTo(1);
    }

    @Test
    void sixParallelEventsByEmail_areAllAccepted() throws Exception {
        String email = email("burst-by-email");
        String leadId = captureNurturedLead(email);

        List<ResponseEntity<Map<String, Object>>> answers = atOnce(6, i -> http.post().uri("/api/engagements")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"email\": \"%s\", \"type\": \"emailClick\", \"detail\": \"burst %d\"}".formatted(email, i))
                .retrieve().toEntity(MAP));

        assertThat(answers).extracting(a -> a.getStatusCode().value()).containsOnly(202);
        assertThat(count("select count(*) from lead_engagement where lead_id = ? and detail like 'burst %'", leadId)).isEqualTo(6);
    }

    @Test
    void eightParallelEventsOnAnArchivedLead_startExactlyOneLifecycle() throws Exception {
        // given a lead that went cold and was archived
        String leadId = captureArchivedLead(email("archived"));

        // when eight events for it arrive at once
        List<ResponseEntity<Map<String, Object>>> answers = atOnce(8, i -> postEvent(leadId, """
                {"type": "download", "detail": "revival %d"}""".formatted(i)));

        // then all are recorded, and exactly one of them revived the lead with a new lifecycle
        assertThat(answers).extracting(a -> a.getStatusCode().value()).containsOnly(202);
        assertThat(count("select count(*) from lead_engagement where lead_id = ? and detail like 'revival %'", leadId)).isEqualTo(8);
        assertThat(runningLifecycles(leadId)).isEqualTo(1);
        assertThat(history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(leadNumber(leadId))
                .processDefinitionKey("leadLifecycle").count()).as("the first lifecycle and one revival").isEqualTo(2);
        assertThat(count("select count(*) from lead_stage_entry where lead_id = ? and note like 'revived by new engagement%'", leadId))
                .isEqualTo(1);
        assertThat(leads.get(leadId).stage()).isNotEqualTo(LeadStage.ARCHIVED);
    }

    @Test
    void eightParallelResubmissionsOfAnArchivedLead_startExactlyOneLifecycle() throws Exception {
        // given a lead that went cold and was archived
        String email = email("resubmitted");
        String leadId = captureArchivedLead(email);

        // when its web form is submitted eight times at once
        List<ResponseEntity<Map<String, Object>>> answers = atOnce(8, i -> http.post().uri("/api/leads")
                .contentType(MediaType.APPLICATION_JSON).body(weakLead(email)).retrieve().toEntity(MAP));

        // then each attaches to the lead, and exactly one revives it
        assertThat(answers).extracting(a -> a.getStatusCode().value()).containsOnly(200);
        assertThat(answers).extracting(a -> a.getBody().get("id")).containsOnly(leadId);
        assertThat(runningLifecycles(leadId)).isEqualTo(1);
        assertThat(count("select count(*) from lead_stage_entry where lead_id = ? and note like 'revived by new engagement%'", leadId))
                .isEqualTo(1);
    }
}
