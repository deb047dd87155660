package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.capture.LeadImportExecutorConfiguration;

/**
 * Who may call what under /api and /actuator: API keys with scopes, people with HTTP Basic, the
 * web-form webhook and health without either (README "Who may do what").
 */
class ApiAccessTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };
    static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() { };

    @Autowired
    JdbcClient jdbc;

    @Autowired
    @Qualifier(LeadImportExecutorConfiguration.EXECUTOR)
    ThreadPoolTaskExecutor importExecutor;

    /** Creates a key over the API as the administrator; returns its answer, the secret included. */
    Map<String, Object> createKey(String name, Integer requestsPerMinute, String... scopes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", List.of(scopes));
        if (requestsPerMinute != null) {
            body.put("requestsPerMinute", requestsPerMinute);
        }
        ResponseEntity<Map<String, Object>> created = http.post().uri("/api/api-keys").contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().toEntity(MAP);
        assertThat(created.getStatusCode().value()).as("%s", created.getBody()).isEqualTo(201);
        return created.getBody();
    }

    RestClient key(String name, String... scopes) {
        return withKey((String) createKey(name + "-" + System.nanoTime(), null, scopes).get("secret"));
    }

    static Map<String, Object> lead(String email) {
        return Map.of("email", email, "firstName", "Kira", "lastName", "Keyed", "company", "Keys Ltd",
                "companySize", 40, "country", "FR");
    }

    static String email(String name) {
        return name + "-" + System.nanoTime() + "@example.com";
    }

    static ResponseEntity<Map<String, Object>> capture(RestClient client, String email) {
        return client.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON).body(lead(email)).retrieve().toEntity(MAP);
    }

    static ResponseEntity<Map<String, Object>> event(RestClient client, String email) {
        return client.post().uri("/api/engagements").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", email, "type", "pageVisit")).retrieve().toEntity(MAP);
    }

    String capturedLeadId(String email) {
        ResponseEntity<Map<String, Object>> created = capture(http, email);
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        return (String) created.getBody().get("id");
    }

    long engagementsOf(String leadId) {
        return jdbc.sql("select count(*) from lead_engagement where lead_id = :id").param("id", leadId).query(Long.class).single();
    }

    static void assertProblem(ResponseEntity<?> response, int status) {
        assertThat(response.getStatusCode().value()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
    }

    @Test
    void withoutCredentials_theApiAndTheEngineRestApi_answer401() {
        String leadId = capturedLeadId(email("anonymous"));

        List<ResponseEntity<Map<String, Object>>> api = List.of(
                anonymous.get().uri("/api/leads/{id}", leadId).retrieve().toEntity(MAP),
                capture(anonymous, email("anonymous")),
                event(anonymous, email("anonymous")),
                anonymous.get().uri("/api/sla-breaches").retrieve().toEntity(MAP),
                anonymous.get().uri("/api/api-keys").retrieve().toEntity(MAP),
                anonymous.get().uri("/api/kpis/funnel").retrieve().toEntity(MAP));
        var engineRest = anonymous.get().uri("/engine-rest/task").retrieve().toBodilessEntity();

        for (ResponseEntity<Map<String, Object>> refused : api) {
            assertProblem(refused, 401);
            assertThat(refused.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic");
            assertThat(refused.getBody()).containsEntry("title", "Authentication required");
            assertThat((String) refused.getBody().get("detail")).contains("X-API-Key");
        }
        assertThat(engineRest.getStatusCode().value()).isEqualTo(401);
    }

    @Test
    void aWebsiteKey_withScopeCapture_capturesLeads_butCannotReadThem() {
        RestClient website = key("website", "capture");
        String email = email("website");

        ResponseEntity<Map<String, Object>> captured = capture(website, email);
        String leadId = jdbc.sql("select id from lead where email_normalized = :email").param("email", email).query(String.class).single();
        ResponseEntity<Map<String, Object>> read = website.get().uri("/api/leads/{id}", leadId).retrieve().toEntity(MAP);

        assertThat(captured.getStatusCode().value()).isEqualTo(202);
        assertThat(captured.getBody()).isEqualTo(Map.of("status", "accepted"));
        assertThat(captured.getHeaders().getLocation()).isNull();
        assertProblem(read, 403);
        assertThat(read.getBody()).containsEntry("title", "Forbidden").containsEntry("detail", "This request needs scope 'read'");
    }

    @Test
    void aCallerWithoutRead_getsTheSameAnswerForAKnownAndAnUnknownEmail_whileReadersKeepTheDetails() {
        RestClient website = key("website", "capture");
        RestClient automation = key("automation", "events");
        String known = email("known");
        String knownId = capturedLeadId(known);
        String unknown = email("unknown");
        long engagementsBefore = engagementsOf(knownId);

        ResponseEntity<Map<String, Object>> captureKnown = capture(website, known);
        ResponseEntity<Map<String, Object>> eventKnown = event(automation, known);
        ResponseEntity<Map<String, Object>> eventUnknown = event(automation, unknown);
        ResponseEntity<Map<String, Object>> captureUnknown = capture(website, unknown);

        for (ResponseEntity<Map<String, Object>> answer : List.of(captureKnown, captureUnknown, eventKnown, eventUnknown)) {
            assertThat(answer.getStatusCode().value()).isEqualTo(202);
            assertThat(answer.getBody()).isEqualTo(Map.of("status", "accepted"));
            assertThat(answer.getHeaders().getLocation()).isNull();
        }
        assertThat(engagementsOf(knownId) - engagementsBefore).as("the known lead's form fill and page visit are recorded").isEqualTo(2);
        ResponseEntity<Map<String, Object>> reader = capture(http, known);
        assertThat(reader.getStatusCode().value()).isEqualTo(200);
        assertThat(reader.getBody()).containsEntry("id", knownId).containsEntry("status", "existing");
        assertThat(event(http, email("nobody")).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void anEventsKey_postsEventsByEmailAndById() {
        RestClient automation = key("automation", "events");
        String email = email("events");
        String leadId = capturedLeadId(email);
        long engagementsBefore = engagementsOf(leadId);

        ResponseEntity<Map<String, Object>> byEmail = event(automation, email);
        ResponseEntity<Map<String, Object>> byId = automation.post().uri("/api/leads/{id}/engagements", leadId)
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("type", "webinar")).retrieve().toEntity(MAP);

        assertThat(byEmail.getStatusCode().value()).isEqualTo(202);
        assertThat(byId.getStatusCode().value()).isEqualTo(202);
        assertThat(engagementsOf(leadId) - engagementsBefore).isEqualTo(2);
    }

    @Test
    void eachScope_opensItsRequestsOnly() {
        String leadId = capturedLeadId(email("matrix"));
        Map<String, RestClient> callers = new LinkedHashMap<>();
        for (String scope : List.of("capture", "events", "read", "admin")) {
            callers.put(scope, key("matrix-" + scope, scope));
        }
        Map<String, java.util.function.Function<RestClient, ResponseEntity<?>>> requests = new LinkedHashMap<>();
        requests.put("POST /api/leads", c -> capture(c, email("matrix")));
        requests.put("POST /api/engagements", c -> event(c, email("matrix")));
        requests.put("GET /api/leads/{id}", c -> c.get().uri("/api/leads/{id}", leadId).retrieve().toBodilessEntity());
        requests.put("GET /api/leads/by-number/{number}", c -> c.get().uri("/api/leads/by-number/{number}", leadNumber(leadId))
                .retrieve().toBodilessEntity());
        requests.put("GET /api/sla-breaches", c -> c.get().uri("/api/sla-breaches").retrieve().toBodilessEntity());
        requests.put("GET /api/kpis/funnel", c -> c.get().uri("/api/kpis/funnel").retrieve().toBodilessEntity());
        requests.put("GET /api/api-keys", c -> c.get().uri("/api/api-keys").retrieve().toBodilessEntity());
        requests.put("GET /actuator/metrics", c -> c.get().uri("/actuator/metrics").retrieve().toBodilessEntity());
        // the privacy requests last: were one let through, it would erase or blacklist only what the rows above no longer need
        requests.put("POST /api/erasures", c -> c.post().uri("/api/erasures").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", email("matrix-erasure"))).retrieve().toBodilessEntity());
        requests.put("POST /api/leads/{id}/do-not-contact", c -> c.post().uri("/api/leads/{id}/do-not-contact", leadId)
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("erase", false)).retrieve().toBodilessEntity());
        requests.put("POST /api/leads/{id}/erasure", c -> c.post().uri("/api/leads/{id}/erasure", leadId).retrieve().toBodilessEntity());

        Map<String, Map<String, Boolean>> allowed = new LinkedHashMap<>();
        callers.forEach((scope, client) -> {
            Map<String, Boolean> row = new LinkedHashMap<>();
            requests.forEach((request, call) -> row.put(request, call.apply(client).getStatusCode().value() != 403));
            allowed.put(scope, row);
        });

        Map<String, Map<String, Boolean>> expected = new LinkedHashMap<>();
        for (String scope : callers.keySet()) {
            Map<String, Boolean> row = new LinkedHashMap<>();
            row.put("POST /api/leads", scope.equals("capture"));
            row.put("POST /api/engagements", scope.equals("events"));
            row.put("GET /api/leads/{id}", scope.equals("read"));
            row.put("GET /api/leads/by-number/{number}", scope.equals("read"));
            row.put("GET /api/sla-breaches", scope.equals("read"));
            row.put("GET /api/kpis/funnel", scope.equals("read"));
            row.put("GET /api/api-keys", scope.equals("admin"));
            row.put("GET /actuator/metrics", scope.equals("admin"));
            // erasure and do-not-contact are for people (administrators and managers), never for a key
            row.put("POST /api/erasures", false);
            row.put("POST /api/leads/{id}/do-not-contact", false);
            row.put("POST /api/leads/{id}/erasure", false);
            expected.put(scope, row);
        }
        assertThat(allowed).isEqualTo(expected);
    }

    @Test
    void peopleGetTheScopesOfTheirGroups() {
        String leadId = capturedLeadId(email("people"));
        Map<String, List<Integer>> answers = new LinkedHashMap<>();
        for (String user : List.of("mia", "sam", "paula", "max")) {
            RestClient person = anonymous.mutate().defaultHeaders(h -> h.setBasicAuth(user, "demo")).build();
            answers.put(user, List.of(
                    person.get().uri("/api/leads/{id}", leadId).retrieve().toBodilessEntity().getStatusCode().value(),
                    capture(person, email("people")).getStatusCode().value(),
                    person.get().uri("/api/api-keys").retrieve().toBodilessEntity().getStatusCode().value()));
        }
        assertThat(answers).isEqualTo(Map.of(
                "mia", List.of(200, 201, 403),
                "sam", List.of(200, 403, 403),
                "paula", List.of(200, 403, 403),
                "max", List.of(200, 403, 403)));
    }

    @Test
    void aGoodKeyWithAWrongPassword_isNotBlamedOnTheKey() {
        Map<String, Object> created = createKey("good-key-" + System.nanoTime(), null, "capture");
        ResponseEntity<Map<String, Object>> answer = withKey((String) created.get("secret")).get().uri("/api/sla-breaches")
                // a user nobody has: a wrong password for a real one would hold that user back (login throttling)
                .headers(h -> h.setBasicAuth("nobody-" + System.nanoTime(), "wrong")).retrieve().toEntity(MAP);

        assertProblem(answer, 401);
        assertThat(answer.getBody().get("detail")).as("the key is good; the password is not").isNotEqualTo("Unknown or revoked API key");
    }

    @Test
    void aRevokedKey_isRefusedWith401_andTheListShowsItWithoutSecrets() {
        Map<String, Object> created = createKey("revoked-" + System.nanoTime(), null, "capture");
        RestClient client = withKey((String) created.get("secret"));
        assertThat(capture(client, email("before")).getStatusCode().value()).isEqualTo(202);

        var revoked = http.delete().uri("/api/api-keys/{id}", created.get("id")).retrieve().toBodilessEntity();
        ResponseEntity<Map<String, Object>> after = capture(client, email("after"));
        List<Map<String, Object>> listed = http.get().uri("/api/api-keys").retrieve().body(LIST);

        assertThat(revoked.getStatusCode().value()).isEqualTo(204);
        assertProblem(after, 401);
        assertThat(after.getBody()).containsEntry("detail", "Unknown or revoked API key");
        Map<String, Object> entry = listed.stream().filter(k -> k.get("id").equals(created.get("id"))).findFirst().orElseThrow();
        assertThat(entry).containsKey("revokedAt").containsEntry("revokedBy", "admin").doesNotContainKey("secret");
        assertThat(listed).allSatisfy(k -> assertThat(k).doesNotContainKey("secret"));
        assertThat(http.delete().uri("/api/api-keys/{id}", "no-such-key").retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(404);
    }

    @Test
    void aKeyWithoutNameOrWithAnUnknownScope_isNotCreated() {
        ResponseEntity<Map<String, Object>> invalid = http.post().uri("/api/api-keys").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "", "scopes", List.of("capture", "everything"))).retrieve().toEntity(MAP);

        assertProblem(invalid, 400);
        assertThat(invalid.getBody().get("errors").toString()).contains("name").contains("'everything' is not one of");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aKeysSecret_neverAppearsInTheLog_itsNameDoes(CapturedOutput output) {
        String name = "logged-" + System.nanoTime();
        Map<String, Object> created = createKey(name, null, "capture");
        String secret = (String) created.get("secret");
        RestClient client = withKey(secret);

        capture(client, email("logged"));
        client.get().uri("/api/leads/{id}", "some-lead").retrieve().toBodilessEntity();
        http.delete().uri("/api/api-keys/{id}", created.get("id")).retrieve().toBodilessEntity();
        capture(client, email("logged"));

        assertThat(output.getAll()).contains("API key '" + name + "'").contains("unknown or revoked API key")
                .doesNotContain(secret).doesNotContain(secret.substring(3, 20));
    }

    @Test
    void overItsRateLimit_aKeyGets429WithRetryAfter() {
        RestClient slow = withKey((String) createKey("slow-" + System.nanoTime(), 1, "capture", "events").get("secret"));

        ResponseEntity<Map<String, Object>> first = capture(slow, email("rate"));
        ResponseEntity<Map<String, Object>> second = event(slow, email("rate"));

        assertThat(first.getStatusCode().value()).isEqualTo(202);
        assertProblem(second, 429);
        assertThat(Long.parseLong(second.getHeaders().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1L, 60L);
        assertThat(second.getBody()).containsEntry("title", "Rate limit reached");
    }

    @Test
    void anUploadOver20MB_isA413Problem_answeredBeforeItsBodyIsSent() throws Exception {
        long importsBefore = jdbc.sql("select count(*) from lead_import").query(Long.class).single();
        String response;
        // only the headers, with the length: the answer comes before any of the body is sent
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            String request = "POST /api/imports HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes()) + "\r\n"
                    + "Content-Type: multipart/form-data; boundary=leadflow\r\n"
                    + "Content-Length: " + (20L * 1024 * 1024 + 1) + "\r\nExpect: 100-continue\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder answer = new StringBuilder();
            var in = socket.getInputStream();
            for (int c = in.read(); c >= 0; c = in.read()) {
                answer.append((char) c);
                if (c == '}' && answer.indexOf("HTTP/1.1 4") >= 0) {
                    break; // the end of the problem's JSON
                }
            }
            response = answer.toString();
        }

        assertThat(response).contains("HTTP/1.1 413").contains("application/problem+json")
                .contains("\"title\":\"Upload too large\"");
        assertThat(jdbc.sql("select count(*) from lead_import").query(Long.class).single()).isEqualTo(importsBefore);
    }

    @Test
    void whenTheImportQueueIsFull_anUploadGets503WithRetryAfter_andNothingIsStored() throws Exception {
        Path file = Files.createTempFile("queued-", ".csv");
        Files.writeString(file, "email,firstName,lastName,company,companySize,country\n" + email("queued") + ",Q,Ueue,Q Ltd,10,FR\n");
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
        List<Object> blockers = new ArrayList<>();
        Runnable blocker = () -> {
            waiting.incrementAndGet();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try {
            // both workers and every place in the queue taken by tasks that wait for the latch (an import
            // of another test may still hold a worker: then the queue is topped up until it is done)
            Runnable fillQueue = () -> {
                while (true) {
                    try {
                        importExecutor.execute(blocker);
                        blockers.add(new Object());
                    } catch (TaskRejectedException full) {
                        break;
                    }
                }
            };
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
                fillQueue.run();
                return waiting.get() == 2;
            });
            // a worker freed by the other test's import took a blocker from the queue just now: top up
            // again, now that both workers wait for the latch and nothing leaves the queue any more
            fillQueue.run();
            MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
            parts.add("file", new FileSystemResource(file));
            long importsBefore = jdbc.sql("select count(*) from lead_import").query(Long.class).single();

            ResponseEntity<Map<String, Object>> refused = http.post().uri("/api/imports").contentType(MediaType.MULTIPART_FORM_DATA)
                    .body(parts).retrieve().toEntity(MAP);

            assertThat(blockers).as("the queue had room before").isNotEmpty();
            assertThat(importExecutor.getThreadPoolExecutor().getQueue().remainingCapacity()).as("the queue is full").isZero();
            assertProblem(refused, 503);
            assertThat(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
            assertThat(refused.getBody()).containsEntry("title", "Import queue full");
            assertThat(jdbc.sql("select count(*) from lead_import").query(Long.class).single()).isEqualTo(importsBefore);
        } finally {
            release.countDown();
            Files.deleteIfExists(file);
        }
    }

    @Test
    void theWebForm_needsNoKey_fromAnAllowedOrigin() {
        var submitted = anonymous.post().uri("/api/webforms/contact-us")
                .header(HttpHeaders.ORIGIN, "https://www.leadflow.example")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body("your-email=" + email("webform") + "&first-name=Wanda&last-name=Web&organization=Forms+Ltd&employees=30&country=DE")
                .retrieve().toBodilessEntity();

        assertThat(submitted.getStatusCode().value()).isEqualTo(204);
    }

    @Test
    void health_isOpen_andTheRestOfTheActuator_needsAnAdministrator() {
        var health = anonymous.get().uri("/actuator/health").retrieve().toBodilessEntity();
        ResponseEntity<Map<String, Object>> metricsAnonymous = anonymous.get().uri("/actuator/metrics").retrieve().toEntity(MAP);
        ResponseEntity<Map<String, Object>> metricsMia = anonymous.get().uri("/actuator/metrics")
                .headers(h -> h.setBasicAuth("mia", "demo")).retrieve().toEntity(MAP);
        var metricsAdmin = http.get().uri("/actuator/metrics").retrieve().toBodilessEntity();

        assertThat(health.getStatusCode().value()).isEqualTo(200);
        assertProblem(metricsAnonymous, 401);
        assertProblem(metricsMia, 403);
        assertThat(metricsAdmin.getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void theProbesOfAnOrchestrator_areOpen_andInfoNamesTheVersionTheNodeRuns() {
        for (String probe : java.util.List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
            ResponseEntity<Map<String, Object>> answer = anonymous.get().uri(probe).retrieve().toEntity(MAP);
            assertThat(answer.getStatusCode().value()).as(probe).isEqualTo(200);
            assertThat(answer.getBody()).as(probe).containsEntry("status", "UP");
        }
        ResponseEntity<Map<String, Object>> info = http.get().uri("/actuator/info").retrieve().toEntity(MAP);
        assertThat(info.getStatusCode().value()).isEqualTo(200);
        assertThat((Map<String, Object>) info.getBody().get("build")).containsKeys("version", "time").containsEntry("artifact", "leadflow");
    }

    @Test
    void theDemoKey_ofTheDemoProfile_capturesAndReads() {
        ResponseEntity<Map<String, Object>> captured = capture(withKey(ProductionSettingsGuard.DEMO_API_KEY), email("demo-key"));

        assertThat(captured.getStatusCode().value()).isEqualTo(201);
    }
}
