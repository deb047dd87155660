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
    JdbcClient jdbc;

    void load(JdbcClient jdbc) {
        load(jdbc, KpiPlanning.none());
    }

    void load(JdbcClient jdbc, KpiPlanning planning) {
        this.jdbc = jdbc;
        new KpiDataSet(jdbc).insert();
        kpis = new KpiQueries(jdbc, planning);
    }

    @Test
    void givenTheMonth_whenTheFunnelIsAsked_thenEachStageCountsItsEntriesThatMonthAndARequalifiedLeadAgain() {
        KpiReport funnel = kpis.funnel(NOVEMBER_2026);

        // Inquiry: L1 L2 L3 L4 L6 L7 L9 captured in November (L5 L8 in October) = 7
        // MQL: L1 L2 L3 L6 + L7 twice (11-02, 11-16) + L8 at exactly 11-01 00:00 = 7 (L9's at 12-01 00:00 is December's)
        // SAL: L1 L2 L3 L5 + L7 twice (11-03, 11-16) + L8 (11-02) = 7; SQL: L1 L2 L7 L8 = 4; Opportunity: L1 = 1
        assertThat(entered(funnel)).as("entered Inquiry, MQL, SAL, SQL, Opportunity").containsExactly(7L, 7L, 7L, 4L, 1L);
        assertStage(funnel, "INQUIRY", 7, null, null, 0.0); // MQL 7 of 7
        assertStage(funnel, "MQL", 7, 1.0, 1.0, 0.0);       // 7/7; 7/7; SAL 7 of 7
        assertStage(funnel, "SAL", 7, 1.0, 1.0, 0.4286);    // 7/7; 7/7; SQL 4 of 7 = 0.5714 → 1 − 0.5714
        assertStage(funnel, "SQL", 4, 0.5714, 0.5714, 0.75); // 4/7; 4/7; Opportunity 1 of 4
        assertStage(funnel, "OPPORTUNITY", 1, 0.25, 0.1429, null); // 1/4; 1/7
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
    void givenTheMonth_whenVelocityIsAsked_thenTimeInStageIsMeasuredFromTheLatestEarlierEntryUntilTheNextStageWithInterpolatedPercentiles() {
        KpiReport velocity = kpis.velocity(NOVEMBER_2026);

        // Inquiry → MQL (from capture, or from the lead's last recycle before the MQL): L1 0 h, L2 0 h, L3 24 h, L6 0 h,
        // L7 0 h and 287 h (recycled 11-04 10:00 → 11-16 09:00), L8 374 h (recycled 10-16 10:00 → 11-01 00:00; L9's MQL
        // is December's); sorted [0 0 0 0 24 287 374]: p50 = rank 3 = 0; p90 = rank 5.4 = 287 + 0.4 × 87 = 321.8
        assertDurations(velocity.row("stage", "INQUIRY"), 7, 0.0, 321.8);
        // MQL → SAL, from the latest MQL entry before the SAL entry: L1 2 h, L2 4 h, L3 24 h, L5 264 h (Oct 21 → Nov 1),
        // L7 28 h (11-02 09:00 → 11-03 13:00; its MQL of 11-16 is later) and 6 h (11-16 09:00 → 15:00, not its MQL of 11-02),
        // L8 36 h (11-01 00:00 → 11-02 12:00, not its MQL of 10-01); sorted [2 4 6 24 28 36 264]:
        // p50 = rank 3 = 24; p90 = rank 5.4 = 36 + 0.4 × 228 = 127.2
        assertDurations(velocity.row("stage", "MQL"), 7, 24.0, 127.2);
        // SAL → SQL, from the latest SAL entry before: L1 24 h, L2 44 h, L7 48 h (11-16 15:00 → 11-18 15:00, not 11-03),
        // L8 30 h (11-02 12:00 → 11-03 18:00, not 10-02); sorted [24 30 44 48]: p50 = rank 1.5 = (30 + 44) / 2 = 37;
        // p90 = rank 2.7 = 44 + 0.7 × 4 = 46.8
        assertDurations(velocity.row("stage", "SAL"), 4, 37.0, 46.8);
        // SQL → Opportunity: L1 22 h
        assertDurations(velocity.row("stage", "SQL"), 1, 22.0, 22.0);
        // capture → opportunity: L1 48 h
        assertDurations(velocity.row("stage", "CAPTURE_TO_OPPORTUNITY"), 1, 48.0, 48.0);
    }

    @Test
    void givenTheMonth_whenSpeedToLeadIsAsked_thenCaptureToTheLeadsFirstAttemptEverIsMeasuredOncePerLead() {
        KpiReport speed = kpis.speedToLead(NOVEMBER_2026);

        // first attempts ever made in November: L1 30 min, L2 300 min, L3 2 days 1 h = 2940 min,
        // L7 29 h = 1740 min (11-02 09:00 → 11-03 14:00; its second pass's attempt numbered 1 on 11-16 does not count);
        // L8's first attempt was on 10-02, so its attempt numbered 1 on 11-02 does not count; second attempts never do
        // sorted [30 300 1740 2940]: p50 = rank 1.5 = (300 + 1740) / 2 = 1020; p90 = rank 2.7 = 1740 + 0.7 × 1200 = 2580
        assertThat(speed.summary()).containsEntry("leads", 4L).containsEntry("p50Minutes", 1020.0).containsEntry("p90Minutes", 2580.0);
    }

    @Test
    void givenTheMonth_whenSlaAttainmentIsAsked_thenTasksInTimeAreCountedPerSlaTeamAndRep() {
        KpiReport sla = kpis.slaAttainment(NOVEMBER_2026);

        // Review MQL: 7 MQL entries (L1 L2 L3 L6, L7 twice, L8 at 11-01 00:00), L3's breached → 6/7
        assertAttainment(sla, "reviewMql", "", 7, 1, 0.8571);
        // Accept lead: SAL L1 L2 L3 L5, L7 twice, L8 + rejections L3 L6 (L5's was in October) + L6's lapsed acceptance
        // = 10, 1 breached → 9/10
        assertAttainment(sla, "acceptLead", "", 10, 1, 0.9);
        // sam: SAL L1 L3, rejected L3, lapsed L6 = 4, 1 breached; sara: SAL L2 L5, L7 twice, L8, rejected L6 = 6
        assertAttainment(sla, "acceptLead", "sam", 4, 1, 0.75);
        assertAttainment(sla, "acceptLead", "sara", 6, 0, 1.0);
        // first touch (each follow-up's attempt 1 has its SLA): L2 (sara), L3 (sam, breached), L7 twice (sara),
        // L8's 11-02 (sara; its October one is outside) = 5, 1 breached → 4/5; grade A: L1 (sam)
        assertAttainment(sla, "firstTouch", "", 5, 1, 0.8);
        assertAttainment(sla, "firstTouch", "sam", 1, 1, 0.0);
        assertAttainment(sla, "firstTouch", "sara", 4, 0, 1.0);
        assertAttainment(sla, "firstTouchGradeA", "", 1, 0, 1.0);
        // later attempts: L2 #2, L3 #2 (L8's #2 was in October)
        assertAttainment(sla, "contactAttempt", "", 2, 0, 1.0);
        // teams: marketing 7 tasks 1 breached → 6/7; sales 10 + 5 + 1 + 2 = 18 tasks, 2 breached → 16/18
        assertThat(sla.summary()).containsEntry("marketing", Map.of("tasks", 7L, "breached", 1L, "attainment", 0.8571))
                .containsEntry("sales", Map.of("tasks", 18L, "breached", 2L, "attainment", 0.8889));
    }

    @Test
    void givenARep_whenRejectionsAttemptsAndMissedDeadlinesAreAsked_thenTheyCountWhatThatRepDid_notTheLeadsTheyHoldNow() {
        // L6 is sam's lead now; sara rejected it, and sam let its acceptance lapse
        assertThat(kpis.rejectReasons(NOVEMBER_2026.withReps(List.of("sam"))).rows()).as("sam rejected L3 only")
                .containsExactly(Map.of("reason", "clerical", "count", 1L, "share", 1.0));
        assertThat(kpis.rejectReasons(NOVEMBER_2026.withReps(List.of("sara"))).rows()).as("sara rejected L6, a lead sam holds now")
                .containsExactly(Map.of("reason", "definitional", "count", 1L, "share", 1.0));

        // filtered by a rep, the rep's rows are the unfiltered report's (sam 4 tasks 1 breached, sara 6 tasks none)
        KpiReport sam = kpis.slaAttainment(NOVEMBER_2026.withReps(List.of("sam")));
        assertAttainment(sam, "acceptLead", "sam", 4, 1, 0.75);
        assertAttainment(sam, "acceptLead", "", 4, 1, 0.75);
        assertAttainment(sam, "firstTouch", "sam", 1, 1, 0.0);
        KpiReport sara = kpis.slaAttainment(NOVEMBER_2026.withReps(List.of("sara")));
        assertAttainment(sara, "acceptLead", "sara", 6, 0, 1.0);
        assertAttainment(sara, "acceptLead", "", 6, 0, 1.0);
        assertThat(sara.rows()).as("nothing of sam's in sara's view").noneMatch(row -> "sam".equals(row.get("rep")));
    }

    @Test
    void givenTheMonth_whenRejectReasonsAndRecyclesAreAsked_thenOnlyThatMonthsAreCounted() {
        KpiReport rejections = kpis.rejectReasons(NOVEMBER_2026);
        // L3 clerical, L6 definitional (L5's procedural was in October)
        assertThat(rejections.rows()).containsExactly(
                Map.of("reason", "clerical", "count", 1L, "share", 0.5),
                Map.of("reason", "definitional", "count", 1L, "share", 0.5));

        KpiReport recycles = kpis.recycles(NOVEMBER_2026);
        // timing L5 L7 = 2 of 3, unreachable L3 = 1 of 3 (L8's was in October); 3 recycles (of leads L3 L5 L7) per
        // 7 SAL entries (L1 L2 L3 L5, L7 twice, L8) = 0.4286
        assertThat(recycles.rows()).containsExactly(
                Map.of("reason", "timing", "count", 2L, "share", 0.6667),
                Map.of("reason", "unreachable", "count", 1L, "share", 0.3333));
        assertThat(recycles.summary()).containsEntry("recycledLeads", 3L).containsEntry("acceptedLeads", 7L)
                .containsEntry("recycleRate", 0.4286).containsEntry("total", 3L);
    }

    @Test
    void givenALeadRecycledTwiceAndRevived_whenFunnelRecyclesAndVelocityAreAsked_thenEachRestartCounts() {
        // January 2027, apart from the November data: LR captured 01-04 09:00, MQL 09:00, SAL 10:00, recycled 01-05 09:00;
        // MQL 01-11 09:00, SAL 10:00, recycled 01-12 09:00; archived, revived 01-20 09:00 (an Inquiry entry), MQL 01-20 12:00
        jdbc.sql("""
                insert into lead (id, lead_number, email, email_normalized, source, stage, created_at, updated_at)
                values ('LR', 'L-2027-000001', 'lr@kpi.example', 'lr@kpi.example', 'event', 'MQL', :at, :at)
                """).param("at", java.time.OffsetDateTime.parse("2027-01-04T09:00:00Z")).update();
        for (String[] entry : new String[][] {{"MQL", "01-04T09:00"}, {"SAL", "01-04T10:00"}, {"MQL", "01-11T09:00"},
                {"SAL", "01-11T10:00"}, {"INQUIRY", "01-20T09:00"}, {"MQL", "01-20T12:00"}}) {
            jdbc.sql("insert into lead_stage_entry (lead_id, stage, entered_at) values ('LR', :stage, :at)")
                    .param("stage", entry[0]).param("at", java.time.OffsetDateTime.parse("2027-" + entry[1] + ":00Z")).update();
        }
        for (String at : List.of("01-05T09:00", "01-12T09:00")) {
            jdbc.sql("insert into lead_recycle (lead_id, reason, recycled_at) values ('LR', 'timing', :at)")
                    .param("at", java.time.OffsetDateTime.parse("2027-" + at + ":00Z")).update();
        }
        KpiFilter january = KpiFilter.period(java.time.OffsetDateTime.parse("2027-01-01T00:00:00Z"),
                java.time.OffsetDateTime.parse("2027-02-01T00:00:00Z"));

        // Inquiry: the capture and the revival = 2; MQL 3; SAL 2
        assertThat(entered(kpis.funnel(january))).containsExactly(2L, 3L, 2L, 0L, 0L);
        // two recycles per two acceptances: every acceptance ended in a recycle
        assertThat(kpis.recycles(january).summary()).containsEntry("recycledLeads", 1L).containsEntry("acceptedLeads", 2L)
                .containsEntry("recycleRate", 1.0);
        // Inquiry → MQL from the capture (0 h), the first recycle (6 days = 144 h), the revival (3 h);
        // sorted [0 3 144]: p50 = 3; p90 = rank 1.8 = 3 + 0.8 × 141 = 115.8
        assertDurations(kpis.velocity(january).row("stage", "INQUIRY"), 3, 3.0, 115.8);
    }

    @Test
    void givenAnAcceptanceDoneLate_andOneThatLapsed_whenSlaAttainmentIsAsked_thenEachIsOneTaskAndOneBreach() {
        // March 2027, apart from the other data: LA accepted by sam 30 minutes after its deadline, before the timer ran
        // (a SAL entry and a breach with completed_at); LB's acceptance lapsed with sara (a breach, no decision)
        for (String id : List.of("LA", "LB")) {
            jdbc.sql("""
                    insert into lead (id, lead_number, email, email_normalized, source, stage, sales_rep, created_at, updated_at)
                    values (:id, :number, :email, :email, 'event', 'SAL', 'sam', :at, :at)
                    """).param("id", id).param("number", "L-2027-00010" + id.charAt(1)).param("email", id.toLowerCase() + "@kpi.example")
                    .param("at", java.time.OffsetDateTime.parse("2027-03-01T09:00:00Z")).update();
        }
        jdbc.sql("insert into lead_stage_entry (lead_id, stage, entered_at) values ('LA', 'SAL', :at)")
                .param("at", java.time.OffsetDateTime.parse("2027-03-02T09:30:00Z")).update();
        jdbc.sql("""
                insert into sla_breach (lead_id, sla, task_key, task_name, deadline, breached_at, assignee, completed_at)
                values ('LA', 'acceptLead', 'Task_AcceptLead', 'Accept lead', :deadline, :done, 'sam', :done),
                       ('LB', 'acceptLead', 'Task_AcceptLead', 'Accept lead', :deadline, :deadline, 'sara', null)
                """).param("deadline", java.time.OffsetDateTime.parse("2027-03-02T09:00:00Z"))
                .param("done", java.time.OffsetDateTime.parse("2027-03-02T09:30:00Z")).update();
        KpiFilter march = KpiFilter.period(java.time.OffsetDateTime.parse("2027-03-01T00:00:00Z"),
                java.time.OffsetDateTime.parse("2027-04-01T00:00:00Z"));

        KpiReport sla = kpis.slaAttainment(march);

        // two tasks (LA's acceptance, LB's lapse), both breached: not three tasks, as counting every breach as a lapse gave
        assertAttainment(sla, "acceptLead", "", 2, 2, 0.0);
        assertAttainment(sla, "acceptLead", "sam", 1, 1, 0.0);
        assertAttainment(sla, "acceptLead", "sara", 1, 1, 0.0);
    }

    @Test
    void givenTheMonth_whenAttemptsToContactAreAsked_thenEachReachInTheMonthCountsAtTheAttemptOfItsFollowUpThatMadeIt() {
        KpiReport attempts = kpis.attemptsToContact(NOVEMBER_2026, 10);

        // reached at attempt 1: L1, L7 in both follow-ups (11-03, 11-16), L8 (11-02) = 4 of 5; at attempt 2: L2 = 1 of 5;
        // L3 not reached
        assertThat(attempts.rows()).hasSize(10);
        assertThat(attempts.row("attempt", 1)).containsEntry("reached", 4L).containsEntry("share", 0.8);
        assertThat(attempts.row("attempt", 2)).containsEntry("reached", 1L).containsEntry("share", 0.2);
        assertThat(attempts.row("attempt", 3)).containsEntry("reached", 0L).containsEntry("share", 0.0);
        assertThat(attempts.summary()).containsEntry("reached", 5L);
    }

    @Test
    void givenTheMonth_whenTheSqlTargetIsAsked_thenTheMonthsSqlsAreSetAgainstIt() {
        KpiReport target = kpis.sqlTarget(NOVEMBER_2026, 40);

        // SQL L1 L2 L7 L8: 4 of 40 = 0.1, 36 missing
        assertThat(target.summary()).containsEntry("sqls", 4L).containsEntry("target", 40L)
                .containsEntry("attainment", 0.1).containsEntry("missing", 36L);
    }

    @Test
    void givenTheMonth_whenTheClosedLoopIsAsked_thenOpportunitiesAreTracedToSourceAndCampaign() {
        KpiReport loop = kpis.closedLoop(NOVEMBER_2026);

        // api/spring: L6; event/expo: L7 (L8 captured in October); import/-: L3 L4 L9; webForm/bf: L1 L2,
        // opportunity L1 (1000)
        assertThat(loop.rows()).extracting(r -> r.get("source") + "/" + r.get("campaign") + ": " + r.get("inquiries")
                        + " → " + r.get("opportunities") + " (" + r.get("conversion") + ")")
                .containsExactly("api/spring: 1 → 0 (0.0)", "event/expo: 1 → 0 (0.0)", "import/: 3 → 0 (0.0)",
                        "webForm/bf: 2 → 1 (0.5)");
        assertThat(((java.math.BigDecimal) loop.row("source", "webForm").get("amount"))).isEqualByComparingTo("1000");
    }

    @Test
    void givenAKpi_whenItIsExportedAsCsv_thenTheHeaderNamesTheColumnsAndEachRowFollows() {
        String csv = KpiController.csv(kpis.funnel(NOVEMBER_2026));

        // the funnel's figures above
        assertThat(csv.lines().toList()).containsExactly(
                "stage,entered,nextStepConversion,cumulativeConversion,dropOffToNext",
                "INQUIRY,7,,,0.0",
                "MQL,7,1.0,1.0,0.0",
                "SAL,7,1.0,1.0,0.4286",
                "SQL,4,0.5714,0.5714,0.75",
                "OPPORTUNITY,1,0.25,0.1429,");
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
