package io.leadflow.reporting;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The shared KPIs, computed from the lead record only (lead, lead_stage_entry, lead_attempt,
 * lead_rejection, lead_recycle, sla_breach, opportunity), never from the engine's history. Every
 * query is bounded by the period on an indexed time column and runs on H2 and PostgreSQL;
 * percentiles are computed here from those bounded rows.
 *
 * <p>Definitions (README "KPIs"): a lead enters Inquiry when captured ({@code lead.created_at}) and
 * the later stages when the lifecycle records a stage entry; a stage's volume counts its entries in
 * the period (a lead recycled and qualified again is counted again, as each pass through the
 * waterfall is); next-step conversion is a stage's volume over the previous stage's,
 * cumulative conversion over Inquiry's (flow in the period, as in the demand waterfall).
 */
@Component
public class KpiQueries {

    /** The demand waterfall, in order. */
    public static final List<String> FUNNEL = List.of("INQUIRY", "MQL", "SAL", "SQL", "OPPORTUNITY");

    /** The SLAs whose breaches are recorded, with the team that owns them. */
    public static final Map<String, String> SLA_TEAMS = orderedMap(
            "reviewMql", "marketing", "acceptLead", "sales", "firstTouch", "sales",
            "firstTouchGradeA", "sales", "contactAttempt", "sales");

    private final JdbcClient jdbc;
    private final KpiPlanning planning;

    /** With the server's planner settings (H2, and tests that do not look at plans). */
    public KpiQueries(JdbcClient jdbc) {
        this(jdbc, KpiPlanning.none());
    }

    /** Each KPI's statements run through {@code planning}: on PostgreSQL in one transaction with its setting. */
    @Autowired
    public KpiQueries(JdbcClient jdbc, KpiPlanning planning) {
        this.jdbc = jdbc;
        this.planning = planning;
    }

    /** Volume entering each stage, next-step and cumulative conversion, drop-off to the next stage. */
    public KpiReport funnel(KpiFilter f) {
        return planning.run(() -> {
            Map<String, Long> volume = funnelVolumes(f);
            List<Map<String, Object>> rows = new ArrayList<>();
            long inquiries = volume.get("INQUIRY");
            for (int i = 0; i < FUNNEL.size(); i++) {
                String stage = FUNNEL.get(i);
                long entered = volume.get(stage);
                Long previous = i == 0 ? null : volume.get(FUNNEL.get(i - 1));
                Long next = i == FUNNEL.size() - 1 ? null : volume.get(FUNNEL.get(i + 1));
                rows.add(row("stage", stage, "entered", entered,
                        "nextStepConversion", previous == null ? null : ratio(entered, previous),
                        "cumulativeConversion", i == 0 ? null : ratio(entered, inquiries),
                        "dropOffToNext", next == null ? null : complement(ratio(next, entered))));
            }
            return new KpiReport("funnel", f.describe(), row("inquiries", inquiries, "opportunities", volume.get("OPPORTUNITY")),
                    List.of("stage", "entered", "nextStepConversion", "cumulativeConversion", "dropOffToNext"), rows);
        });
    }

    /**
     * Entries of each funnel stage in the period: one query on lead (captures), one on the Inquiry
     * entries of revivals, one on the other stages' entries (an index-only scan of (stage, entered_at,
     * lead_id) when no lead filter applies).
     */
    Map<String, Long> funnelVolumes(KpiFilter f) {
        Map<String, Object> p = new HashMap<>();
        String inquiries = "select count(*) from lead l where " + f.inPeriod("l.created_at", p) + f.leadCondition(p);
        Map<String, Long> volume = new LinkedHashMap<>();
        FUNNEL.forEach(s -> volume.put(s, 0L));
        long captured = jdbc.sql(inquiries).params(p).query(Long.class).single();
        // an archived lead revived is an inquiry again, as a re-entered MQL counts again: its Inquiry entry is
        // later than its capture (the capture's own entry is written at the capture's instant)
        Map<String, Object> r = new HashMap<>();
        long revived = jdbc.sql("select count(*) from lead_stage_entry s join lead l on l.id = s.lead_id where s.stage = 'INQUIRY'"
                + " and s.entered_at > l.created_at and " + f.inPeriod("s.entered_at", r) + f.leadCondition(r))
                .params(r).query(Long.class).single();
        volume.put("INQUIRY", captured + revived);
        Map<String, Object> q = new HashMap<>();
        // without a lead filter the stage entries alone answer (index on stage, entered_at)
        String entries = "select s.stage, count(*) from lead_stage_entry s"
                + (f.narrowsLeads() ? " join lead l on l.id = s.lead_id" : "")
                + " where s.stage in ('MQL', 'SAL', 'SQL', 'OPPORTUNITY') and " + f.inPeriod("s.entered_at", q)
                + f.leadCondition(q) + " group by s.stage";
        jdbc.sql(entries).params(q).query((rs, n) -> volume.put(rs.getString(1), rs.getLong(2))).list();
        return volume;
    }

    /**
     * When a lead became an inquiry last before an MQL entry {@code s}: its capture, or later its last
     * recycle or revival before it. From the capture, a lead recycled in spring and back in autumn
     * counted its months in nurture as time in Inquiry.
     */
    static final String INQUIRY_SINCE = "coalesce(greatest("
            + "(select max(c.recycled_at) from lead_recycle c where c.lead_id = s.lead_id and c.recycled_at <= s.entered_at),"
            + " (select max(r.entered_at) from lead_stage_entry r where r.lead_id = s.lead_id and r.stage = 'INQUIRY'"
            + " and r.entered_at <= s.entered_at)), l.created_at)";

    /**
     * Time in each stage (from entering it to entering the next funnel stage; counted when the lead
     * moves on in the period; Inquiry from the capture, or the lead's last recycle or revival) and
     * capture → opportunity, p50 and p90 in hours.
     */
    public KpiReport velocity(KpiFilter f) {
        return planning.run(() -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 1; i < FUNNEL.size(); i++) {
                String from = FUNNEL.get(i - 1);
                String to = FUNNEL.get(i);
                String entered = i == 1 ? INQUIRY_SINCE
                        : "(select max(p.entered_at) from lead_stage_entry p where p.lead_id = s.lead_id and p.stage = '"
                        + from + "' and p.entered_at <= s.entered_at)";
                rows.add(durations("stage", from, hours(durationsOf(f, to, entered))));
            }
            rows.add(durations("stage", "CAPTURE_TO_OPPORTUNITY", hours(durationsOf(f, "OPPORTUNITY", "l.created_at"))));
            return new KpiReport("velocity", f.describe(), Map.of(), List.of("stage", "leads", "p50Hours", "p90Hours"), rows);
        });
    }

    private List<Duration> durationsOf(KpiFilter f, String exitStage, String enteredExpression) {
        Map<String, Object> p = new HashMap<>();
        p.put("exit", exitStage);
        String sql = "select " + enteredExpression + " as entered, s.entered_at as exited from lead_stage_entry s"
                + " join lead l on l.id = s.lead_id where s.stage = :exit and " + f.inPeriod("s.entered_at", p) + f.leadCondition(p);
        return jdbc.sql(sql).params(p).query((rs, n) -> {
            Timestamp in = rs.getTimestamp(1);
            return in == null ? null : Duration.between(in.toInstant(), rs.getTimestamp(2).toInstant());
        }).list().stream().filter(d -> d != null).toList();
    }

    /** Capture → first contact attempt (the lead's first ever attempt, made in the period), p50/p90 in minutes. */
    public KpiReport speedToLead(KpiFilter f) {
        return planning.run(() -> {
            Map<String, Object> p = new HashMap<>();
            String sql = "select l.created_at, a.attempted_at from lead_attempt a join lead l on l.id = a.lead_id"
                    + " where " + f.inPeriod("a.attempted_at", p) + f.leadCondition(p, "coalesce(a.rep, l.sales_rep)")
                    + " and not exists (select 1 from lead_attempt e where e.lead_id = a.lead_id"
                    + " and (e.attempted_at < a.attempted_at or (e.attempted_at = a.attempted_at and e.id < a.id)))";
            List<Duration> waits = jdbc.sql(sql).params(p).query((rs, n) ->
                    Duration.between(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant())).list();
            double[] minutes = waits.stream().mapToDouble(d -> d.toMillis() / 60_000.0).toArray();
            Map<String, Object> summary = row("leads", (long) minutes.length,
                    "p50Minutes", round(Percentiles.of(minutes, 0.5)), "p90Minutes", round(Percentiles.of(minutes, 0.9)));
            return new KpiReport("speed-to-lead", f.describe(), summary, List.of("leads", "p50Minutes", "p90Minutes"), List.of(summary));
        });
    }

    /**
     * Share of SLA-bound tasks done in time, per SLA (with its team) and per rep. Tasks per SLA:
     * Review MQL = MQL entries; Accept lead = acceptances (SAL entries) + rejections + lapsed
     * acceptances (their breaches the timer recorded; a late acceptance's breach has completed_at and
     * its task is the SAL entry or rejection); first touch = first attempts (grade A leads: firstTouchGradeA);
     * an attempt without a recorded rep counts for the lead's rep;
     * contactAttempt = later attempts. Breaches: sla_breach in the period, of these SLAs. Qualify lead,
     * Fix lead data and Assign lead by hand have deadlines and record their breaches (GET
     * /api/sla-breaches), but which of their tasks to count is not agreed yet: they are not in it.
     */
    /**
     * Whose a breach is under a rep filter: the task's assignee when it lapsed; a Review MQL (marketing's
     * task) goes with the lead's rep, as its tasks (MQL entries) do.
     */
    static final String BREACH_REP = "case when b.sla = 'reviewMql' then l.sales_rep else b.assignee end";

    public KpiReport slaAttainment(KpiFilter f) {
        return planning.run(() -> {
            List<String> order = List.copyOf(SLA_TEAMS.keySet());
            Map<List<String>, long[]> counts = new TreeMap<>((a, b) -> {
                int c = Integer.compare(order.indexOf(a.get(0)), order.indexOf(b.get(0)));
                return c != 0 ? c : a.get(1).compareTo(b.get(1));
            });
            SLA_TEAMS.keySet().forEach(sla -> counts.put(List.of(sla, ""), new long[2]));
            tasks(f, "select 'reviewMql', '', count(*) from lead_stage_entry s join lead l on l.id = s.lead_id"
                    + " where s.stage = 'MQL' and %s", "s.entered_at", "l.sales_rep", counts);
            tasks(f, "select 'acceptLead', coalesce(l.sales_rep, ''), count(*) from lead_stage_entry s join lead l on l.id = s.lead_id"
                    + " where s.stage = 'SAL' and %s group by l.sales_rep", "s.entered_at", "l.sales_rep", counts);
            tasks(f, "select 'acceptLead', coalesce(r.rejected_by, ''), count(*) from lead_rejection r join lead l on l.id = r.lead_id"
                    + " where %s group by r.rejected_by", "r.rejected_at", "r.rejected_by", counts);
            tasks(f, "select 'acceptLead', coalesce(b.assignee, ''), count(*) from sla_breach b join lead l on l.id = b.lead_id"
                    + " where b.sla = 'acceptLead' and b.completed_at is null and %s group by b.assignee", "b.breached_at", "b.assignee", counts);
            tasks(f, "select case when l.fit_grade = 'A' then 'firstTouchGradeA' else 'firstTouch' end, coalesce(a.rep, l.sales_rep, ''), count(*)"
                    + " from lead_attempt a join lead l on l.id = a.lead_id where a.attempt_number = 1 and %s"
                    + " group by case when l.fit_grade = 'A' then 'firstTouchGradeA' else 'firstTouch' end, a.rep, l.sales_rep", "a.attempted_at", "coalesce(a.rep, l.sales_rep)", counts);
            tasks(f, "select 'contactAttempt', coalesce(a.rep, l.sales_rep, ''), count(*) from lead_attempt a join lead l on l.id = a.lead_id"
                    + " where a.attempt_number > 1 and %s group by a.rep, l.sales_rep", "a.attempted_at", "coalesce(a.rep, l.sales_rep)", counts);
            Map<String, Object> p = new HashMap<>();
            // only the SLAs whose tasks are counted: a breach of another (Qualify lead, Fix lead data, Assign lead
            // by hand) fell into one row of unknown SLAs, counted for sales and lowered its attainment with no task
            p.put("slas", order);
            String breaches = "select b.sla, coalesce(b.assignee, ''), count(*) from sla_breach b join lead l on l.id = b.lead_id where "
                    + f.inPeriod("b.breached_at", p) + f.leadCondition(p, BREACH_REP) + " and b.sla in (:slas) group by b.sla, b.assignee";
            jdbc.sql(breaches).params(p).query((rs, n) -> {
                String sla = rs.getString(1);
                String rep = "reviewMql".equals(sla) ? "" : rs.getString(2); // marketing's tasks are the team's
                add(counts, sla, rep, 1, rs.getLong(3));
                return null;
            }).list();

            List<Map<String, Object>> rows = new ArrayList<>();
            Map<String, long[]> teams = new LinkedHashMap<>();
            counts.forEach((key, c) -> {
                String team = SLA_TEAMS.getOrDefault(key.get(0), "sales");
                rows.add(row("sla", key.get(0), "team", team, "rep", key.get(1), "tasks", c[0], "breached", c[1],
                        "attainment", attainment(c)));
                if (key.get(1).isEmpty()) {
                    long[] t = teams.computeIfAbsent(team, k -> new long[2]);
                    t[0] += c[0];
                    t[1] += c[1];
                }
            });
            Map<String, Object> summary = new LinkedHashMap<>();
            teams.forEach((team, c) -> summary.put(team, row("tasks", c[0], "breached", c[1], "attainment", attainment(c))));
            return new KpiReport("sla-attainment", f.describe(), summary,
                    List.of("sla", "team", "rep", "tasks", "breached", "attainment"), rows);
        });
    }

    private void tasks(KpiFilter f, String sqlTemplate, String timeColumn, String repColumn, Map<List<String>, long[]> counts) {
        Map<String, Object> p = new HashMap<>();
        String where = f.inPeriod(timeColumn, p) + f.leadCondition(p, repColumn);
        jdbc.sql(sqlTemplate.formatted(where)).params(p).query((rs, n) -> {
            add(counts, rs.getString(1), rs.getString(2), 0, rs.getLong(3));
            return null;
        }).list();
    }

    /** Adds to the SLA's total row and, for a known rep, to the rep's row. */
    private static void add(Map<List<String>, long[]> counts, String sla, String rep, int column, long n) {
        counts.computeIfAbsent(List.of(sla, ""), k -> new long[2])[column] += n;
        if (rep != null && !rep.isEmpty()) {
            counts.computeIfAbsent(List.of(sla, rep), k -> new long[2])[column] += n;
        }
    }

    private static Double attainment(long[] c) {
        return c[0] == 0 ? null : ratio(Math.max(0, c[0] - c[1]), c[0]);
    }

    /** Rejections by sales in the period by reason (the SiriusDecisions taxonomy). */
    public KpiReport rejectReasons(KpiFilter f) {
        return planning.run(() -> {
            Map<String, Object> p = new HashMap<>();
            String sql = "select r.reason, count(*) from lead_rejection r join lead l on l.id = r.lead_id where "
                    + f.inPeriod("r.rejected_at", p) + f.leadCondition(p, "r.rejected_by") + " group by r.reason order by count(*) desc, r.reason";
            return countsBy("reject-reasons", f, "reason", sql, p, Map.of());
        });
    }

    /** Recycles in the period by reason; the recycle rate is recycles per acceptance (SAL entry) in the period. */
    public KpiReport recycles(KpiFilter f) {
        return planning.run(() -> {
            Map<String, Object> p = new HashMap<>();
            String sql = "select c.reason, count(*) from lead_recycle c join lead l on l.id = c.lead_id where "
                    + f.inPeriod("c.recycled_at", p) + f.leadCondition(p) + " group by c.reason order by count(*) desc, c.reason";
            Map<String, Object> q = new HashMap<>();
            long[] counted = jdbc.sql("select count(*), count(distinct c.lead_id) from lead_recycle c join lead l on l.id = c.lead_id where "
                    + f.inPeriod("c.recycled_at", q) + f.leadCondition(q)).params(q)
                    .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
            long accepted = funnelVolumes(f).get("SAL");
            // recycles per acceptance, both events (a lead accepted and recycled four times is 4 of 4, not 1 of 4)
            return countsBy("recycles", f, "reason", sql, p,
                    row("recycledLeads", counted[1], "acceptedLeads", accepted,
                            "recycleRate", accepted == 0 ? null : ratio(counted[0], accepted)));
        });
    }

    /**
     * How many leads were reached at attempt 1..N (a connected attempt in the period), and the share
     * of all reached leads. N = the SLA's max attempts.
     */
    public KpiReport attemptsToContact(KpiFilter f, int maxAttempts) {
        return planning.run(() -> {
            Map<String, Object> p = new HashMap<>();
            String sql = "select a.attempt_number, count(*) from lead_attempt a join lead l on l.id = a.lead_id"
                    + " where a.outcome = 'connected' and " + f.inPeriod("a.attempted_at", p) + f.leadCondition(p, "coalesce(a.rep, l.sales_rep)")
                    + " group by a.attempt_number";
            Map<Integer, Long> reached = new TreeMap<>();
            jdbc.sql(sql).params(p).query((rs, n) -> reached.put(rs.getInt(1), rs.getLong(2))).list();
            long total = reached.values().stream().mapToLong(Long::longValue).sum();
            List<Map<String, Object>> rows = new ArrayList<>();
            int last = Math.max(maxAttempts, reached.keySet().stream().mapToInt(Integer::intValue).max().orElse(0));
            for (int attempt = 1; attempt <= last; attempt++) {
                long n = reached.getOrDefault(attempt, 0L);
                rows.add(row("attempt", attempt, "reached", n, "share", total == 0 ? null : ratio(n, total)));
            }
            return new KpiReport("attempts-to-contact", f.describe(), row("reached", total),
                    List.of("attempt", "reached", "share"), rows);
        });
    }

    /** SQLs entered in the period (a month) against the agreed monthly target. */
    public KpiReport sqlTarget(KpiFilter f, int target) {
        return planning.run(() -> {
            long sqls = funnelVolumes(f).get("SQL");
            Map<String, Object> summary = row("sqls", sqls, "target", (long) target,
                    "attainment", target == 0 ? null : ratio(sqls, target), "missing", Math.max(0, target - sqls));
            return new KpiReport("sql-target", f.describe(), summary, List.of("sqls", "target", "attainment", "missing"), List.of(summary));
        });
    }

    /** Closed loop: per source and campaign, the period's inquiries and the opportunities created in it. */
    public KpiReport closedLoop(KpiFilter f) {
        return planning.run(() -> {
            Map<List<String>, Object[]> byOrigin = new TreeMap<>((a, b) -> {
                int c = a.get(0).compareTo(b.get(0));
                return c != 0 ? c : a.get(1).compareTo(b.get(1));
            });
            Map<String, Object> p = new HashMap<>();
            jdbc.sql("select coalesce(l.source, ''), coalesce(l.campaign, ''), count(*) from lead l where "
                            + f.inPeriod("l.created_at", p) + f.leadCondition(p) + " group by l.source, l.campaign")
                    .params(p).query((rs, n) -> byOrigin.computeIfAbsent(List.of(rs.getString(1), rs.getString(2)),
                            k -> new Object[] {0L, 0L, BigDecimal.ZERO})[0] = rs.getLong(3)).list();
            Map<String, Object> q = new HashMap<>();
            jdbc.sql("select coalesce(l.source, ''), coalesce(l.campaign, ''), count(*), sum(o.amount) from opportunity o"
                            + " join lead l on l.id = o.lead_id where " + f.inPeriod("o.created_at", q) + f.leadCondition(q)
                            + " group by l.source, l.campaign")
                    .params(q).query((rs, n) -> {
                        Object[] c = byOrigin.computeIfAbsent(List.of(rs.getString(1), rs.getString(2)),
                                k -> new Object[] {0L, 0L, BigDecimal.ZERO});
                        c[1] = rs.getLong(3);
                        c[2] = rs.getBigDecimal(4) == null ? BigDecimal.ZERO : rs.getBigDecimal(4);
                        return null;
                    }).list();
            List<Map<String, Object>> rows = new ArrayList<>();
            byOrigin.forEach((k, c) -> rows.add(row("source", k.get(0), "campaign", k.get(1), "inquiries", c[0],
                    "opportunities", c[1], "conversion", (long) c[0] == 0 ? null : ratio((long) c[1], (long) c[0]), "amount", c[2])));
            return new KpiReport("closed-loop", f.describe(), Map.of(),
                    List.of("source", "campaign", "inquiries", "opportunities", "conversion", "amount"), rows);
        });
    }

    private KpiReport countsBy(String kpi, KpiFilter f, String key, String sql, Map<String, Object> p, Map<String, Object> summary) {
        List<Object[]> counts = jdbc.sql(sql).params(p).query((rs, n) -> new Object[] {rs.getString(1), rs.getLong(2)}).list();
        long total = counts.stream().mapToLong(c -> (long) c[1]).sum();
        List<Map<String, Object>> rows = counts.stream()
                .map(c -> row(key, c[0], "count", c[1], "share", ratio((long) c[1], total))).toList();
        Map<String, Object> s = new LinkedHashMap<>(summary);
        s.put("total", total);
        return new KpiReport(kpi, f.describe(), s, List.of(key, "count", "share"), rows);
    }

    private static Map<String, Object> durations(String key, String value, double[] hours) {
        return row(key, value, "leads", (long) hours.length,
                "p50Hours", round(Percentiles.of(hours, 0.5)), "p90Hours", round(Percentiles.of(hours, 0.9)));
    }

    private static double[] hours(List<Duration> durations) {
        return durations.stream().mapToDouble(d -> d.toMillis() / 3_600_000.0).toArray();
    }

    static Double ratio(long part, long whole) {
        return whole == 0 ? null : round((double) part / whole);
    }

    private static Double complement(Double ratio) {
        return ratio == null ? null : round(1 - ratio);
    }

    /** Four decimals: enough for a share and for hours or minutes. */
    static Double round(Double value) {
        return value == null ? null : Math.round(value * 10_000) / 10_000.0;
    }

    private static Map<String, Object> row(Object... keyValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            row.put((String) keyValues[i], keyValues[i + 1]);
        }
        return row;
    }

    private static Map<String, String> orderedMap(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
