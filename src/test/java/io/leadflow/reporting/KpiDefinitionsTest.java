package io.leadflow.reporting;

import static io.leadflow.reporting.KpiDataSet.DECEMBER;
import static io.leadflow.reporting.KpiDataSet.NOVEMBER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every KPI of November 2026 on the hand-built {@link KpiDataSet}, each expected figure worked out
 * by hand next to its assertion. Runs on H2 ({@link H2KpiDefinitionsTest}) and PostgreSQL
 * ({@link PostgresKpiDefinitionsTest}) with the application's migrations and no Spring context.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KpiDefinitionsTest {

    static final KpiFilter NOVEMBER_2026 = KpiFilter.period(NOVEMBER, DECEMBER);

    KpiQueries kpis;

    void load(JdbcClient jdbc) {
        new KpiDataSet(jdbc).insert();
        kpis = new KpiQueries(jdbc);
    }

    @Test
    void givenTheMonth_whenTheFunnelIsAsked_thenEachStageCountsTheLeadsEnteringItThatMonth() {
        KpiReport funnel = kpis.funnel(NOVEMBER_2026);

        // Inquiry: L1 L2 L3 L4 L6 captured in November (L5 in October); MQL: L1 L2 L3 L6; SAL: L1 L2 L3 L5;
        // SQL: L1 L2; Opportunity: L1
        assertStage(funnel, "INQUIRY", 5, null, null, 0.2);
        assertStage(funnel, "MQL", 4, 0.8, 0.8, 0.0);       // 4/5; 4/5; SAL 4 of 4
        assertStage(funnel, "SAL", 4, 1.0, 0.8, 0.5);       // 4/4; 4/5; SQL 2 of 4
        assertStage(funnel, "SQL", 2, 0.5, 0.4, 0.5);       // 2/4; 2/5; Opportunity 1 of 2
        assertStage(funnel, "OPPORTUNITY", 1, 0.5, 0.2, null);
        assertThat(funnel.rows()).extracting(r -> r.get("stage")).containsExactlyElementsOf(KpiQueries.FUNNEL);
    }

    @Test
    void givenASourceOrARep_whenTheFunnelIsAsked_thenOnlyTheirLeadsCount() {
        KpiReport webForm = kpis.funnel(NOVEMBER_2026.withSource("webForm"));
        // L1 L2 captured; MQL L1 L2; SAL L1 L2 L5; SQL L1 L2; Opportunity L1
        assertThat(entered(webForm)).containsExactly(2L, 2L, 3L, 2L, 1L);

        KpiReport sam = kpis.funnel(NOVEMBER_2026.withReps(List.of("sam")));
        // L1 L3 L6 captured and MQL; SAL L1 L3; SQL L1; Opportunity L1
        assertThat(entered(sam)).containsExactly(3L, 3L, 2L, 1L, 1L);

        KpiReport campaign = kpis.funnel(NOVEMBER_2026.withCampaign("spring"));
        assertThat(entered(campaign)).containsExactly(1L, 1L, 0L, 0L, 0L); // L6 only

        KpiReport nobody = kpis.funnel(NOVEMBER_2026.withReps(List.of()));
        assertThat(entered(nobody)).containsExactly(0L, 0L, 0L, 0L, 0L);
    }

    @Test
    void givenTheMonth_whenVelocityIsAsked_thenTimeInStageIsMeasuredUntilTheNextStageWithInterpolatedPercentiles() {
        KpiReport velocity = kpis.velocity(NOVEMBER_2026);

        // Inquiry → MQL: L1 0 h, L2 0 h, L3 24 h, L6 0 h; p50 = 0, p90 = rank 2.7 of [0 0 0 24] = 0.7 × 24 = 16.8
        assertDurations(velocity.row("stage", "INQUIRY"), 4, 0.0, 16.8);
        // MQL → SAL: L1 2 h, L2 4 h, L3 24 h, L5 264 h (Oct 21 → Nov 1); p50 = (4 + 24) / 2 = 14; p90 = 24 + 0.7 × 240 = 192
        assertDurations(velocity.row("stage", "MQL"), 4, 14.0, 192.0);
        // SAL → SQL: L1 24 h, L2 44 h; p50 = 34; p90 = 24 + 0.9 × 20 = 42
        assertDurations(velocity.row("stage", "SAL"), 2, 34.0, 42.0);
        // SQL → Opportunity: L1 22 h
        assertDurations(velocity.row("stage", "SQL"), 1, 22.0, 22.0);
        // capture → opportunity: L1 48 h
        assertDurations(velocity.row("stage", "CAPTURE_TO_OPPORTUNITY"), 1, 48.0, 48.0);
    }

    @Test
    void givenTheMonth_whenSpeedToLeadIsAsked_thenCaptureToFirstAttemptIsMeasuredOncePerLead() {
        KpiReport speed = kpis.speedToLead(NOVEMBER_2026);

        // first attempts: L1 30 min, L2 300 min, L3 2 days 1 h = 2940 min (second attempts do not count)
        // p50 = 300; p90 = rank 1.8 → 300 + 0.8 × 2640 = 2412
        assertThat(speed.summary()).containsEntry("leads", 3L).containsEntry("p50Minutes", 300.0).containsEntry("p90Minutes", 2412.0);
    }

    @Test
    void givenTheMonth_whenSlaAttainmentIsAsked_thenTasksInTimeAreCountedPerSlaTeamAndRep() {
        KpiReport sla = kpis.slaAttainment(NOVEMBER_2026);

        // Review MQL: 4 MQL entries, L3's breached → 3/4
        assertAttainment(sla, "reviewMql", "", 4, 1, 0.75);
        // Accept lead: SAL L1 L2 L3 L5 + rejections L3 L6 (L5's was in October) + L6's lapsed acceptance = 7, 1 breached
        assertAttainment(sla, "acceptLead", "", 7, 1, 0.8571);
        // sam: SAL L1 L3, rejected L3, lapsed L6 = 4, 1 breached; sara: SAL L2 L5, rejected L6 = 3
        assertAttainment(sla, "acceptLead", "sam", 4, 1, 0.75);
        assertAttainment(sla, "acceptLead", "sara", 3, 0, 1.0);
        // first touch: L2 (sara) and L3 (sam, breached); grade A: L1 (sam)
        assertAttainment(sla, "firstTouch", "", 2, 1, 0.5);
        assertAttainment(sla, "firstTouch", "sam", 1, 1, 0.0);
        assertAttainment(sla, "firstTouch", "sara", 1, 0, 1.0);
        assertAttainment(sla, "firstTouchGradeA", "", 1, 0, 1.0);
        // later attempts: L2 #2, L3 #2
        assertAttainment(sla, "contactAttempt", "", 2, 0, 1.0);
        // teams: marketing 4 tasks 1 breached; sales 7 + 2 + 1 + 2 = 12 tasks, 2 breached → 10/12
        assertThat(sla.summary()).containsEntry("marketing", Map.of("tasks", 4L, "breached", 1L, "attainment", 0.75))
                .containsEntry("sales", Map.of("tasks", 12L, "breached", 2L, "attainment", 0.8333));
    }

    @Test
    void givenTheMonth_whenRejectReasonsAndRecyclesAreAsked_thenOnlyThatMonthsAreCounted() {
        KpiReport rejections = kpis.rejectReasons(NOVEMBER_2026);
        // L3 clerical, L6 definitional (L5's procedural was in October)
        assertThat(rejections.rows()).containsExactly(
                Map.of("reason", "clerical", "count", 1L, "share", 0.5),
                Map.of("reason", "definitional", "count", 1L, "share", 0.5));

        KpiReport recycles = kpis.recycles(NOVEMBER_2026);
        // L5 timing, L3 unreachable; 2 recycled leads per 4 accepted (SAL) = 0.5
        assertThat(recycles.rows()).containsExactly(
                Map.of("reason", "timing", "count", 1L, "share", 0.5),
                Map.of("reason", "unreachable", "count", 1L, "share", 0.5));
        assertThat(recycles.summary()).containsEntry("recycledLeads", 2L).containsEntry("acceptedLeads", 4L)
                .containsEntry("recycleRate", 0.5).containsEntry("total", 2L);
    }

    @Test
    void givenTheMonth_whenAttemptsToContactAreAsked_thenEachReachedLeadCountsAtTheAttemptThatReachedIt() {
        KpiReport attempts = kpis.attemptsToContact(NOVEMBER_2026, 10);

        // L1 reached at attempt 1, L2 at attempt 2, L3 not reached
        assertThat(attempts.rows()).hasSize(10);
        assertThat(attempts.row("attempt", 1)).containsEntry("reached", 1L).containsEntry("share", 0.5);
        assertThat(attempts.row("attempt", 2)).containsEntry("reached", 1L).containsEntry("share", 0.5);
        assertThat(attempts.row("attempt", 3)).containsEntry("reached", 0L).containsEntry("share", 0.0);
        assertThat(attempts.summary()).containsEntry("reached", 2L);
    }

    @Test
    void givenTheMonth_whenTheSqlTargetIsAsked_thenTheMonthsSqlsAreSetAgainstIt() {
        KpiReport target = kpis.sqlTarget(NOVEMBER_2026, 40);

        // SQL L1 L2: 2 of 40 = 0.05, 38 missing
        assertThat(target.summary()).containsEntry("sqls", 2L).containsEntry("target", 40L)
                .containsEntry("attainment", 0.05).containsEntry("missing", 38L);
    }

    @Test
    void givenTheMonth_whenTheClosedLoopIsAsked_thenOpportunitiesAreTracedToSourceAndCampaign() {
        KpiReport loop = kpis.closedLoop(NOVEMBER_2026);

        // api/spring: L6; import/-: L3 L4; webForm/bf: L1 L2, opportunity L1 (1000)
        assertThat(loop.rows()).extracting(r -> r.get("source") + "/" + r.get("campaign") + ": " + r.get("inquiries")
                        + " → " + r.get("opportunities") + " (" + r.get("conversion") + ")")
                .containsExactly("api/spring: 1 → 0 (0.0)", "import/: 2 → 0 (0.0)", "webForm/bf: 2 → 1 (0.5)");
        assertThat(((java.math.BigDecimal) loop.row("source", "webForm").get("amount"))).isEqualByComparingTo("1000");
    }

    @Test
    void givenAKpi_whenItIsExportedAsCsv_thenTheHeaderNamesTheColumnsAndEachRowFollows() {
        String csv = KpiController.csv(kpis.funnel(NOVEMBER_2026));

        assertThat(csv.lines().toList()).containsExactly(
                "stage,entered,nextStepConversion,cumulativeConversion,dropOffToNext",
                "INQUIRY,5,,,0.2",
                "MQL,4,0.8,0.8,0.0",
                "SAL,4,1.0,0.8,0.5",
                "SQL,2,0.5,0.4,0.5",
                "OPPORTUNITY,1,0.5,0.2,");
    }

    private static List<Object> entered(KpiReport funnel) {
        return funnel.rows().stream().map(r -> r.get("entered")).toList();
    }

    private static void assertStage(KpiReport funnel, String stage, long entered, Double next, Double cumulative, Double dropOff) {
        Map<String, Object> row = funnel.row("stage", stage);
        assertThat(row.get("entered")).as(stage + " entered").isEqualTo(entered);
        assertThat(row.get("nextStepConversion")).as(stage + " next-step conversion").isEqualTo(next);
        assertThat(row.get("cumulativeConversion")).as(stage + " cumulative conversion").isEqualTo(cumulative);
        assertThat(row.get("dropOffToNext")).as(stage + " drop-off").isEqualTo(dropOff);
    }

    private static void assertDurations(Map<String, Object> row, long leads, double p50, double p90) {
        assertThat(row).containsEntry("leads", leads).containsEntry("p50Hours", p50).containsEntry("p90Hours", p90);
    }

    private static void assertAttainment(KpiReport sla, String name, String rep, long tasks, long breached, double attainment) {
        Map<String, Object> row = sla.rows().stream().filter(r -> r.get("sla").equals(name) && r.get("rep").equals(rep))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + name + "/" + rep + " in " + sla.rows()));
        assertThat(row).as(name + "/" + rep).containsEntry("tasks", tasks).containsEntry("breached", breached)
                .containsEntry("attainment", attainment);
    }
}
