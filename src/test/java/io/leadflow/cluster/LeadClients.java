package io.leadflow.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A few HTTP clients that post distinct MQL leads to {@code POST /api/leads}, spread over the
 * given nodes, until {@code limit} leads are sent or {@link #stop()} is called. Every answer is
 * kept: status (-1: no answer, connection refused or the request timeout of 30 s passed),
 * Retry-After, the lead id of a 2xx.
 */
final class LeadClients implements AutoCloseable {

    record Answer(String email, int status, String leadId, String retryAfter, long millis, String error) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final ExecutorService pool;

    /** Software, 500 employees, executive, Germany: fit grade A plus the form fill, an MQL (waits in "Review MQL"). */
    static String lead(String email) {
        return """
                {"email": "%s", "firstName": "Ada", "lastName": "Lovelace", "company": "Analytical Engines",
                 "role": "executive", "industry": "software", "companySize": 500, "country": "DE", "source": "webForm"}"""
                .formatted(email);
    }

    LeadClients(List<ClusterNode> nodes, int clients, int limit, String prefix) {
        this(nodes, clients, limit, prefix, 0);
    }

    /**
     * With {@code retries} > 0 a lead that got no answer or a 503 is sent again, up to that many
     * times, with the same {@code Idempotency-Key} (its email), as a client of the API should: a
     * lead stored before the answer was lost gets its first answer again, not a second lead.
     */
    LeadClients(List<ClusterNode> nodes, int clients, int limit, String prefix, int retries) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger next = new AtomicInteger();
        pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < limit && !stopped.get(); i = next.getAndIncrement()) {
                    String email = prefix + "-" + i + "@cluster.example";
                    for (int attempt = 0; attempt <= retries && !stopped.get(); attempt++) {
                        URI uri = nodes.get((i + attempt) % nodes.size()).uri("/api/leads");
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                                            .header("Content-Type", "application/json").header("Idempotency-Key", email)
                                            .header("Authorization", ClusterNode.ADMIN_BASIC_AUTH)
                                            .POST(HttpRequest.BodyPublishers.ofString(lead(email))).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            Matcher id = ID.matcher(response.body());
                            answers.add(new Answer(email, response.statusCode(), id.find() ? id.group(1) : null,
                                    response.headers().firstValue("Retry-After").orElse(null), millis(t0), null));
                            if (response.statusCode() != 503) {
                                break;
                            }
                        } catch (IOException e) {
                            answers.add(new Answer(email, -1, null, null, millis(t0), e.toString()));
                            pause(); // a node that is down refuses at once: do not spin
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            });
        }
        pool.shutdown();
    }

    long count(java.util.function.Predicate<Answer> which) {
        return answers.stream().filter(which).count();
    }

    long ok() {
        return count(Answer::ok);
    }

    Map<Integer, Long> statuses() {
        Map<Integer, Long> statuses = new TreeMap<>();
        answers.forEach(a -> statuses.merge(a.status(), 1L, Long::sum));
        return statuses;
    }

    /** The distinct errors of requests without an answer. */
    java.util.Set<String> errors() {
        return answers.stream().filter(a -> a.error() != null).map(Answer::error).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    long maxMillis() {
        return answers.stream().mapToLong(Answer::millis).max().orElse(0);
    }

    void stop() {
        stopped.set(true);
    }

    /** Waits for the clients to end after {@link #stop()}: each ends after its current request (bounded by the request timeout). */
    void await() throws InterruptedException {
        await(REQUEST_TIMEOUT.multipliedBy(2));
    }

    /** Waits for the clients to send all their leads, or fails after {@code atMost}. */
    void await(Duration atMost) throws InterruptedException {
        if (!pool.awaitTermination(atMost.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("clients did not end within " + atMost + "; " + answers.size() + " answers so far");
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        pool.shutdownNow();
        pool.awaitTermination(60, TimeUnit.SECONDS);
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
