package io.leadflow.bench;

import java.lang.management.GarbageCollectorMXBean;
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
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.leadflow.LeadflowApplication;

/**
 * Benchmark, not a test (P1 of the performance issue): one run measures intake from a freshly
 * started app against PostgreSQL's own speed on the same machine at the same time.
 *
 * <ol>
 * <li>prints the load average, initialises {@code pgbench} in its own database and runs TPC-B
 *     (4 clients, fixed duration) — the reference;</li>
 * <li>starts leadflow in this fresh JVM (cold: no warm-up, the JIT learns during the run) on a fresh
 *     PostgreSQL database (or H2 in memory) and times the start-up;</li>
 * <li>posts distinct strong leads to {@code POST /api/leads} from N concurrent clients over HTTP with
 *     the demo API key; every lead starts its lifecycle and waits at "Review MQL", so each request is
 *     the full capture: validation, lead record, scoring with the DMN tables, MQL decision, first
 *     user task;</li>
 * <li>stops the app and runs TPC-B again; prints throughput, latency percentiles of the whole run
 *     (warm-up included) and of its first seconds and the rest separately, the CPU per lead of
 *     this JVM and of PostgreSQL, heap, and leads/s ÷
 *     TPC-B tps (the mean of the two pgbench runs), and the load average at the end.</li>
 * </ol>
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test \
 *   &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) io.leadflow.bench.CaptureBenchmark postgres 8 3000
 * </pre>
 * Arguments: database ({@code postgres} or {@code h2}), clients, requests. System properties
 * ({@code -D…} before the class name): {@code leadflow.bench.first-seconds} (30, the cold window
 * reported apart), {@code leadflow.bench.pgbench-seconds} (20 per pgbench run, 0 skips pgbench),
 * {@code leadflow.bench.pgbench-clients} (4), {@code leadflow.bench.api-key} (default the demo key;
 * its rate limit is lifted for the run), or {@code leadflow.bench.user}/{@code leadflow.bench.password}
 * with an empty key for HTTP Basic, {@code leadflow.bench.app-args} (more arguments for the app,
 * space-separated, as the other benchmarks take them), {@code leadflow.bench.reads} (0; N: after the
 * capture, N lead lookups {@code GET /api/leads/{id}} of the captured leads from the same clients, for
 * comparison with the capture and TPC-B), {@code leadflow.bench.resubmits} (0; N: then N captures of
 * known emails, each recorded as an engagement on its lead: a capture that starts no lifecycle).
 * Results go into docs/BENCHMARKS.md.
 */
public final class CaptureBenchmark {

    static final String POSTGRES = BenchApp.POSTGRES;
    static final String PGBENCH_DATABASE = "pgbench_ref";
    static final String DEMO_KEY = "lf_demo-key-not-for-production";

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        String database = args.length > 0 ? args[0] : "postgres";
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        int firstSeconds = Integer.getInteger("leadflow.bench.first-seconds", 30);
        int reads = Integer.getInteger("leadflow.bench.reads", 0);
        int resubmits = Integer.getInteger("leadflow.bench.resubmits", 0);

        BenchApp.Start start = BenchApp.begin("before the capture");
        String loadAtStart = start.loadAverage();
        String startedAt = start.startedAt();
        CaptureBenchmark.Pgbench pgbench = start.pgbench();
        double tpsBefore = start.tpsBefore();

        String pgDatabase = "leadflow_bench";
        Map<String, Object> properties;
        if (database.equals("postgres")) {
            BenchApp.freshDatabase(pgDatabase);
            properties = BenchApp.properties(pgDatabase, false);
        } else {
            properties = BenchApp.properties(null, false);
            properties.put("spring.datasource.url", "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1;MODE=LEGACY");
        }
        SpringApplication app = new SpringApplication(LeadflowApplication.class);
        String[] arguments = BenchApp.arguments(properties, System.getProperty("leadflow.bench.app-args", ""));

        long startNanos = System.nanoTime();
        Result result;
        double startSeconds;
        double sinceJvmStart;
        long heapUsed;
        long heapPeak;
        long gcCount;
        long gcMillis;
        BenchApp.Cpu cpu;
        List<Comparison> comparisons = new ArrayList<>();
        try (ConfigurableApplicationContext context = app.run(arguments)) {
            startSeconds = (System.nanoTime() - startNanos) / 1e9;
            sinceJvmStart = (System.currentTimeMillis() - jvmStart) / 1000.0;
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            URI uri = URI.create("http://127.0.0.1:" + port + "/api/leads");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

            BenchApp.Cpu cpuBefore = BenchApp.cpu();
            result = run(http, uri, clients, requests, "bench");
            cpu = BenchApp.cpu().minus(cpuBefore);

            // for comparison, by the same clients in the same app: requests that start no lifecycle
            java.util.Random random = new java.util.Random(42);
            if (reads > 0) {
                // a lead lookup: the lead, its lists and its open task, some ten statements, nothing written
                String[] looked = ImportReadBenchmark.picks(leadColumn(context, "id"), reads, random);
                comparisons.add(compare("lead lookup", "GET /api/leads/{id}", () -> send(http, clients, reads, 0,
                        i -> leadLookup(uri, looked[i]))));
            }
            if (resubmits > 0) {
                // a capture of a known email: validated, matched and recorded as an engagement on the lead
                // (its row locked, the engagement written, the nurture's subscription asked), no lifecycle started
                String[] known = ImportReadBenchmark.picks(leadColumn(context, "email"), resubmits, random);
                comparisons.add(compare("resubmitted", "POST /api/leads with a known email", () -> send(http, clients, resubmits, 0,
                        i -> captureRequest(uri, known[i]))));
            }

            heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            heapPeak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                    .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
            gcCount = ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
            gcMillis = ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
        }

        double tpsAfter = pgbench.run("after the capture");
        String loadAtEnd = loadAverage();
        double tps = pgbench.enabled() ? (tpsBefore + tpsAfter) / 2 : Double.NaN;

        Result first = result.startedWithin(0, firstSeconds);
        Result rest = result.startedWithin(firstSeconds, Double.MAX_VALUE);
        System.out.printf("%nleadflow capture benchmark — %s, %d clients, %d requests, cold start (no warm-up), started %s%n",
                database, clients, requests, startedAt);
        System.out.printf("start-up     %.1f s (context), %.1f s since the JVM started%n", startSeconds, sinceJvmStart);
        System.out.println("window                  requests   leads/s    p50 ms    p95 ms    p99 ms    max ms   ratio to TPC-B");
        print("whole run (warm-up in)", result, tps);
        print("first " + firstSeconds + " s", first, tps);
        print("after " + firstSeconds + " s", rest, tps);
        System.out.printf("answers      %s%n", result.statuses());
        System.out.printf("CPU per lead %.1f ms app (this JVM, the benchmark's clients and the JIT included) + %.1f ms PostgreSQL%n",
                cpu.jvmNanos() / 1e6 / result.count(), cpu.postgresNanos() / 1e6 / result.count());
        System.out.printf("heap         %d MiB used at the end, peak %d MiB (sum of heap pools), max %d MiB; GC %d collections, %.1f s%n",
                heapUsed >> 20, heapPeak >> 20, Runtime.getRuntime().maxMemory() >> 20, gcCount, gcMillis / 1000.0);
        for (Comparison comparison : comparisons) {
            Result compared = comparison.result();
            System.out.printf("%-12s %d × %s after the capture, same clients: %.1f req/s, p50 %.1f, p95 %.1f, p99 %.1f ms; answers %s;"
                            + " CPU per request %.1f ms app + %.1f ms PostgreSQL%s%n",
                    comparison.name(), compared.count(), comparison.request(), compared.throughput(), compared.percentile(50),
                    compared.percentile(95), compared.percentile(99), compared.statuses(),
                    comparison.cpu().jvmNanos() / 1e6 / compared.count(), comparison.cpu().postgresNanos() / 1e6 / compared.count(),
                    pgbench.enabled() ? "; ratio to TPC-B %.3f".formatted(compared.throughput() / tps) : "");
        }
        if (pgbench.enabled()) {
            System.out.printf("pgbench      TPC-B, %d clients, %d s, scale 1: %.0f tps before, %.0f tps after, mean %.0f%n",
                    pgbench.clients(), pgbench.seconds(), tpsBefore, tpsAfter, tps);
            System.out.printf("ratio        leads/s ÷ TPC-B tps = %.3f (whole run), %.3f (first %d s), %.3f (after)%n",
                    result.throughput() / tps, first.throughput() / tps, firstSeconds, rest.throughput() / tps);
        }
        System.out.printf("machine      %d cores, Java %s, %s; load average at start %s, at end %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("-Xm") || a.startsWith("-XX:StartFlight")).toList(),
                loadAtStart, loadAtEnd);
    }

    static void print(String window, Result result, double tps) {
        if (result.count() == 0) {
            System.out.printf("%-22s  %8d%n", window, 0);
            return;
        }
        System.out.printf("%-22s  %8d  %8.1f  %8.1f  %8.1f  %8.1f  %8.1f   %.3f%n", window, result.count(), result.throughput(),
                result.percentile(50), result.percentile(95), result.percentile(99), result.percentile(100),
                result.throughput() / tps);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** One request: when it started and finished (nanoseconds since the first request) and its answer. */
    record Sample(long startNanos, long endNanos, int status) {
        long latency() {
            return endNanos - startNanos;
        }
    }

    record Result(List<Sample> samples) {

        int count() {
            return samples.size();
        }

        /** Requests per second between the first start and the last end of these samples. */
        double throughput() {
            long from = samples.stream().mapToLong(Sample::startNanos).min().orElse(0);
            long to = samples.stream().mapToLong(Sample::endNanos).max().orElse(0);
            return to > from ? samples.size() / ((to - from) / 1e9) : 0;
        }

        double percentile(double p) {
            long[] latencies = samples.stream().mapToLong(Sample::latency).sorted().toArray();
            int index = (int) Math.ceil(p / 100.0 * latencies.length) - 1;
            return latencies[Math.max(0, Math.min(index, latencies.length - 1))] / 1_000_000.0;
        }

        Map<Integer, Integer> statuses() {
            Map<Integer, Integer> statuses = new TreeMap<>();
            samples.forEach(s -> statuses.merge(s.status(), 1, Integer::sum));
            return statuses;
        }

        Result startedWithin(double fromSeconds, double toSeconds) {
            return new Result(samples.stream()
                    .filter(s -> s.startNanos() >= fromSeconds * 1e9 && s.startNanos() < toSeconds * 1e9).toList());
        }
    }

    /** The credentials every request sends: an API key (the demo key unless told), or HTTP Basic. */
    static String[] credentials() {
        String key = System.getProperty("leadflow.bench.api-key", DEMO_KEY);
        if (!key.isBlank()) {
            return new String[] {"X-API-Key", key};
        }
        String login = System.getProperty("leadflow.bench.user", "admin") + ":" + System.getProperty("leadflow.bench.password", "admin");
        return new String[] {"Authorization", "Basic " + java.util.Base64.getEncoder()
                .encodeToString(login.getBytes(StandardCharsets.UTF_8))};
    }

    static Result run(HttpClient http, URI uri, int clients, int requests, String prefix) throws Exception {
        return run(http, List.of(uri), clients, requests, prefix);
    }

    /** Captures sent to the nodes in turn, as a round-robin load balancer in front of them would. */
    static Result run(HttpClient http, List<URI> nodes, int clients, int requests, String prefix) throws Exception {
        return send(http, clients, requests, 0, i -> captureRequest(nodes.get(i % nodes.size()),
                "%s-%d-%d@bench.example".formatted(prefix, System.nanoTime(), i)));
    }

    /** A strong lead from the web form, as every capture of this benchmark sends it. */
    static HttpRequest captureRequest(URI uri, String email) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .headers(credentials())
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"email": "%s", "firstName": "Ada", "lastName": "Lovelace",
                         "company": "Analytical Engines", "role": "executive", "industry": "software",
                         "companySize": 500, "country": "DE", "source": "webForm"}"""
                        .formatted(email))).build();
    }

    /** The lead record {@code GET /api/leads/{id}} with the benchmark's credentials; {@code base} is any URI of the app. */
    static HttpRequest leadLookup(URI base, String leadId) {
        return HttpRequest.newBuilder(base.resolve("/api/leads/" + leadId)).headers(credentials()).GET().build();
    }

    /** Requests timed after the capture for comparison, with the CPU they took. */
    record Comparison(String name, String request, Result result, BenchApp.Cpu cpu) {
    }

    static Comparison compare(String name, String request, java.util.concurrent.Callable<Result> requests) throws Exception {
        BenchApp.Cpu before = BenchApp.cpu();
        Result result = requests.call();
        return new Comparison(name, request, result, BenchApp.cpu().minus(before));
    }

    /** One column of every lead in the app's database. */
    static List<String> leadColumn(ConfigurableApplicationContext context, String column) throws Exception {
        try (Connection db = context.getBean(javax.sql.DataSource.class).getConnection()) {
            return ImportReadBenchmark.strings(db, "select " + column + " from lead");
        }
    }

    /**
     * Sends {@code requests} requests from {@code clients} concurrent clients, each timed from send to
     * the whole answer; request i is {@code request.apply(offset + i)}.
     */
    static Result send(HttpClient http, int clients, int requests, int offset, IntFunction<HttpRequest> request) throws Exception {
        AtomicInteger next = new AtomicInteger();
        Sample[] samples = new Sample[requests];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    HttpRequest built = request.apply(offset + i);
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
                    samples[i] = new Sample(t0 - start, System.nanoTime() - start, response.statusCode());
                }
                return null;
            }));
        }
        try {
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(Arrays.asList(samples));
    }

    /** pgbench TPC-B against the same server, in its own database, as the machine's reference. */
    record Pgbench(int clients, int seconds) {

        private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

        boolean enabled() {
            return seconds > 0;
        }

        void initialise() throws Exception {
            if (!enabled()) {
                return;
            }
            try (Connection admin = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
                 Statement sql = admin.createStatement()) {
                sql.execute("drop database if exists " + PGBENCH_DATABASE + " with (force)");
                sql.execute("create database " + PGBENCH_DATABASE);
            }
            exec("pgbench", "-i", "-q", "-h", "127.0.0.1", "-U", "postgres", PGBENCH_DATABASE);
        }

        double run(String when) throws Exception {
            if (!enabled()) {
                return Double.NaN;
            }
            String output = exec("pgbench", "-h", "127.0.0.1", "-U", "postgres", "-c", String.valueOf(clients),
                    "-j", "2", "-T", String.valueOf(seconds), PGBENCH_DATABASE);
            Matcher tps = TPS.matcher(output);
            if (!tps.find()) {
                throw new IllegalStateException("pgbench printed no tps:\n" + output);
            }
            double value = Double.parseDouble(tps.group(1));
            System.out.printf("pgbench TPC-B %s: %.0f tps (%d clients, %d s), load average %s%n", when, value, clients, seconds, loadAverage());
            return value;
        }

        private static String exec(String... command) throws Exception {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        }
    }
}
