package io.leadflow.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadflow.lead.LeadRepository.EngagementSummary;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.NewLead;
import io.leadflow.process.ProcessTestEngine;

/** Scoring cost does not grow with the number of events: the engagement table is evaluated once per event type. */
class LeadScorerTest {

    static final OffsetDateTime NOW = OffsetDateTime.of(2026, 11, 23, 8, 0, 0, 0, ZoneOffset.UTC);

    static ProcessTestEngine t;
    static ProcessEngine engine;

    @BeforeAll
    static void engineWithTheDecisionTables() {
        t = new ProcessTestEngine("scorer");
        engine = t.configuration.buildProcessEngine();
        engine.getRepositoryService().createDeployment()
                .addClasspathResource("processes/lead-fit.dmn")
                .addClasspathResource("processes/engagement-points.dmn")
                .deploy();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    @Test
    void leadWith2000Events_isScoredWithOneEngagementEvaluationPerType_andOneReasonPerType() {
        String leadId = lead();
        for (int i = 0; i < 2000; i++) {
            String type = i % 4 == 0 ? "download" : "pageVisit";
            t.leads.insertEngagement(leadId, type, NOW.minusDays(i % 90).minusMinutes(i), "event " + i, NOW);
        }
        Map<String, AtomicInteger> evaluations = new ConcurrentHashMap<>();
        LeadScorer scorer = new LeadScorer(t.sla);

        List<EngagementSummary> summary = t.leads.engagementSummary(leadId, NOW, scorer.halfLife());
        ScoreCard card = scorer.score(t.leads.get(leadId), summary, counting(new DeployedScoringTables(engine.getRepositoryService(), true), evaluations));

        assertThat(evaluations.get("engagementPoints")).as("evaluations of the engagement table").hasValue(2);
        assertThat(card.reasons()).filteredOn(r -> r.component().equals("engagement")).hasSize(2);
        assertThat(card.engagementScore()).isEqualTo(ScoreCard.MAX_ENGAGEMENT);
        assertThat(card.explanation()).hasSizeLessThan(1000)
                .contains("Engagement 50/50 (capped, 2974 before the cap)")
                .contains("pageVisit: 1,500 events, latest 2026-11-23 (2 points each, decayed to ")
                .contains("download: 500 events");
    }

    @Test
    void theLatestEventsDay_isTheAgreementsDay_notUtcs() {
        var webinar = new io.leadflow.lead.LeadRepository.EngagementSummary("webinar", 1, 1.0,
                java.time.OffsetDateTime.parse("2026-11-24T23:30:00Z")); // 00:30 on Wednesday in Berlin
        assertThat(LeadScorer.describe(webinar, 15, java.time.ZoneId.of("Europe/Berlin")))
                .isEqualTo("webinar: 1 event, latest 2026-11-25 (15 points each)");
    }

    @Test
    void eventsAreDecayedByTheirAge_andEventsFromTheFutureCountInFull() {
        String leadId = lead();
        t.leads.insertEngagement(leadId, "webinar", NOW.minusDays(30), "a month ago", NOW);
        t.leads.insertEngagement(leadId, "webinar", NOW.minusDays(60), "two months ago", NOW);
        t.leads.insertEngagement(leadId, "download", NOW.plusDays(1), "clock skew", NOW);
        LeadScorer scorer = new LeadScorer(t.sla);

        List<EngagementSummary> summary = t.leads.engagementSummary(leadId, NOW, Duration.ofDays(30));
        ScoreCard card = scorer.score(t.leads.get(leadId), summary, new DeployedScoringTables(engine.getRepositoryService(), true));

        assertThat(summary).extracting(EngagementSummary::type, EngagementSummary::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("download", 1), org.assertj.core.groups.Tuple.tuple("webinar", 2));
        assertThat(summary.get(1).weight()).isCloseTo(0.75, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(summary.get(1).latestAt().toInstant()).isEqualTo(NOW.minusDays(30).toInstant());
        // 15 * (0.5 + 0.25) + 8 = 19.25
        assertThat(card.engagementScore()).isEqualTo(19);
        assertThat(card.explanation()).contains("+11 webinar: 2 events, latest 2026-10-24 (15 points each, decayed to 38%)",
                "+8 download: 1 event, latest 2026-11-24 (8 points each)");
    }

    @Test
    void scoringWritesNoDecisionHistory_andADeployedTableAppliesToTheNextLeadAtOnce() throws Exception {
        String leadId = lead();
        ScoringTables tables = new DeployedScoringTables(engine.getRepositoryService(), true);
        LeadScorer scorer = new LeadScorer(t.sla);
        long decisionsBefore = engine.getHistoryService().createHistoricDecisionInstanceQuery().count();

        ScoreCard before = scorer.score(t.leads.get(leadId), List.of(), tables);

        assertThat(engine.getHistoryService().createHistoricDecisionInstanceQuery().count())
                .as("scoring is explained by the lead record's reasons, not the engine's decision history")
                .isEqualTo(decisionsBefore);
        assertThat(before.reasons()).extracting(r -> r.reason()).contains("Industry is core ICP (software, SaaS)");

        // a process owner deploys a new version from Modeler: core industries now give 5 points instead of 15
        String changed = new String(getClass().getResourceAsStream("/processes/lead-fit.dmn").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8)
                .replace("<outputEntry id=\"LE_IndustryCore_1\"><text>15</text>", "<outputEntry id=\"LE_IndustryCore_1\"><text>5</text>");
        engine.getRepositoryService().createDeployment().addString("lead-fit.dmn", changed).deploy();

        ScoreCard after = scorer.score(t.leads.get(leadId), List.of(), tables);

        assertThat(after.reasons()).filteredOn(r -> r.reason().startsWith("Industry is core ICP")).singleElement()
                .satisfies(r -> assertThat(r.points()).isEqualTo(5));
        // and each explanation says which rules gave its points: a lead scored before the change still reads as it was scored
        int fitVersion = engine.getRepositoryService().createDecisionDefinitionQuery().decisionDefinitionKey("leadFit").latestVersion()
                .singleResult().getVersion();
        assertThat(before.explanation()).contains("\nRules: leadFit version " + (fitVersion - 1) + " (2026.11), leadFitGrade version ",
                ", engagementPoints version ");
        assertThat(after.explanation()).contains("\nRules: leadFit version " + fitVersion + " (2026.11), leadFitGrade version ");
    }

    @Test
    void aRuleThatTakesPointsAway_neverLeavesTheLeadBelowNoFit_soItStillGetsAGrade() throws Exception {
        String released = new String(getClass().getResourceAsStream("/processes/lead-fit.dmn").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        // a process owner makes the core industries a competitor's: 60 points off
        engine.getRepositoryService().createDeployment().addString("lead-fit.dmn",
                released.replace("<outputEntry id=\"LE_IndustryCore_1\"><text>15</text>", "<outputEntry id=\"LE_IndustryCore_1\"><text>-60</text>"))
                .deploy();
        try {
            ScoreCard card = new LeadScorer(t.sla).score(t.leads.get(lead()), List.of(), new DeployedScoringTables(engine.getRepositoryService(), true));
            assertThat(card.fitScore()).as("-60 + 35 is no fit at all, not -25").isZero();
            assertThat(card.fitGrade()).isEqualTo("D");
        } finally {
            engine.getRepositoryService().createDeployment().addString("lead-fit.dmn", released).deploy();
        }
    }

    private static String lead() {
        String id = UUID.randomUUID().toString();
        t.leads.insert(id, new NewLead("lead-" + id + "@example.com", "Ada", "Lovelace", null, "Analytical Engines GmbH",
                "CTO", "executive", "software", 500, "DE", "api", null), LeadStage.INQUIRY, NOW);
        return id;
    }

    /** The scoring tables, counting how often each decision is evaluated. */
    static ScoringTables counting(ScoringTables tables, Map<String, AtomicInteger> counts) {
        return (key, variables) -> {
            counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            return tables.evaluate(key, variables);
        };
    }

}
