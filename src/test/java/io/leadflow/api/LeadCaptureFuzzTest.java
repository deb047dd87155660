package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadflow.SpringIntegrationTest;

/**
 * 10,000 generated malformed capture requests (wrong types, missing and huge fields, bad
 * encodings, invalid emails, injection strings, broken JSON, wrong media types), sent by a caller
 * allowed to capture: every answer is the one its body must get (400, 415 for a wrong media type)
 * with problem details that name the bad field, never a 5xx, and not one row is written. The seed is
 * printed so a failure can be replayed.
 */
class LeadCaptureFuzzTest extends SpringIntegrationTest {

    static final int REQUESTS = 10_000;
    static final String[] INJECTIONS = {"'; DROP TABLE lead; --", "\" OR \"1\"=\"1", "<script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1/x}", "{{7*7}}", "#{7*7}", "../../etc/passwd", "😀🚀", "\u202Egnp.exe", "Robert'); --",
            "%00", "\\u0000", "null", "undefined", "<!--", "]]>"};

    @Autowired
    JdbcClient jdbc;

    final ObjectMapper json = new ObjectMapper();

    /**
     * A malformed request and the answer it must get: {@code status}, and for a bad field its name
     * among the problem's {@code errors} ({@code null}: a body that is no lead at all).
     */
    record Body(String contentType, byte[] bytes, String mutation, int status, String field) {

        /** The mutation and the start of the body, to find it again in a failure. */
        String describe() {
            return mutation + " " + abbreviate(new String(bytes, StandardCharsets.UTF_8).replaceAll("\\s+", " "));
        }
    }

    Map<String, Object> validLead(Random random) {
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("email", "fuzz-" + random.nextLong() + "@example.com");
        lead.put("firstName", "Ada");
        lead.put("lastName", "Lovelace");
        lead.put("company", "Analytical Engines");
        lead.put("companySize", 500);
        lead.put("country", "DE");
        lead.put("role", "executive");
        // noise that keeps a lead valid: injection strings where any text is allowed
        if (random.nextBoolean()) {
            lead.put("jobTitle", INJECTIONS[random.nextInt(INJECTIONS.length)]);
        }
        if (random.nextBoolean()) {
            lead.put("campaign", INJECTIONS[random.nextInt(INJECTIONS.length)]);
        }
        if (random.nextBoolean()) {
            lead.put("unexpectedField", INJECTIONS[random.nextInt(INJECTIONS.length)]);
        }
        return lead;
    }

    static String repeat(Random random, int min, int max) {
        return "x".repeat(min + random.nextInt(max - min + 1));
    }

    /** Mutations that each make a lead invalid on their own. */
    final List<Function<Random, Body>> invalidating = List.of(
            r -> lead(r, "invalid email", "email", m -> m.put("email", pick(r, "", " ", "plainaddress", "a@b", "@example.com",
                    "a b@example.com", "a@b@example.com", "ada@", "x".repeat(250) + "@example.com", "<ada@example.com>",
                    "ada@example.com'; --"))),
            r -> {
                String field = pick(r, "email", "firstName", "lastName", "company", "companySize", "country");
                return lead(r, "missing required field", field, m -> m.remove(field));
            },
            r -> {
                String field = pick(r, "email", "firstName", "company", "companySize", "country");
                return lead(r, "null required field", field, m -> m.put(field, null));
            },
            r -> lead(r, "invalid country", "country", m -> m.put("country", pick(r, "Germany", "D", "12", "", "DE'--", "D3", "DEU"))),
            r -> lead(r, "invalid company size", "companySize", m -> m.put("companySize", pick(r, 0, -5, 10_000_001, "many", "",
                    List.of(1), Map.of("n", 1), true, 1e20, "500 employees"))),
            r -> {
                String field = pick(r, "firstName", "lastName", "company", "jobTitle", "campaign", "source");
                return lead(r, "huge field", field, m -> m.put(field, repeat(r, 201, 100_000)));
            },
            r -> lead(r, "invalid role", "role", m -> m.put("role", pick(r, "boss", "EXECUTIVE", "", "executive ", INJECTIONS[0]))),
            r -> lead(r, "invalid phone", "phone", m -> m.put("phone", pick(r, "call me", "<script>", "+49 (0) 30 abc", INJECTIONS[0]))),
            r -> {
                String field = pick(r, "firstName", "lastName", "company", "campaign");
                return lead(r, "control character", field, m -> m.put(field, "Ada" + (char) r.nextInt(32) + "Lovelace"));
            },
            r -> {
                String field = pick(r, "firstName", "lastName", "company");
                return lead(r, "wrong type", field, m -> m.put(field, pick(r, List.of("a"), Map.of("a", 1))));
            },
            r -> raw("broken JSON", "application/json", pick(r, "", "{", "{\"email\":", "[]", "\"lead\"", "42", "null",
                    "{\"email\": \"a@b.example\",}", "{'email': 'a@b.example'}", "{} trailing")),
            r -> raw("deep nesting", "application/json", "[".repeat(2000 + r.nextInt(1000)) + "]".repeat(2000)),
            r -> bytes("bad encoding", "application/json", r),
            r -> {
                Body lead = lead(r, "wrong media type", null, m -> { });
                return new Body(pick(r, "text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x"), lead.bytes(), lead.mutation(), 415, null);
            });

    Body lead(Random random, String mutation, String field, java.util.function.Consumer<Map<String, Object>> change) {
        Map<String, Object> lead = validLead(random);
        change.accept(lead);
        try {
            return new Body("application/json", json.writeValueAsBytes(lead), mutation, 400, field);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Body raw(String mutation, String contentType, String text) {
        return new Body(contentType, text.getBytes(StandardCharsets.UTF_8), mutation, 400, null);
    }

    static Body bytes(String mutation, String contentType, Random random) {
        byte[] prefix = "{\"email\": \"ada@example.com\", \"firstName\": \"".getBytes(StandardCharsets.UTF_8);
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88}};
        byte[] chosen = bad[random.nextInt(bad.length)];
        byte[] suffix = "\"}".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[prefix.length + chosen.length + suffix.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(chosen, 0, all, prefix.length, chosen.length);
        System.arraycopy(suffix, 0, all, prefix.length + chosen.length, suffix.length);
        return new Body(contentType, all, mutation, 400, null);
    }

    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    @SafeVarargs
    static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }

    long rows() {
        return jdbc.sql("select (select count(*) from lead) + (select count(*) from lead_engagement) "
                + "+ (select count(*) from idempotency_key)").query(Long.class).single();
    }

    long lifecycles() {
        return jdbc.sql("select count(*) from act_hi_procinst where proc_def_key_ = 'leadLifecycle'").query(Long.class).single();
    }

    @Test
    void tenThousandMalformedBodies_eachGetsItsProblemNamingTheField_andNothingIsStored() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("LeadCaptureFuzzTest seed: " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        List<Body> bodies = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            bodies.add(invalidating.get(random.nextInt(invalidating.size())).apply(random));
        }
        long before = rows();
        long processesBefore = lifecycles();
        HttpClient http = HttpClient.newHttpClient();
        // a caller allowed to capture (the administrator, every scope): an anonymous request is refused
        // (401) before its body is read, and would test the login instead of the validation
        String login = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
        URI uri = URI.create("http://localhost:" + port + "/api/leads");

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> failures = new ArrayList<>();
        try {
            for (Body body : bodies) {
                failures.add(pool.submit(() -> {
                    HttpResponse<String> response;
                    try {
                        response = http.send(HttpRequest.newBuilder(uri)
                                .header("Authorization", login)
                                .header("Content-Type", body.contentType())
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(),
                                HttpResponse.BodyHandlers.ofString());
                    } catch (java.io.IOException noAnswer) {
                        // still a failure, but one that names the body that got no answer
                        return body.mutation() + " (" + body.contentType() + ", " + body.bytes().length
                                + " bytes) → no answer: " + noAnswer;
                    }
                    int status = response.statusCode();
                    String type = response.headers().firstValue("Content-Type").orElse("");
                    if (status != body.status() || !type.startsWith("application/problem+json")) {
                        return body.describe() + " → " + status + " " + type + " (expected " + body.status() + "): "
                                + abbreviate(response.body());
                    }
                    JsonNode problem = json.readTree(response.body());
                    if (problem.path("status").asInt() != status || problem.path("title").asText().isBlank()) {
                        return body.describe() + " → problem without status/title: " + abbreviate(response.body());
                    }
                    if (body.field() != null && !problem.path("errors").findValuesAsText("field").contains(body.field())) {
                        return body.describe() + " → problem does not name the field " + body.field() + ": "
                                + abbreviate(response.body());
                    }
                    return null;
                }));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<String> f : failures) {
                String failure = f.get();
                if (failure != null && wrong.size() < 20) {
                    wrong.add(failure);
                }
            }
            assertThat(wrong).as("answers other than the problem each body must get (seed %d)", seed).isEmpty();
        } finally {
            pool.shutdownNow();
        }

        assertThat(rows()).as("rows written (seed %d)", seed).isEqualTo(before);
        assertThat(lifecycles()).as("lifecycles started").isEqualTo(processesBefore);
    }
}
