package io.leadflow.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.leadflow.LeadflowApplication;

/**
 * Benchmark, not a test: starts leadflow in this JVM on H2 (in memory) or on a fresh PostgreSQL
 * database, posts distinct strong leads to {@code POST /api/leads} from N concurrent clients over
 * HTTP and prints leads/s, latency percentiles and heap. Every lead starts its lifecycle and waits
 * at "Review MQL", so each request is the full capture: validation, lead record, scoring with the
 * DMN tables, MQL decision, first user task. Results go into docs/BENCHMARKS.md.
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) io.leadflow.bench.CaptureBenchmark h2 8 2000
 * </pre>
 * Arguments: database ({@code h2} or {@code postgres}), clients, requests (after 200 warm-up requests).
 * The app runs its demo profile; the clients log in as {@code -Dleadflow.bench.user}/{@code -Dleadflow.bench.password}
 * (HTTP Basic, default admin/admin), or send {@code -Dleadflow.bench.api-key} (header X-API-Key, e.g. the
 * demo key; its rate limit is lifted for the run).
 */
public final class CaptureBenchmark {

    public static void main(String[] args) throws Exception {
        String database = args.length > 0 ? args[0] : "h2";
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 2000;

        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("leadflow.demo.users", "false");
        properties.put("logging.level.root", "WARN");
        properties.put("spring.main.banner-mode", "off");
        // a key's rate limit would measure the limit, not the capture
        properties.put("leadflow.api-keys.requests-per-minute", "100000000");
        String pgDatabase = "leadflow_bench";
        if (database.equals("postgres")) {
            try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                 Statement sql = admin.createStatement()) {
                sql.execute("drop database if exists " + pgDatabase + " with (force)");
                sql.execute("create database " + pgDatabase);
            }
            properties.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:5432/" + pgDatabase);
            properties.put("spring.datasource.username", "postgres");
            properties.put("spring.datasource.password", "");
        } else {
            properties.put("spring.datasource.url", "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1;MODE=LEGACY");
        }
        SpringApplication app = new SpringApplication(LeadflowApplication.class);
        String[] arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        try (ConfigurableApplicationContext context = app.run(arguments)) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            URI uri = URI.create("http://127.0.0.1:" + port + "/api/leads");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

            run(http, uri, clients, 200, "warmup");
            System.gc();
            Result result = run(http, uri, clients, requests, "bench");

            long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long heapMax = Runtime.getRuntime().maxMemory();
            System.out.printf("%nleadflow capture benchmark — %s, %d clients, %d requests (after 200 warm-up)%n",
                    database, clients, requests);
            System.out.printf("throughput   %.1f leads/s (%.1f s)%n", requests / result.seconds, result.seconds);
            System.out.printf("latency ms   p50 %.1f   p95 %.1f   p99 %.1f   max %.1f%n", result.percentile(50),
                    result.percentile(95), result.percentile(99), result.percentile(100));
            System.out.printf("answers      %s%n", result.statuses);
            System.out.printf("heap         %d MiB used after the run, max %d MiB%n", heapUsed >> 20, heapMax >> 20);
            System.out.printf("machine      %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
        }
    }

    record Result(double seconds, long[] latenciesNanos, Map<Integer, Integer> statuses) {
        double percentile(double p) {
            int index = (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1;
            return latenciesNanos[Math.max(0, Math.min(index, latenciesNanos.length - 1))] / 1_000_000.0;
        }
    }

    /** The credentials every request sends: an API key, or HTTP Basic. */
    static String[] credentials() {
        String key = System.getProperty("leadflow.bench.api-key", "");
        if (!key.isBlank()) {
            return new String[] {"X-API-Key", key};
        }
        String login = System.getProperty("leadflow.bench.user", "admin") + ":" + System.getProperty("leadflow.bench.password", "admin");
        return new String[] {"Authorization", "Basic " + java.util.Base64.getEncoder()
                .encodeToString(login.getBytes(java.nio.charset.StandardCharsets.UTF_8))};
    }

    static Result run(HttpClient http, URI uri, int clients, int requests, String prefix) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long[] latencies = new long[requests];
        Map<Integer, Integer> statuses = new TreeMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    String body = """
                            {"email": "%s-%d-%d@bench.example", "firstName": "Ada", "lastName": "Lovelace",
                             "company": "Analytical Engines", "role": "executive", "industry": "software",
                             "companySize": 500, "country": "DE", "source": "webForm"}"""
                            .formatted(prefix, System.nanoTime(), i);
                    long t0 = System.nanoTime();
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri)
                                    .header("Content-Type", "application/json")
                                    .headers(credentials())
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    latencies[i] = System.nanoTime() - t0;
                    synchronized (statuses) {
                        statuses.merge(response.statusCode(), 1, Integer::sum);
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Arrays.sort(latencies);
        return new Result(seconds, latencies, statuses);
    }
}
