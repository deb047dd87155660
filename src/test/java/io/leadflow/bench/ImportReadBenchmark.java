package io.leadflow.bench;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.task.Task;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadflow.LeadflowApplication;
import io.leadflow.security.TasklistFilters;

/**
 * Benchmark, not a test (P1b and P3 of the performance issue): a large CSV import, then the reads
 * reps make while all those leads are open.
 *
 * <ol>
 * <li>prints the load average and runs pgbench TPC-B in its own database — the machine's reference
 *     (the helpers of {@link CaptureBenchmark});</li>
 * <li>starts leadflow in this JVM (demo profile with its users, a fresh PostgreSQL database
 *     {@code leadflow_import_bench}) and times the start-up;</li>
 * <li>writes a CSV of N distinct leads — 70 % that fit the ideal customer profile (grade A, 50 fit
 *     points), 30 % that do not (grade D) — in as few files as the 20 MB upload limit allows, posts
 *     each to {@code POST /api/imports} with the demo API key and polls {@code GET /api/imports/{id}}
 *     until every file is done. An import is no hand-raiser (no engagement points), so every
 *     imported lead, strong or weak, waits in nurture: N open lifecycles;</li>
 * <li>makes rep work out of some of them as it happens in production: a webinar engagement for M
 *     strong leads ({@code POST /api/leads/{id}/engagements}) lifts them over the MQL threshold into
 *     "Review MQL"; mia approves K of those through the engine's API in this JVM, so sam and sara
 *     get "Accept lead" tasks. Then, from R clients over HTTP: sam's "My tasks" cold (the first
 *     requests after the import, as a rep finds the app after a start), and every read after a warm-up
 *     that is not counted:
 *     sam's "My tasks" and "My team's tasks" as Tasklist lists them (logged into Tasklist: {@code POST
 *     /camunda/api/engine/engine/default/filter/{id}/list}, HAL, with the session cookie and CSRF
 *     token; once more over {@code /engine-rest} with HTTP Basic, as an API client would, which checks
 *     the password on every request); for comparison the larger queues of
 *     max (sales manager: "Accept lead" and the "Assign lead by hand" of leads no rep had room for,
 *     capacity 25 each) and mia (marketing: the "Review MQL" not approved); and the lead record
 *     {@code GET /api/leads/{id}} of random leads with the demo key, and of random engaged leads (each
 *     with an open task, as the leads reps look up);</li>
 * <li>stops the app, runs pgbench again, prints heap, load and rows/s ÷ TPC-B tps.</li>
 * </ol>
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test \
 *   &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) io.leadflow.bench.ImportReadBenchmark 100000 4
 * </pre>
 * Arguments: rows (100,000), read clients (4). System properties ({@code -D…} before the class name):
 * {@code leadflow.bench.pgbench-seconds} (20, 0 skips pgbench), {@code leadflow.bench.pgbench-clients}
 * (4), {@code leadflow.bench.import-files} (0: as few as the upload limit allows), {@code
 * leadflow.bench.mqls} (1,000 leads engaged into "Review MQL"), {@code leadflow.bench.approvals} (500
 * approved into "Accept lead"), {@code leadflow.bench.read-warmup} (3,000: after 300 the
 * app still spent 1.5 times the CPU per list request it spends after 3,000; the first requests after the import are
 * measured apart, "cold") and {@code
 * leadflow.bench.read-requests} (1,000 per read; 0 skips the reads: the import alone), {@code
 * leadflow.bench.history-grants} (0: before the reads, adds that many historic-task authorizations, the
 * grants a year of completed tasks leaves in the table), {@code leadflow.bench.app-args} (more arguments
 * for the app, space-separated). Results go into docs/BENCHMARKS.md.
 */
public final class ImportReadBenchmark {

    static final String DATABASE = "leadflow_import_bench";
    /** Below the 20 MB upload limit, with room for the multipart envelope. */
    static final long MAX_FILE_BYTES = 19L * 1024 * 1024;
    static final String HEADER = "email,firstName,lastName,company,companySize,country,phone,jobTitle,role,industry,campaign";
    static final double STRONG_SHARE = 0.7;
    static final int TARGET_IMPORT_SECONDS = 300;
    static final double TARGET_TASK_LIST_P95 = 50;
    static final double TARGET_LEAD_RECORD_P95 = 20;
    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int readClients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int filesWanted = Integer.getInteger("leadflow.bench.import-files", 0);
        int mqls = Integer.getInteger("leadflow.bench.mqls", 1000);
        int approvals = Integer.getInteger("leadflow.bench.approvals", 500);
        int historyGrants = Integer.getInteger("leadflow.bench.history-grants", 0);
        int warmup = Integer.getInteger("leadflow.bench.read-warmup", 3000);
        int readRequests = Integer.getInteger("leadflow.bench.read-requests", 1000);
        String appArgs = System.getProperty("leadflow.bench.app-args", "").trim();

        BenchApp.Start start = BenchApp.begin("before the import");
        String loadAtStart = start.loadAverage();
        String startedAt = start.startedAt();
        CaptureBenchmark.Pgbench pgbench = start.pgbench();
        double tpsBefore = start.tpsBefore();

        BenchApp.freshDatabase(DATABASE);
        // sam, sara and mia log in to the engine's REST API as Tasklist does; the demo users get their filters at start-up
        List<String> arguments = List.of(BenchApp.arguments(BenchApp.properties(DATABASE, true), appArgs));

        Path csvDirectory = Files.createTempDirectory("leadflow-import-bench-");
        List<Path> files = writeCsv(csvDirectory, rows, filesWanted);
        long csvBytes = 0;
        for (Path file : files) {
            csvBytes += Files.size(file);
        }
        System.out.printf("CSV: %d rows (%d strong, %d weak) in %d file(s), %.1f MB%n", rows, strongCount(rows), rows - strongCount(rows),
                files.size(), csvBytes / 1e6);

        Connection db = DriverManager.getConnection(CaptureBenchmark.POSTGRES + DATABASE, "postgres", "");
        long startNanos = System.nanoTime();
        double startSeconds;
        ImportOutcome imported;
        String loadAfterImport;
        Map<String, Long> openTasks;
        double engageSeconds;
        double approveSeconds;
        Map<String, Long> acceptByRep;
        Map<String, Read> reads = new LinkedHashMap<>();
        long openLeadInstances;
        long heapUsed;
        long heapPeak;
        String loadAfterReads;
        try (ConfigurableApplicationContext context = new SpringApplication(LeadflowApplication.class).run(arguments.toArray(String[]::new))) {
            startSeconds = (System.nanoTime() - startNanos) / 1e9;
            System.out.printf("started in %.1f s%n", startSeconds);
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            String base = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

            // P1b: the import
            imported = importFiles(http, base, files, rows);
            loadAfterImport = CaptureBenchmark.loadAverage();
            openLeadInstances = TimerWaveBenchmark.count(db,
                    "select count(*) from act_ru_execution where parent_id_ is null and proc_def_id_ like 'leadLifecycle:%'");
            openTasks = groupCount(db, "select task_def_key_, count(*) from act_ru_task group by task_def_key_");
            System.out.printf("open lifecycles %d, open tasks by kind %s, load average %s%n", openLeadInstances, openTasks, loadAfterImport);

            // planner statistics as autovacuum keeps them in production: without them (a minutes-old database, or a
            // server with autovacuum off) a message correlation by business key took 0.7-2.2 s at 100,000 leads and
            // the task list query ran as a nested loop, 4x slower
            BenchApp.analyze(db, "after the import");

            // rep work: engaged strong leads become MQLs, mia approves some, sam and sara get "Accept lead"
            ProcessEngine engine = context.getBean(ProcessEngine.class);
            List<String> strongLeads = strings(db, "select id from lead where fit_grade = 'A' order by email limit " + mqls);
            long engageStart = System.nanoTime();
            CaptureBenchmark.Result engaged = measure(http, readClients, 0, strongLeads.size(), i -> HttpRequest.newBuilder(
                            URI.create(base + "/api/leads/" + strongLeads.get(i) + "/engagements"))
                    .header("Content-Type", "application/json").headers(CaptureBenchmark.credentials())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"webinar\", \"detail\": \"benchmark webinar\"}")).build());
            long woken = engaged.samples().stream().filter(sample -> sample.status() == 202).count();
            // the nurture wakes within the request; the wait only guards against a slower path
            awaitCount(db, "select count(*) from act_ru_task where task_def_key_ = 'Task_ReviewMql'", woken, Duration.ofMinutes(2));
            engageSeconds = (System.nanoTime() - engageStart) / 1e9;
            System.out.printf("engaged %d strong leads in %.1f s (answers %s): %d \"Review MQL\" tasks open%n", strongLeads.size(),
                    engageSeconds, engaged.statuses(),
                    TimerWaveBenchmark.count(db, "select count(*) from act_ru_task where task_def_key_ = 'Task_ReviewMql'"));

            long approveStart = System.nanoTime();
            int approved = approve(engine, readClients, approvals);
            approveSeconds = (System.nanoTime() - approveStart) / 1e9;
            acceptByRep = groupCount(db, "select coalesce(assignee_, '(none)'), count(*) from act_ru_task"
                    + " where task_def_key_ = 'Task_AcceptLead' group by assignee_");
            System.out.printf("mia approved %d MQLs in %.1f s: \"Accept lead\" by rep %s%n", approved, approveSeconds, acceptByRep);

            // P3: the reads, warm (read-requests=0: the import alone)
            if (readRequests > 0) {
                if (historyGrants > 0) {
                    addHistoryGrants(db, historyGrants);
                }
                BenchApp.analyze(db, "after the rep work");
                FilterService filters = engine.getFilterService();
                List<String> leadIds = strings(db, "select id from lead");
                Random random = new Random(42);
                String[] randomLeads = picks(leadIds, warmup + readRequests, random);
                String samsTasks = filterId(filters, TasklistFilters.MY_TASKS, "sam");
                // what a rep sees right after a start: the first requests, the JIT still compiling
                reads.put("sam: My tasks, cold", read(http, readClients, 0, readRequests,
                        tasklistFilterList(tasklistLogin(http, base, "sam"), samsTasks)));
                reads.put("sam: My tasks", read(http, readClients, warmup, readRequests,
                        tasklistFilterList(tasklistLogin(http, base, "sam"), samsTasks)));
                reads.put("sam: My team's tasks", read(http, readClients, warmup, readRequests,
                        tasklistFilterList(tasklistLogin(http, base, "sam"), filterId(filters, TasklistFilters.MY_TEAMS_TASKS, "sam"))));
                reads.put("max: My team's tasks", read(http, readClients, warmup, readRequests,
                        tasklistFilterList(tasklistLogin(http, base, "max"), filterId(filters, TasklistFilters.MY_TEAMS_TASKS, "max"))));
                reads.put("mia: My team's tasks", read(http, readClients, warmup, readRequests,
                        tasklistFilterList(tasklistLogin(http, base, "mia"), filterId(filters, TasklistFilters.MY_TEAMS_TASKS, "mia"))));
                reads.put("sam: My tasks (Basic)", read(http, readClients, warmup, readRequests, filterList(base, samsTasks, "sam")));
                URI app = URI.create(base);
                IntFunction<HttpRequest> leadRecord = i -> CaptureBenchmark.leadLookup(app, randomLeads[i]);
                reads.put("lead record", read(http, readClients, warmup, readRequests, leadRecord));
                // the leads reps look up: the engaged ones, each with an open task ("Review MQL", "Accept lead" or
                // "Assign lead by hand"), so the record also reads the task and its SLA status through the engine
                String[] leadsWithTask = picks(strongLeads, warmup + readRequests, random);
                reads.put("lead record, open task", read(http, readClients, warmup, readRequests,
                        i -> CaptureBenchmark.leadLookup(app, leadsWithTask[i])));
                if (readClients > 1) {
                    // one rep alone: the same reads from a single client, nothing else asking
                    reads.put("sam: My tasks, 1 client", read(http, 1, warmup, readRequests,
                            tasklistFilterList(tasklistLogin(http, base, "sam"), samsTasks)));
                    reads.put("sam: team's, 1 client", read(http, 1, warmup, readRequests,
                            tasklistFilterList(tasklistLogin(http, base, "sam"), filterId(filters, TasklistFilters.MY_TEAMS_TASKS, "sam"))));
                    reads.put("lead record, 1 client", read(http, 1, warmup, readRequests, leadRecord));
                }
                reads.forEach((name, read) -> System.out.printf("read %-22s p95 %.1f ms, CPU per request: app %.1f ms, PostgreSQL %.1f ms%n",
                        name, read.result().percentile(95), read.appCpuMillis(), read.databaseCpuMillis()));
            }
            loadAfterReads = CaptureBenchmark.loadAverage();

            heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            heapPeak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                    .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        } finally {
            db.close();
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(csvDirectory);
        }
        double tpsAfter = pgbench.run("after the reads");
        String loadAtEnd = CaptureBenchmark.loadAverage();
        double tps = pgbench.enabled() ? (tpsBefore + tpsAfter) / 2 : Double.NaN;

        System.out.printf("%nleadflow import and read benchmark — PostgreSQL, %d rows, %d read clients, started %s%n", rows, readClients, startedAt);
        System.out.printf("start-up     %.1f s (context)%n", startSeconds);
        System.out.printf("import       %d rows in %d file(s): %.1f s (%.1f s by the server's start and end), %.1f rows/s overall,"
                        + " %.1f rows/s in the first %.0f s%n",
                rows, files.size(), imported.seconds(), imported.serverSeconds(), rows / imported.seconds(), imported.firstRate(),
                imported.firstSeconds());
        System.out.printf("             status %s; rows read %d, created %d, duplicates %d, rejected %d, suppressed %d%n",
                imported.statuses(), imported.total().rowsRead(), imported.total().created(), imported.total().duplicates(),
                imported.total().rejected(), imported.total().suppressed());
        System.out.printf("             target 100,000 rows in <= %d s: at this rate 100,000 rows take %.0f s (%.1f min)%n",
                TARGET_IMPORT_SECONDS, 100_000 / (rows / imported.seconds()), 100_000 / (rows / imported.seconds()) / 60);
        System.out.printf("open         %d lifecycles; tasks by kind after the import %s%n", openLeadInstances, openTasks);
        System.out.printf("rep work     %d leads engaged into \"Review MQL\" in %.1f s, %d approved in %.1f s; \"Accept lead\" by rep %s%n",
                mqls, engageSeconds, approvals, approveSeconds, acceptByRep);
        if (historyGrants > 0) {
            System.out.printf("history      %,d historic-task authorizations added before the reads (a long-running installation)%n",
                    historyGrants);
        }
        System.out.printf("reads        warm: %d requests each after %d warm-up requests (not counted), %d clients unless the name says 1;"
                + " cold: the first %d after the import, no warm-up%n", readRequests, warmup, readClients, readRequests);
        System.out.println("read                     requests     req/s    p50 ms    p95 ms    p99 ms    max ms   target p95    CPU ms/req: app  PostgreSQL   answers");
        reads.forEach((name, read) -> {
            CaptureBenchmark.Result result = read.result();
            double target = name.startsWith("lead record") ? TARGET_LEAD_RECORD_P95 : name.startsWith("sam") ? TARGET_TASK_LIST_P95 : Double.NaN;
            System.out.printf("%-22s  %9d  %8.1f  %8.1f  %8.1f  %8.1f  %8.1f   %-11s  %14.1f  %10.1f   %s%n", name, result.count(), result.throughput(),
                    result.percentile(50), result.percentile(95), result.percentile(99), result.percentile(100),
                    Double.isNaN(target) ? "-" : "%.0f ms %s".formatted(target, !allOk(result) ? "FAILED" : result.percentile(95) <= target ? "met" : "MISSED"),
                    read.appCpuMillis(), read.databaseCpuMillis(), result.statuses());
        });
        System.out.printf("heap         %d MiB used at the end, peak %d MiB (sum of heap pools), max %d MiB%n",
                heapUsed >> 20, heapPeak >> 20, Runtime.getRuntime().maxMemory() >> 20);
        if (pgbench.enabled()) {
            System.out.printf("pgbench      TPC-B, %d clients, %d s, scale 1: %.0f tps before, %.0f tps after, mean %.0f%n",
                    pgbench.clients(), pgbench.seconds(), tpsBefore, tpsAfter, tps);
            System.out.printf("ratio        import rows/s ÷ TPC-B tps = %.4f (overall), %.4f (first %.0f s)%n",
                    rows / imported.seconds() / tps, imported.firstRate() / tps, imported.firstSeconds());
        }
        System.out.printf("machine      %d cores, Java %s, %s; load average at start %s, after the import %s, after the reads %s, at end %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("-Xm")).toList(),
                loadAtStart, loadAfterImport, loadAfterReads, loadAtEnd);
        if (!appArgs.isEmpty()) {
            System.out.printf("app arguments  %s%n", appArgs);
        }
    }

    static int strongCount(int rows) {
        int strong = 0;
        for (int i = 0; i < rows; i++) {
            strong += strong(i) ? 1 : 0;
        }
        return strong;
    }

    /** 7 of every 10 rows fit the ideal customer profile. */
    static boolean strong(int row) {
        return row % 10 < STRONG_SHARE * 10;
    }

    /**
     * N distinct leads. Strong: executive, software, 500 employees, DE — 50 fit points, grade A, an
     * MQL after one webinar. Weak: practitioner, retail, 20 employees, BR — 13 points, grade D.
     * A new file starts when the one being written would pass the upload limit (or at an equal
     * share of the rows when a number of files is asked for).
     */
    static List<Path> writeCsv(Path directory, int rows, int filesWanted) throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36);
        String[] firstNames = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Niklaus"};
        String[] lastNames = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Wirth"};
        int perFile = filesWanted > 0 ? (rows + filesWanted - 1) / filesWanted : Integer.MAX_VALUE;
        List<Path> files = new ArrayList<>();
        BufferedWriter out = null;
        long bytes = 0;
        int inFile = 0;
        try {
            for (int i = 0; i < rows; i++) {
                boolean strong = strong(i);
                String row = String.join(",", "import-" + run + "-" + i + "@bench.example", firstNames[i % 10], lastNames[(i / 10) % 10],
                        "Company " + i, strong ? "500" : "20", strong ? "DE" : "BR", "+49 30 " + (1_000_000 + i),
                        strong ? "CTO" : "Analyst", strong ? "executive" : "practitioner", strong ? "software" : "retail",
                        i % 3 == 0 ? "black-friday" : "") + "\n";
                int rowBytes = row.getBytes(StandardCharsets.UTF_8).length;
                if (out == null || inFile >= perFile || bytes + rowBytes > MAX_FILE_BYTES) {
                    if (out != null) {
                        out.close();
                    }
                    Path file = directory.resolve("leads-" + (files.size() + 1) + ".csv");
                    files.add(file);
                    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                    out.write(HEADER + "\n");
                    bytes = HEADER.length() + 1;
                    inFile = 0;
                }
                out.write(row);
                bytes += rowBytes;
                inFile++;
            }
        } finally {
            if (out != null) {
                out.close();
            }
        }
        return files;
    }

    record Counts(int rowsRead, int created, int duplicates, int rejected, int suppressed) {
        Counts plus(JsonNode record) {
            return new Counts(rowsRead + record.path("rowsRead").asInt(), created + record.path("created").asInt(),
                    duplicates + record.path("duplicates").asInt(), rejected + record.path("rejected").asInt(),
                    suppressed + record.path("suppressed").asInt());
        }
    }

    record ImportOutcome(double seconds, double serverSeconds, double firstSeconds, double firstRate, Counts total,
                        Map<String, Integer> statuses) {
    }

    /** Posts every file, then polls every import each second (printing every 5 s) until none is QUEUED or RUNNING. */
    static ImportOutcome importFiles(HttpClient http, String base, List<Path> files, int rows) throws Exception {
        String boundary = "leadflow-bench-" + System.nanoTime();
        List<String> ids = new ArrayList<>();
        long start = System.nanoTime();
        for (Path file : files) {
            HttpRequest upload = HttpRequest.newBuilder(URI.create(base + "/api/imports"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .headers(CaptureBenchmark.credentials())
                    .POST(HttpRequest.BodyPublishers.concat(
                            HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                                    + file.getFileName() + "\"\r\nContent-Type: text/csv\r\n\r\n"),
                            HttpRequest.BodyPublishers.ofFile(file),
                            HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n")))
                    .build();
            HttpResponse<String> accepted = http.send(upload, HttpResponse.BodyHandlers.ofString());
            if (accepted.statusCode() != 202) {
                throw new IllegalStateException("upload of " + file.getFileName() + " answered " + accepted.statusCode() + ": " + accepted.body());
            }
            ids.add(JSON.readTree(accepted.body()).path("id").asText());
        }
        System.out.printf("uploaded %d file(s) in %.1f s; polling%n", files.size(), (System.nanoTime() - start) / 1e9);
        double firstSeconds = Double.NaN;
        double firstRate = Double.NaN;
        long lastPrint = start;
        while (true) {
            Thread.sleep(1000);
            List<JsonNode> records = new ArrayList<>();
            for (String id : ids) {
                HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(base + "/api/imports/" + id))
                        .headers(CaptureBenchmark.credentials()).GET().build(), HttpResponse.BodyHandlers.ofString());
                records.add(JSON.readTree(status.body()));
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            Counts total = new Counts(0, 0, 0, 0, 0);
            Map<String, Integer> statuses = new TreeMap<>();
            for (JsonNode record : records) {
                total = total.plus(record);
                statuses.merge(record.path("status").asText(), 1, Integer::sum);
            }
            boolean running = statuses.containsKey("RUNNING") || statuses.containsKey("QUEUED");
            if (Double.isNaN(firstSeconds) && (elapsed >= 60 || !running)) {
                firstSeconds = elapsed;
                firstRate = total.rowsRead() / elapsed;
            }
            if (!running) {
                OffsetDateTime from = records.stream().map(r -> OffsetDateTime.parse(r.path("startedAt").asText()))
                        .min(OffsetDateTime::compareTo).orElseThrow();
                OffsetDateTime to = records.stream().map(r -> OffsetDateTime.parse(r.path("finishedAt").asText()))
                        .max(OffsetDateTime::compareTo).orElseThrow();
                System.out.printf("  %6.0f s: all %d import(s) ended %s, %d rows read%n", elapsed, ids.size(), statuses, total.rowsRead());
                return new ImportOutcome(elapsed, Duration.between(from, to).toMillis() / 1000.0, firstSeconds, firstRate, total, statuses);
            }
            if (System.nanoTime() - lastPrint >= 5e9) {
                lastPrint = System.nanoTime();
                double rate = total.rowsRead() / elapsed;
                System.out.printf("  %6.0f s: %d of %d rows done, %.1f rows/s, ETA %.0f s; load average %s%n", elapsed, total.rowsRead(), rows,
                        rate, rate > 0 ? (rows - total.rowsRead()) / rate : Double.NaN, CaptureBenchmark.loadAverage());
            }
        }
    }

    /**
     * mia approves up to {@code count} "Review MQL" tasks through the engine's API, authenticated
     * with her groups (the engine checks her grants, as for the task form), {@code threads} at a time.
     */
    static int approve(ProcessEngine engine, int threads, int count) throws Exception {
        TaskService tasks = engine.getTaskService();
        IdentityService identity = engine.getIdentityService();
        List<Task> reviews = tasks.createTaskQuery().taskDefinitionKey("Task_ReviewMql").orderByTaskCreateTime().asc().listPage(0, count);
        // as Tasklist would: mia with her groups, whose grants let marketing work on its tasks
        List<String> groups = identity.createGroupQuery().groupMember("mia").list().stream().map(g -> g.getId()).toList();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                int done = 0;
                identity.setAuthentication("mia", groups);
                try {
                    for (int i = next.getAndIncrement(); i < reviews.size(); i = next.getAndIncrement()) {
                        tasks.complete(reviews.get(i).getId(), Map.of("reviewDecision", "approve", "reviewNote", "fits the ICP"));
                        done++;
                    }
                } finally {
                    identity.clearAuthentication();
                }
                return done;
            }));
        }
        int approved = 0;
        try {
            for (Future<Integer> worker : workers) {
                approved += worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return approved;
    }

    /**
     * The authorizations a long-running installation holds for its completed tasks: the engine gives
     * each user task's candidate groups and assignee READ on the task's history, and those rows stay
     * until the history cleanup (the lifecycle keeps 365 days). Copies the historic-task grants the run
     * has made so far, with new ids, until {@code wanted} were added, then vacuums and analyzes the
     * table as autovacuum would.
     */
    static void addHistoryGrants(Connection db, int wanted) throws Exception {
        long start = System.nanoTime();
        int historicTask = Resources.HISTORIC_TASK.resourceType();
        long existing = TimerWaveBenchmark.count(db, "select count(*) from act_ru_authorization where resource_type_ = " + historicTask);
        if (existing == 0) {
            throw new IllegalStateException("no historic-task authorizations to copy: is enableHistoricInstancePermissions on?");
        }
        try (Statement sql = db.createStatement()) {
            sql.executeUpdate("insert into act_ru_authorization (id_, rev_, type_, group_id_, user_id_, resource_type_, resource_id_,"
                    + " perms_, removal_time_, root_proc_inst_id_)"
                    + " select 'bench-' || copy || '-' || a.id_, 1, a.type_, a.group_id_, a.user_id_, a.resource_type_,"
                    + " 'bench-' || copy || '-' || a.resource_id_, a.perms_, a.removal_time_, a.root_proc_inst_id_"
                    + " from act_ru_authorization a, generate_series(1, " + (wanted / existing + 1) + ") copy"
                    + " where a.resource_type_ = " + historicTask + " order by copy, a.id_ limit " + wanted);
            sql.execute("vacuum analyze act_ru_authorization");
        }
        System.out.printf("history grants: %,d historic-task authorizations added (copies of the run's %,d), %,d rows in the"
                        + " authorization table, in %.1f s%n", wanted, existing,
                TimerWaveBenchmark.count(db, "select count(*) from act_ru_authorization"), (System.nanoTime() - start) / 1e9);
    }

    static String filterId(FilterService filters, String name, String owner) {
        return filters.createFilterQuery().filterName(name).filterOwner(owner).singleResult().getId();
    }

    /** A browser logged into Tasklist: its session cookie and CSRF token, and where its engine API is. */
    record TasklistSession(String api, String cookie, String csrfToken) {
    }

    /** Logs into Tasklist as a browser does: the app page for the CSRF token, then the login form. */
    static TasklistSession tasklistLogin(HttpClient http, String base, String user) throws Exception {
        HttpResponse<Void> page = http.send(HttpRequest.newBuilder(URI.create(base + "/camunda/app/tasklist/default/")).build(),
                HttpResponse.BodyHandlers.discarding());
        String token = page.headers().firstValue("X-XSRF-TOKEN").orElseThrow(() -> new IllegalStateException("no CSRF token from Tasklist"));
        String cookies = String.join("; ", page.headers().allValues("Set-Cookie").stream().map(c -> c.split(";")[0]).toList());
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/camunda/api/admin/auth/user/default/login/tasklist"))
                .header("Cookie", cookies).header("X-XSRF-TOKEN", token).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=demo")).build(), HttpResponse.BodyHandlers.ofString());
        if (login.statusCode() != 200) {
            throw new IllegalStateException(user + " could not log into Tasklist: " + login.statusCode() + " " + login.body());
        }
        // the login starts a new session; Tasklist then asks who is logged in, which hands out that session's CSRF token
        Map<String, String> jar = new LinkedHashMap<>();
        keepCookies(jar, page);
        keepCookies(jar, login);
        HttpResponse<String> me = http.send(HttpRequest.newBuilder(URI.create(base + "/camunda/api/admin/auth/user/default"))
                .header("Cookie", String.join("; ", jar.values())).build(), HttpResponse.BodyHandlers.ofString());
        if (me.statusCode() != 200 || !me.body().contains("\"" + user + "\"")) {
            throw new IllegalStateException(user + "'s Tasklist session is not logged in: " + me.statusCode() + " " + me.body());
        }
        keepCookies(jar, me);
        String csrf = me.headers().firstValue("X-XSRF-TOKEN").orElseThrow(() -> new IllegalStateException("no CSRF token for the session"));
        return new TasklistSession(base + "/camunda/api/engine/engine/default", String.join("; ", jar.values()), csrf);
    }

    private static void keepCookies(Map<String, String> jar, HttpResponse<?> response) {
        for (String cookie : response.headers().allValues("Set-Cookie")) {
            String pair = cookie.split(";")[0];
            jar.put(pair.substring(0, pair.indexOf('=')), pair);
        }
    }

    /** Every answer of the read was a 2xx: a read that was refused has no latency to compare with a target. */
    static boolean allOk(CaptureBenchmark.Result result) {
        return result.statuses().keySet().stream().allMatch(status -> status >= 200 && status < 300);
    }

    /** The request Tasklist makes for a filter's first page, in a logged-in browser: its tasks with the filter's variables embedded. */
    static IntFunction<HttpRequest> tasklistFilterList(TasklistSession session, String filterId) {
        URI uri = URI.create(session.api() + "/filter/" + filterId + "/list?firstResult=0&maxResults=15");
        return i -> HttpRequest.newBuilder(uri).header("Cookie", session.cookie()).header("X-XSRF-TOKEN", session.csrfToken())
                .header("Accept", "application/hal+json").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    }

    /** The same page over {@code /engine-rest} with HTTP Basic, as an API client asks for it. */
    static IntFunction<HttpRequest> filterList(String base, String filterId, String user) {
        String login = "Basic " + Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8));
        URI uri = URI.create(base + "/engine-rest/filter/" + filterId + "/list?firstResult=0&maxResults=15");
        return i -> HttpRequest.newBuilder(uri).header("Authorization", login).header("Accept", "application/hal+json")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    }


    /** A timed read and the CPU it cost per request: this JVM (app and clients) and the PostgreSQL server's processes. */
    record Read(CaptureBenchmark.Result result, double appCpuMillis, double databaseCpuMillis) {
    }

    /** {@link #measure}, with the CPU the timed requests cost. */
    static Read read(HttpClient http, int clients, int warmup, int requests, IntFunction<HttpRequest> request) throws Exception {
        if (warmup > 0) {
            CaptureBenchmark.send(http, clients, warmup, 0, request);
        }
        BenchApp.Cpu before = BenchApp.cpu();
        CaptureBenchmark.Result result = CaptureBenchmark.send(http, clients, requests, warmup, request);
        BenchApp.Cpu used = BenchApp.cpu().minus(before);
        return new Read(result, used.jvmNanos() / 1e6 / requests, used.postgresNanos() / 1e6 / requests);
    }

    /**
     * {@code warmup} requests (not kept), then {@code requests} timed ones, from {@code clients}
     * concurrent clients; request i of the timed ones is {@code request.apply(warmup + i)}.
     */
    static CaptureBenchmark.Result measure(HttpClient http, int clients, int warmup, int requests, IntFunction<HttpRequest> request)
            throws Exception {
        if (warmup > 0) {
            CaptureBenchmark.send(http, clients, warmup, 0, request);
        }
        return CaptureBenchmark.send(http, clients, requests, warmup, request);
    }

    /** Waits until the query counts at least {@code atLeast}; says so and goes on when it does not within {@code atMost}. */
    static void awaitCount(Connection db, String query, long atLeast, Duration atMost) throws Exception {
        long end = System.nanoTime() + atMost.toNanos();
        long count;
        while ((count = TimerWaveBenchmark.count(db, query)) < atLeast) {
            if (System.nanoTime() > end) {
                System.out.printf("  still %d of %d after %s: %s%n", count, atLeast, atMost, query);
                return;
            }
            Thread.sleep(200);
        }
    }

    /** {@code count} values drawn at random (with repeats) from {@code values}. */
    static String[] picks(List<String> values, int count, Random random) {
        String[] picked = new String[count];
        for (int i = 0; i < count; i++) {
            picked[i] = values.get(random.nextInt(values.size()));
        }
        return picked;
    }

    static List<String> strings(Connection db, String query) throws Exception {
        List<String> values = new ArrayList<>();
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    static Map<String, Long> groupCount(Connection db, String query) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }
}
