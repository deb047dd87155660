package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import io.leadflow.SpringIntegrationTest;

/**
 * {@code POST /api/leads/{id}/do-not-contact} and who may call it and the erasure: a blacklisted
 * lead's address is suppressed on every channel, and the privacy endpoints answer only to
 * administrators and managers.
 */
class DoNotContactApiTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RuntimeService runtime;

    @TempDir
    Path dir;

    String capture(String email) {
        ResponseEntity<Map<String, Object>> created = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", email, "firstName", "Dora", "lastName", "Nocontact", "company", "Quiet Co",
                        "companySize", 40, "country", "FR"))
                .retrieve().toEntity(MAP);
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        return (String) created.getBody().get("id");
    }

    ResponseEntity<Map<String, Object>> doNotContact(String user, String password, String leadId, boolean erase) {
        return (user == null ? anonymous : http).post().uri("/api/leads/{id}/do-not-contact", leadId)
                .headers(h -> {
                    if (user != null) {
                        h.setBasicAuth(user, password);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("erase", erase)).retrieve().toEntity(MAP);
    }

    long leadsWithEmail(String email) {
        return jdbc.sql("select count(*) from lead where email_normalized = :email").param("email", email.toLowerCase())
                .query(Long.class).single();
    }

    long runningLifecycles(String leadId) {
        return runtime.createProcessInstanceQuery().processInstanceBusinessKey(leadNumber(leadId)).processDefinitionKey("leadLifecycle").count();
    }

    /** The counter of refused submissions per channel (the metric sums every test's refusals so far). */
    Map<String, Double> refusedByChannel() {
        Map<String, Double> counts = new java.util.LinkedHashMap<>();
        for (String channel : java.util.List.of("api", "webForm", "import", "engagement")) {
            ResponseEntity<Map<String, Object>> metric = http.get().uri("/actuator/metrics/leadflow.capture.suppressed?tag=channel:{channel}", channel)
                    .retrieve().toEntity(MAP);
            // 404 until the first submission of that channel is refused
            counts.put(channel, metric.getStatusCode().value() == 404 ? 0.0
                    : ((Number) castMap(((java.util.List<?>) metric.getBody().get("measurements")).get(0)).get("value")).doubleValue());
        }
        return counts;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }

    /** The text with every character outside ASCII as a JSON escape. */
    static String escaped(String text) {
        StringBuilder json = new StringBuilder();
        text.chars().forEach(c -> json.append(c < 128 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return json.toString();
    }

    static String email(String name) {
        return name + "-" + System.nanoTime() + "@example.com";
    }

    @Test
    void privacyEndpoints_withoutOrWithWrongCredentials_are401Problems_andNothingChanges() {
        String email = email("unauthenticated");
        String leadId = capture(email);

        ResponseEntity<Map<String, Object>> withoutLogin = anonymous.post().uri("/api/leads/{id}/erasure", leadId).retrieve().toEntity(MAP);
        ResponseEntity<Map<String, Object>> wrongPassword = http.post().uri("/api/leads/{id}/erasure", leadId)
                .headers(h -> h.setBasicAuth("nobody-" + System.nanoTime(), "guess")).retrieve().toEntity(MAP);
        ResponseEntity<Map<String, Object>> anonymousDoNotContact = doNotContact(null, null, leadId, false);

        for (ResponseEntity<Map<String, Object>> refused : java.util.List.of(withoutLogin, wrongPassword, anonymousDoNotContact)) {
            assertThat(refused.getStatusCode().value()).isEqualTo(401);
            assertThat(refused.getHeaders().getContentType()).hasToString("application/problem+json");
            assertThat(refused.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic");
            assertThat(refused.getBody()).containsEntry("status", 401).containsKey("title").containsKey("detail");
        }
        assertThat(leadsWithEmail(email)).as("the lead keeps its address").isEqualTo(1);
        assertThat(runningLifecycles(leadId)).isEqualTo(1);
    }

    @Test
    void privacyEndpoints_forAUserOutsideTheAllowedGroups_are403Problems_andNothingChanges() {
        String email = email("forbidden");
        String leadId = capture(email);

        ResponseEntity<Map<String, Object>> erasure = http.post().uri("/api/leads/{id}/erasure", leadId)
                .headers(h -> h.setBasicAuth("mia", "demo")).retrieve().toEntity(MAP);
        ResponseEntity<Map<String, Object>> blacklist = doNotContact("sam", "demo", leadId, true);
        ResponseEntity<Map<String, Object>> erasureByEmail = http.post().uri("/api/erasures").headers(h -> h.setBasicAuth("mia", "demo"))
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("email", email)).retrieve().toEntity(MAP);

        for (ResponseEntity<Map<String, Object>> refused : java.util.List.of(erasure, blacklist, erasureByEmail)) {
            assertThat(refused.getStatusCode().value()).isEqualTo(403);
            assertThat(refused.getHeaders().getContentType()).hasToString("application/problem+json");
            assertThat(refused.getBody()).containsEntry("status", 403).containsEntry("title", "Forbidden");
        }
        assertThat(leadsWithEmail(email)).isEqualTo(1);
        assertThat(runningLifecycles(leadId)).isEqualTo(1);
        assertThat(jdbc.sql("select stage from lead where id = :id").param("id", leadId).query(String.class).single())
                .isNotEqualTo("BLACKLISTED");
    }

    @Test
    void theRestOfTheApi_needsNoPrivacyGroup_andTheApiDocsNoLogin() {
        String leadId = capture(email("open"));

        // mia (marketing: scopes read and capture, no privacy group) reads as before
        assertThat(as("mia", http.get().uri("/api/leads/{id}", leadId)).retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(200);
        assertThat(as("mia", http.get().uri("/api/sla-breaches")).retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(200);
        ResponseEntity<Void> docs = anonymous.get().uri("/v3/api-docs").retrieve().toBodilessEntity();
        assertThat(docs.getStatusCode().value()).isEqualTo(200);
        assertThat(docs.getHeaders().containsKey("X-Content-Type-Options"))
                .as("Spring Security does not even see paths outside /api").isFalse();
        assertThat(http.post().uri("/api/leads/{id}/engagements", leadId).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("type", "pageVisit")).retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(202);
    }

    @Test
    void apiDocs_describeThePrivacyEndpoints_asNeedingHttpBasic() {
        Map<String, Object> docs = http.get().uri("/v3/api-docs").retrieve().body(MAP);

        assertThat(castMap(castMap(docs.get("components")).get("securitySchemes"))).containsKey("basicAuth");
        Map<String, Object> paths = castMap(docs.get("paths"));
        for (String path : java.util.List.of("/api/leads/{id}/erasure", "/api/leads/{id}/do-not-contact", "/api/erasures")) {
            Map<String, Object> post = castMap(castMap(paths.get(path)).get("post"));
            assertThat(post.get("security")).as("%s: HTTP Basic only, a key holds no group", path)
                    .isEqualTo(java.util.List.of(Map.of("basicAuth", java.util.List.of())));
            assertThat(castMap(post.get("responses"))).as(path).containsKeys("200", "401", "403");
        }
        Map<String, Object> capture = castMap(castMap(paths.get("/api/leads")).get("post"));
        assertThat(capture.get("security")).as("capture: an API key or HTTP Basic")
                .isEqualTo(java.util.List.of(Map.of("apiKey", java.util.List.of()), Map.of("basicAuth", java.util.List.of())));
        assertThat((String) capture.get("description")).endsWith("Needs scope 'capture'.");
        assertThat(castMap(capture.get("responses"))).containsKeys("201", "400", "401", "403");
    }

    @Test
    void erasureByEmail_erasesTheLeadWithThatAddress_asCaptureMatchesIt_orSuppressesAnAddressThatIsNoLead() {
        String known = email("by-email");
        String leadId = capture(known);
        String unknown = email("never-a-lead");

        ResponseEntity<Map<String, Object>> withoutLogin = anonymous.post().uri("/api/erasures").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", known)).retrieve().toEntity(MAP);
        ResponseEntity<Map<String, Object>> invalid = http.post().uri("/api/erasures").headers(h -> h.setBasicAuth("max", "demo"))
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("email", "not-an-email")).retrieve().toEntity(MAP);
        ResponseEntity<Map<String, Object>> erased = http.post().uri("/api/erasures").headers(h -> h.setBasicAuth("max", "demo"))
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("email", " " + known.toUpperCase() + "\t")).retrieve().toEntity(MAP);
        ResponseEntity<Map<String, Object>> suppressed = http.post().uri("/api/erasures").headers(h -> h.setBasicAuth("max", "demo"))
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("email", unknown)).retrieve().toEntity(MAP);

        assertThat(withoutLogin.getStatusCode().value()).isEqualTo(401);
        assertThat(invalid.getStatusCode().value()).isEqualTo(400);
        assertThat(invalid.getBody().toString()).contains("email");
        assertThat(erased.getStatusCode().value()).isEqualTo(200);
        assertThat(erased.getBody()).containsEntry("leadId", leadId).containsEntry("stoppedLifecycle", true);
        assertThat(leadsWithEmail(known)).isZero();
        assertThat(suppressed.getStatusCode().value()).isEqualTo(200);
        assertThat(suppressed.getBody()).doesNotContainKey("leadId").containsEntry("stoppedLifecycle", false)
                .as("there was no lead: only the address's hash is kept")
                .containsEntry("kept", List.of("a salted hash of the normalized email, so the address is never captured again"));
        Map<String, Object> capture = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", unknown, "firstName", "Nev", "lastName", "Er", "company", "Quiet Co",
                        "companySize", 40, "country", "FR"))
                .retrieve().body(MAP);
        assertThat(capture).containsEntry("status", "suppressed");
        assertThat(leadsWithEmail(unknown)).isZero();
    }

    @Test
    void aSuppressedAddress_withInvisibleCharactersAroundIt_orInAnotherUnicodeSpelling_isStillSuppressed_andOneInsideIsRefused() {
        String email = email("zoë");
        String leadId = capture(email);
        assertThat(doNotContact("max", "demo", leadId, true).getStatusCode().value()).isEqualTo(200);
        String decomposed = java.text.Normalizer.normalize(email, java.text.Normalizer.Form.NFD);
        String fullWidth = "\uff3a" + email.substring(1); // a full-width Z

        for (String copied : List.of("\u00a0" + email, email + "\u00a0", "\u200b" + email, "\ufeff" + email.toUpperCase(), decomposed, fullWidth)) {
            ResponseEntity<Map<String, Object>> again = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("email", copied, "firstName", "Zoë", "lastName", "Again", "company", "Quiet Co",
                            "companySize", 40, "country", "FR"))
                    .retrieve().toEntity(MAP);
            assertThat(again.getStatusCode().value()).as("%s", copied.codePoints().mapToObj(Integer::toHexString).toList()).isEqualTo(200);
            assertThat(again.getBody()).as(copied).containsEntry("status", "suppressed");
        }
        for (String broken : List.of("zo\u200bë@example.com", "zo\u202eë@example.com", "zo\ud800@example.com", "zo\u00a0e@example.com")) {
            // as JSON escapes, which is how a client sends half a character (UTF-8 cannot carry it)
            String body = "{\"email\": \"" + escaped(broken) + "\", \"firstName\": \"Zoe\", \"lastName\": \"Broken\\ud800\","
                    + " \"company\": \"Quiet Co\", \"companySize\": 40, \"country\": \"FR\"}";
            ResponseEntity<Map<String, Object>> refused = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                    .body(body).retrieve().toEntity(MAP);
            assertThat(refused.getStatusCode().value()).as(broken).isEqualTo(400);
            assertThat(refused.getBody().get("errors").toString()).as(broken).contains("email").contains("lastName");
        }
    }

    @Test
    void doNotContact_withEraseAsANumber_isA400NamingErase_andNeitherErasesNorBlacklists() {
        String leadId = capture(email("one"));

        ResponseEntity<Map<String, Object>> refused = http.post().uri("/api/leads/{id}/do-not-contact", leadId)
                .headers(h -> h.setBasicAuth("max", "demo")).contentType(MediaType.APPLICATION_JSON).body("{\"erase\": 1}")
                .retrieve().toEntity(MAP);

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getBody().get("errors")).isEqualTo(List.of(Map.of("field", "erase", "reason", "must be true or false")));
        Map<String, Object> lead = jdbc.sql("select * from lead where id = :id").param("id", leadId).query().singleRow();
        assertThat(lead).containsEntry("DO_NOT_CONTACT", false).containsEntry("FIRST_NAME", "Dora");
    }

    @Test
    void doNotContact_forAnUnknownLead_isA404Problem() {
        ResponseEntity<Map<String, Object>> answer = doNotContact("max", "demo", "no-such-lead", false);

        assertThat(answer.getStatusCode().value()).isEqualTo(404);
        assertThat(answer.getHeaders().getContentType()).hasToString("application/problem+json");
    }

    @Test
    void doNotContact_withoutErasure_blacklistsTheLead_andItsAddressIsSuppressedOnEveryChannel() throws IOException {
        String email = email("dora");
        String leadId = capture(email);

        ResponseEntity<Map<String, Object>> answer = doNotContact("max", "demo", leadId, false);

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        assertThat(answer.getBody()).containsEntry("leadId", leadId).containsEntry("stoppedLifecycle", true)
                .doesNotContainKey("erasure");
        Map<String, Object> lead = jdbc.sql("select * from lead where id = :id").param("id", leadId).query().singleRow();
        assertThat(lead).containsEntry("STAGE", "BLACKLISTED").containsEntry("DO_NOT_CONTACT", true)
                .containsEntry("FIRST_NAME", "Dora");
        assertThat(runningLifecycles(leadId)).isZero();
        long engagements = jdbc.sql("select count(*) from lead_engagement where lead_id = :id").param("id", leadId)
                .query(Long.class).single();
        Map<String, Double> refusedBefore = refusedByChannel();

        // JSON capture: 200 suppressed, no id
        ResponseEntity<Map<String, Object>> json = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", email.toUpperCase(), "firstName", "Dora", "lastName", "Again", "company", "Quiet Co",
                        "companySize", 40, "country", "FR"))
                .retrieve().toEntity(MAP);
        assertThat(json.getStatusCode().value()).isEqualTo(200);
        assertThat(json.getBody()).containsEntry("status", "suppressed").doesNotContainKey("id");
        assertThat(json.getHeaders().getLocation()).isNull();

        // web form: the usual 204, nothing stored
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("your-email", email);
        form.add("first-name", "Dora");
        form.add("last-name", "Webform");
        form.add("organization", "Quiet Co");
        form.add("employees", "40");
        form.add("country", "FR");
        assertThat(http.post().uri("/api/webforms/contact-us").contentType(MediaType.APPLICATION_FORM_URLENCODED).body(form)
                .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(204);

        // CSV import: counted as suppressed, next to created, duplicates and rejected
        Path file = dir.resolve("list.csv");
        Files.writeString(file, "email,firstName,lastName,company,companySize,country\n" + email + ",Dora,Listed,Quiet Co,40,FR\n"
                + email("listed") + ",Lis,Ted,Listed Co,40,FR\n", StandardCharsets.UTF_8);
        String location = LeadImportApiTest.upload(http, file).getHeaders().getLocation().toString();
        Map<String, Object> imported = LeadImportApiTest.awaitEnd(http, location, Duration.ofSeconds(60));
        assertThat(imported).containsEntry("status", "DONE").containsEntry("rowsRead", 2).containsEntry("created", 1)
                .containsEntry("suppressed", 1).containsEntry("duplicates", 0).containsEntry("rejected", 0);

        // engagements by email and by id: suppressed, nothing recorded, not revived
        ResponseEntity<Map<String, Object>> byEmail = http.post().uri("/api/engagements").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", email, "type", "webinar")).retrieve().toEntity(MAP);
        assertThat(byEmail.getStatusCode().value()).isEqualTo(202);
        assertThat(byEmail.getBody()).containsEntry("suppressed", true).containsEntry("wokeNurture", false).doesNotContainKey("leadId");
        ResponseEntity<Map<String, Object>> byId = http.post().uri("/api/leads/{id}/engagements", leadId)
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("type", "download")).retrieve().toEntity(MAP);
        assertThat(byId.getBody()).containsEntry("suppressed", true).containsEntry("leadId", leadId);

        Map<String, Double> refusedNow = refusedByChannel();
        Map<String, Double> counted = new java.util.LinkedHashMap<>();
        refusedNow.forEach((channel, count) -> counted.put(channel, count - refusedBefore.get(channel)));
        assertThat(counted).as("each refused submission is counted under its channel")
                .isEqualTo(Map.of("api", 1.0, "webForm", 1.0, "import", 1.0, "engagement", 2.0));

        assertThat(leadsWithEmail(email)).as("no second lead").isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from lead_engagement where lead_id = :id").param("id", leadId)
                .query(Long.class).single()).as("nothing recorded on the blacklisted lead").isEqualTo(engagements);
        assertThat(runningLifecycles(leadId)).as("not restarted").isZero();
        assertThat(jdbc.sql("select stage from lead where id = :id").param("id", leadId).query(String.class).single())
                .isEqualTo("BLACKLISTED");
    }

    @Test
    void doNotContact_forALeadWithoutARunningLifecycle_blacklistsIt_andNewEngagementDoesNotReviveIt() {
        String email = email("archived");
        String leadId = capture(email);
        runtime.createProcessInstanceQuery().processInstanceBusinessKey(leadNumber(leadId)).list()
                .forEach(p -> runtime.deleteProcessInstanceIfExists(p.getId(), "test: the lead went cold", true, true, true, false));
        jdbc.sql("update lead set stage = 'ARCHIVED' where id = :id").param("id", leadId).update();

        ResponseEntity<Map<String, Object>> answer = doNotContact("mona", "demo", leadId, false);

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        assertThat(answer.getBody()).containsEntry("stoppedLifecycle", false);
        assertThat(jdbc.sql("select stage from lead where id = :id").param("id", leadId).query(String.class).single())
                .isEqualTo("BLACKLISTED");
        http.post().uri("/api/leads/{id}/engagements", leadId).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("type", "webinar")).retrieve().toBodilessEntity();
        assertThat(runningLifecycles(leadId)).as("an archived lead that asked not to be contacted is never revived").isZero();
    }

    @Test
    void doNotContact_withErasure_answersWithTheErasureReport_andASecondErasureChangesNothing() {
        String email = email("erase-twice");
        String leadId = capture(email);

        ResponseEntity<Map<String, Object>> first = doNotContact("admin", "admin", leadId, true);
        ResponseEntity<Map<String, Object>> second = http.post().uri("/api/leads/{id}/erasure", leadId)
                .headers(h -> h.setBasicAuth("max", "demo")).retrieve().toEntity(MAP);

        assertThat(first.getStatusCode().value()).isEqualTo(200);
        assertThat(first.getBody()).containsEntry("stoppedLifecycle", true);
        assertThat(castMap(first.getBody().get("erasure"))).containsEntry("leadId", leadId).containsKey("erased");
        assertThat(second.getStatusCode().value()).isEqualTo(200);
        assertThat(second.getBody()).containsEntry("stoppedLifecycle", false);
        assertThat(castMap(second.getBody().get("erased"))).containsEntry("historicVariables", 0)
                .containsEntry("engagementDetails", 0);
        assertThat(leadsWithEmail(email)).isZero();
        assertThat(jdbc.sql("select count(*) from lead_suppression where lead_id = :id").param("id", leadId)
                .query(Long.class).single()).as("one salted hash, no address").isEqualTo(1);
    }
}
