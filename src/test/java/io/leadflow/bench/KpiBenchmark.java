package io.leadflow.bench;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.leadflow.reporting.KpiFilter;
import io.leadflow.reporting.KpiPlanning;
import io.leadflow.reporting.KpiQueries;

/**
 * Benchmark, not a test: writes N leads' records (lead, stage entries, attempts, rejections,
 * recycles, breaches, opportunities) straight into a fresh PostgreSQL database with COPY, spread
 * over twelve months, then times the KPI queries on one month and prints p50/p95/p99 per KPI, in
 * two passes ({@link Pass}): every run planned with its values, as a KPI request on a pooled connection
 * mostly is, then the plan PostgreSQL settles on after ten runs on one connection. Each KPI runs
 * through {@link KpiPlanning} as in the app ({@code -Dleadflow.bench.kpi-page-cost}, 1.1; 0 = the
 * server's setting). pgbench TPC-B runs before the load and after the queries (as in the other
 * benchmarks: {@code -Dleadflow.bench.pgbench-seconds}, 20, 0 skips it;
 * {@code -Dleadflow.bench.pgbench-clients}, 4), and each KPI's queries per second at its first pass's
 * p50 are printed as a ratio to the mean tps, so that runs on machines of different speed compare.
 * Results go into docs/BENCHMARKS.md.
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) io.leadflow.bench.KpiBenchmark 1000000 50
 * </pre>
 * Arguments: leads (default 1,000,000), timed runs per KPI and pass (default 50, after 5 or 10 warm-up runs),
 * {@code keep} to reuse the loaded database, and optionally the KPIs to time (names, comma-separated,
 * e.g. {@code funnel} for the funnel with and without filters). Prints the machine's load average
 * before and after every KPI: other work on the machine shows in the figures.
 */
public final class KpiBenchmark {

    static final String DATABASE = "leadflow_kpi_bench";
    static final Instant END = Instant.parse("2026-11-01T00:00:00Z");
    static final String[] SOURCES = {"webForm", "import", "api", "event"};
    static final String[] REPS = {"sam", "sara", "sven", "sofia", "sid", "selma", "stan", "suki", "saul", "sina"};
    static final String[] REJECT = {"procedural", "clerical", "definitional"};
    static final String[] RECYCLE = {"unreachable", "timing"};
    static final DateTimeFormatter TS = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    public static void main(String[] args) throws Exception {
        int leads = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        // "keep": time the queries on the database of the last run, without loading it again
        boolean keep = args.length > 2 && args[2].equals("keep");
        only = args.length > 3 ? List.of(args[3].split(",")) : null;
        String url = "jdbc:postgresql://127.0.0.1:5432/" + DATABASE;
        DriverManagerDataSource pg = new DriverManagerDataSource(url, "postgres", "");
        BenchApp.Start start = BenchApp.begin(keep ? "before the queries" : "before the load");
        if (!keep) {
            BenchApp.freshDatabase(DATABASE);
            Flyway.configure().dataSource(pg).locations("classpath:db/migration").load().migrate();
            long started = System.nanoTime();
            long[] rows = load(url, leads);
            System.out.printf("loaded %,d leads, %,d stage entries, %,d attempts, %,d rejections, %,d recycles, %,d breaches, %,d opportunities in %.1f s%n",
                    leads, rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], (System.nanoTime() - started) / 1e9);
        }

        // a connection pool, as the app has (HikariCP): without one every statement opened a connection
        // of its own, and its start-up was timed with the query. Each KPI through KpiPlanning, as in the
        // app (-Dleadflow.bench.kpi-page-cost, the app's leadflow.kpis.random-page-cost: 1.1; 0 = the server's)
        double pageCost = Double.parseDouble(System.getProperty("leadflow.bench.kpi-page-cost", "1.1"));
        String pageCostText = pageCost == 0 ? "the server's" : String.valueOf(pageCost);
        System.out.printf("%nleadflow KPI benchmark — PostgreSQL, %,d leads over 12 months, period one month (October), %d runs per KPI, random_page_cost %s%n",
                leads, runs, pageCostText);
        for (Pass pass : Pass.values()) {
            try (HikariDataSource pool = pool(url, pass)) {
                KpiPlanning planning = new KpiPlanning(pool, new DataSourceTransactionManager(pool), pageCost);
                timeKpis(new KpiQueries(JdbcClient.create(pool), planning), pass, runs);
            }
        }

        double tpsAfter = start.pgbench().run("after the queries");
        System.out.printf("%nleadflow KPI benchmark — started %s, %,d leads, %d timed runs per KPI and pass, random_page_cost %s%n",
                start.startedAt(), leads, runs, pageCostText);
        double tps = (start.tpsBefore() + tpsAfter) / 2;
        if (start.pgbench().enabled()) {
            System.out.printf("pgbench        TPC-B, %d clients, %d s, scale 1: %.0f tps before, %.0f tps after, mean %.0f%n",
                    start.pgbench().clients(), start.pgbench().seconds(), start.tpsBefore(), tpsAfter, tps);
        } else {
            System.out.println("pgbench        skipped (-Dleadflow.bench.pgbench-seconds=0): no ratio");
        }
        System.out.printf("%-30s %-24s %-24s %s%n", "KPI", "first: p50 / p95 ms", "settled: p50 / p95 ms",
                start.pgbench().enabled() ? "first: queries/s at p50 ÷ TPC-B tps" : "");
        for (Timing first : timings.get(Pass.FIRST)) {
            Timing settled = timings.get(Pass.SETTLED).stream().filter(t -> t.name().equals(first.name())).findFirst().orElseThrow();
            System.out.printf("%-30s %-24s %-24s %s%n", first.name(), "%.1f / %.1f".formatted(first.p50(), first.p95()),
                    "%.1f / %.1f".formatted(settled.p50(), settled.p95()),
                    start.pgbench().enabled() ? "%.5f".formatted(first.perSecondAtP50() / tps) : "");
        }
        System.out.printf("machine        %d cores, Java %s; load average at start %s, at end %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), start.loadAverage(),
                CaptureBenchmark.loadAverage());
    }

    /**
     * The two ways a KPI statement is planned on a pooled connection. The JDBC driver prepares a
     * statement on the server from its fifth execution on a connection; PostgreSQL plans a prepared
     * statement with its values five times more, then may keep a generic plan (without the values)
     * when it looks no dearer. A KPI request in the app mostly gets the first kind: a pool of 20
     * connections, each with its own prepared statements, rarely runs one KPI ten times on one.
     */
    enum Pass {
        /** Every run planned with its values ({@code prepareThreshold=0}), as a connection's first nine: 5 warm-up runs. */
        FIRST("first on a connection", 5),
        /** The driver's default, after 10 warm-up runs: the plan PostgreSQL settles on for the statement. */
        SETTLED("settled", 10);

        final String title;
        final int warmups;

        Pass(String title, int warmups) {
            this.title = title;
            this.warmups = warmups;
        }
    }

    /** A HikariCP pool, the kind the app runs its queries through, on the benchmark's database: two connections, the queries run one at a time. */
    static HikariDataSource pool(String url, Pass pass) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setPassword("");
        config.setMaximumPoolSize(2);
        if (pass == Pass.FIRST) {
            config.addDataSourceProperty("prepareThreshold", "0");
        }
        return new HikariDataSource(config);
    }

    private static void timeKpis(KpiQueries kpis, Pass pass, int runs) {
        KpiFilter october = KpiFilter.period(OffsetDateTime.parse("2026-10-01T00:00:00Z"), OffsetDateTime.parse("2026-11-01T00:00:00Z"));
        System.out.printf("%n%s: %d runs per KPI after %d warm-up%n", pass.title, runs, pass.warmups);
        if (pass == Pass.FIRST) {
            System.out.println("funnel of October: " + kpis.funnel(october).rows());
        }
        time(pass, "funnel", runs, () -> kpis.funnel(october));
        time(pass, "funnel, source=webForm", runs, () -> kpis.funnel(october.withSource("webForm")));
        time(pass, "funnel, campaign=campaign-3", runs, () -> kpis.funnel(october.withCampaign("campaign-3")));
        time(pass, "funnel, team of 3 reps", runs, () -> kpis.funnel(october.withReps(List.of("sam", "sara", "sven"))));
        time(pass, "funnel, rep=sam", runs, () -> kpis.funnel(october.withReps(List.of("sam"))));
        time(pass, "velocity", runs, () -> kpis.velocity(october));
        time(pass, "speed-to-lead", runs, () -> kpis.speedToLead(october));
        time(pass, "sla-attainment", runs, () -> kpis.slaAttainment(october));
        time(pass, "reject-reasons", runs, () -> kpis.rejectReasons(october));
        time(pass, "recycles", runs, () -> kpis.recycles(october));
        time(pass, "attempts-to-contact", runs, () -> kpis.attemptsToContact(october, 10));
        time(pass, "closed-loop", runs, () -> kpis.closedLoop(october));
    }

    /** One KPI's timed runs, in milliseconds. */
    record Timing(String name, double p50, double p95, double p99, double max) {

        /** One after another, at the median time: how many of this query one client runs per second. */
        double perSecondAtP50() {
            return 1000 / p50;
        }
    }

    private static List<String> only;
    private static final Map<Pass, List<Timing>> timings = new EnumMap<>(Map.of(Pass.FIRST, new ArrayList<>(), Pass.SETTLED, new ArrayList<>()));

    private static void time(Pass pass, String name, int runs, Supplier<?> kpi) {
        if (only != null && !only.contains(name.split(",")[0])) {
            return;
        }
        String loadBefore = loadAverage();
        for (int i = 0; i < pass.warmups; i++) {
            kpi.get();
        }
        double[] inOrder = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            kpi.get();
            inOrder[i] = (System.nanoTime() - t) / 1e6;
        }
        double[] ms = inOrder.clone();
        Arrays.sort(ms);
        Timing timing = new Timing(name, ms[(int) Math.ceil(0.50 * runs) - 1], ms[(int) Math.ceil(0.95 * runs) - 1],
                ms[(int) Math.ceil(0.99 * runs) - 1], ms[runs - 1]);
        timings.get(pass).add(timing);
        System.out.printf("%-30s p50 %7.1f ms   p95 %7.1f ms   p99 %7.1f ms   max %7.1f ms   load %s -> %s   slowest %s%n", name,
                timing.p50(), timing.p95(), timing.p99(), timing.max(), loadBefore, loadAverage(), slowest(inOrder, 3));
    }

    /**
     * The {@code n} slowest runs with their number in the order they ran (the first timed run is 1),
     * e.g. "#1 812.0, #2 640.3, #17 590.1": whether the runs above the median come first (a plan or a
     * cache that settles) or anywhere (other work on the machine).
     */
    static String slowest(double[] inOrder, int n) {
        return IntStream.range(0, inOrder.length).boxed()
                .sorted((a, b) -> Double.compare(inOrder[b], inOrder[a])).limit(n)
                .map(i -> "#%d %.1f".formatted(i + 1, inOrder[i])).collect(Collectors.joining(", "));
    }

    /** The 1-minute load average (the first figure of {@link CaptureBenchmark#loadAverage()}). */
    private static String loadAverage() {
        return CaptureBenchmark.loadAverage().split(" ")[0];
    }

    /**
     * Each lead's age at {@link #END} in seconds, uniform over {@code span}: oldest first (the order
     * of creation), or in the order drawn.
     */
    static long[] ages(int leads, long span, boolean shuffled) {
        Random random = new Random(7);
        long[] ages = new long[leads];
        for (int i = 0; i < leads; i++) {
            ages[i] = (long) (random.nextDouble() * span);
        }
        if (!shuffled) {
            Arrays.sort(ages);
            for (int i = 0, j = leads - 1; i < j; i++, j--) {
                long older = ages[j];
                ages[j] = ages[i];
                ages[i] = older;
            }
        }
        return ages;
    }

    /**
     * COPY in chunks of 50,000 leads; returns the rows of the other tables. The leads are written in
     * the order they were created, as a live database receives them, so that a month's leads lie
     * together in the table; {@code -Dleadflow.bench.shuffled=true} writes them in random order of
     * creation instead (every month's leads spread over the whole table, as before the twenty-third run).
     */
    private static long[] load(String url, int leads) throws SQLException, IOException {
        Random random = new Random(11);
        long[] counts = new long[6];
        long span = Duration.ofDays(365).toSeconds();
        long[] ages = ages(leads, span, Boolean.getBoolean("leadflow.bench.shuffled"));
        try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            for (int from = 0; from < leads; from += 50_000) {
                StringBuilder lead = new StringBuilder();
                StringBuilder stage = new StringBuilder();
                StringBuilder attempt = new StringBuilder();
                StringBuilder rejection = new StringBuilder();
                StringBuilder recycle = new StringBuilder();
                StringBuilder breach = new StringBuilder();
                StringBuilder opportunity = new StringBuilder();
                for (int i = from; i < Math.min(leads, from + 50_000); i++) {
                    String id = String.format("00000000-0000-0000-0000-%012d", i);
                    OffsetDateTime created = OffsetDateTime.ofInstant(END.minusSeconds(ages[i]), ZoneOffset.UTC);
                    String source = SOURCES[random.nextInt(SOURCES.length)];
                    String campaign = "campaign-" + random.nextInt(10);
                    String rep = REPS[random.nextInt(REPS.length)];
                    boolean mql = random.nextDouble() < 0.4;
                    lead.append(id).append('\t').append("lead").append(i).append("@bench.example\t").append("lead").append(i)
                            .append("@bench.example\t").append(source).append('\t').append(campaign).append('\t')
                            .append(mql ? "MQL" : "NURTURING").append('\t').append(mql ? rep : "\\N").append('\t')
                            .append(random.nextInt(4) == 0 ? "A" : "B").append('\t').append(TS.format(created)).append('\t')
                            .append(TS.format(created)).append('\t')
                            .append("L-%d-%06d".formatted(created.withOffsetSameInstant(java.time.ZoneOffset.UTC).getYear(), i + 1)).append('\n');
                    if (!mql) {
                        continue;
                    }
                    OffsetDateTime t = created.plusMinutes(random.nextInt(60 * 24 * 3));
                    stage.append(id).append("\tMQL\t").append(TS.format(t)).append('\n');
                    counts[0]++;
                    if (random.nextDouble() < 0.15) {
                        breach.append(id).append("\treviewMql\tTask_ReviewMql\t").append(TS.format(t.plusHours(9))).append("\t\\N\n");
                        counts[4]++;
                    }
                    t = t.plusMinutes(30 + random.nextInt(60 * 16));
                    if (random.nextDouble() < 0.25) {
                        rejection.append(id).append('\t').append(REJECT[random.nextInt(3)]).append('\t').append(rep).append('\t')
                                .append(TS.format(t)).append('\n');
                        counts[2]++;
                        continue;
                    }
                    stage.append(id).append("\tSAL\t").append(TS.format(t)).append('\n');
                    counts[0]++;
                    int attempts = 1 + random.nextInt(4);
                    boolean reached = random.nextDouble() < 0.7;
                    for (int n = 1; n <= attempts; n++) {
                        t = t.plusMinutes(10 + random.nextInt(60 * 8));
                        attempt.append(id).append('\t').append(n).append("\tphone\t")
                                .append(reached && n == attempts ? "connected" : "noAnswer").append('\t').append(rep).append('\t')
                                .append(TS.format(t)).append('\n');
                        counts[1]++;
                    }
                    if (!reached) {
                        recycle.append(id).append('\t').append(RECYCLE[random.nextInt(2)]).append('\t').append(TS.format(t.plusDays(1))).append('\n');
                        counts[3]++;
                        continue;
                    }
                    if (random.nextDouble() < 0.5) {
                        continue;
                    }
                    t = t.plusHours(1 + random.nextInt(72));
                    stage.append(id).append("\tSQL\t").append(TS.format(t)).append('\n');
                    counts[0]++;
                    if (random.nextDouble() < 0.6) {
                        t = t.plusMinutes(1);
                        stage.append(id).append("\tOPPORTUNITY\t").append(TS.format(t)).append('\n');
                        opportunity.append(id).append('\t').append(rep).append('\t').append(5_000 + random.nextInt(45_000))
                                .append('\t').append(TS.format(t)).append('\n');
                        counts[0]++;
                        counts[5]++;
                    }
                }
                copy.copyIn("copy lead (id, email, email_normalized, source, campaign, stage, sales_rep, fit_grade, created_at, updated_at, lead_number) from stdin", new StringReader(lead.toString()));
                copy.copyIn("copy lead_stage_entry (lead_id, stage, entered_at) from stdin", new StringReader(stage.toString()));
                copy.copyIn("copy lead_attempt (lead_id, attempt_number, channel, outcome, rep, attempted_at) from stdin", new StringReader(attempt.toString()));
                copy.copyIn("copy lead_rejection (lead_id, reason, rejected_by, rejected_at) from stdin", new StringReader(rejection.toString()));
                copy.copyIn("copy lead_recycle (lead_id, reason, recycled_at) from stdin", new StringReader(recycle.toString()));
                copy.copyIn("copy sla_breach (lead_id, sla, task_key, breached_at, assignee) from stdin", new StringReader(breach.toString()));
                copy.copyIn("copy opportunity (lead_id, sales_rep, amount, created_at) from stdin", new StringReader(opportunity.toString()));
            }
            try (Statement sql = connection.createStatement()) {
                sql.execute("vacuum analyze");
            }
        }
        return counts;
    }
}
