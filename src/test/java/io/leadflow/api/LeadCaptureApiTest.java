package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.leadflow.SpringIntegrationTest;

/** {@code POST /api/leads}: what a system gets back for good, known and bad leads. */
class LeadCaptureApiTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    @Autowired
    JdbcClient jdbc;

    @Autowired
    org.camunda.bpm.engine.HistoryService history;

    ResponseEntity<Map<String, Object>> post(String json) {
        return http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON).body(json).retrieve().toEntity(MAP);
    }

    long leads() {
        return jdbc.sql("select count(*) from lead").query(Long.class).single();
    }

    long decisionsInHistory(String... decisionKeys) {
        return history.createHistoricDecisionInstanceQuery().decisionDefinitionKeyIn(decisionKeys).count();
    }

    @Test
    void aCapture_recordsItsMqlDecisionInTheEngineHistory_butNotItsScoring() {
        long scoring = decisionsInHistory("leadFit", "leadFitGrade", "engagementPoints");
        long mql = decisionsInHistory("mqlDecision");

        ResponseEntity<Map<String, Object>> created = post("""
                {"email": "scored-%d@example.com", "firstName": "Sco", "lastName": "Red", "company": "Scored Co",
                 "companySize": 500, "country": "DE", "role": "executive", "industry": "software"}""".formatted(System.nanoTime()));

        assertThat(created.getStatusCode().value()).isEqualTo(201);
        // the lead record's score reasons explain a score (19 history rows per scoring otherwise); the
        // lifecycle's MQL decision stays in Cockpit's decision history
        assertThat(decisionsInHistory("leadFit", "leadFitGrade", "engagementPoints")).as("scoring tables").isEqualTo(scoring);
        assertThat(decisionsInHistory("mqlDecision")).as("the MQL decision").isEqualTo(mql + 1);
    }

    @Test
    void anAddressTooLongToStore_asComparedOrByItsDomain_isA400NamingTheEmail_notA500() {
        String longDomain = "x@" + "a.".repeat(124) + "io"; // 252 characters, the domain 250
        String label = "d".repeat(60);
        // 60 dotted capital I: 251 characters as sent, 311 in lower case (each becomes an i and a combining dot)
        String longInLowerCase = "\u0130".repeat(60) + "@" + label + "." + label + "." + label + ".example";
        assertThat(longInLowerCase).hasSize(251);
        long before = leads();

        for (String email : List.of(longDomain, longInLowerCase)) {
            ResponseEntity<Map<String, Object>> response = post("""
                    {"email": "%s", "firstName": "Long", "lastName": "Address", "company": "Long Co", "companySize": 10, "country": "DE"}"""
                    .formatted(email));
            assertThat(response.getStatusCode().value()).as(email).isEqualTo(400);
            assertThat(response.getBody().get("errors")).as(email).asString().contains("field=email", "too long to store");
        }
        assertThat(leads()).isEqualTo(before);
    }

    @Test
    void invalidLead_getsProblemDetailsNamingEveryBadField_andNothingIsStored() {
        long before = leads();

        ResponseEntity<Map<String, Object>> response = post("""
                {"email": "not-an-email", "firstName": "", "company": "ACME", "companySize": 0, "country": "Germany",
                 "role": "boss"}""");

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType().toString()).isEqualTo("application/problem+json");
        assertThat(response.getBody()).containsEntry("title", "Invalid lead data").containsEntry("status", 400);
        @SuppressWarnings("unchecked")
        List<Map<String, String>> errors = (List<Map<String, String>>) response.getBody().get("errors");
        assertThat(errors).extracting(e -> e.get("field"))
                .containsExactly("companySize", "country", "email", "firstName", "lastName", "role");
        assertThat(errors).allSatisfy(e -> assertThat(e.get("reason")).isNotBlank());
        assertThat(leads()).isEqualTo(before);
    }

    @Test
    void aFieldSeveralChecksRefuse_isNamedOnce_withTheProblemToFixFirst() {
        long before = leads();
        String tooLong = "a".repeat(300) + "@example.com";

        for (Map.Entry<String, String> sent : Map.of("", "must not be blank", tooLong, "size must be between 0 and 254").entrySet()) {
            ResponseEntity<Map<String, Object>> response = post("""
                    {"email": "%s", "firstName": "Once", "lastName": "Only", "company": "Once Co", "companySize": 10, "country": "DE"}"""
                    .formatted(sent.getKey()));

            assertThat(response.getStatusCode().value()).isEqualTo(400);
            @SuppressWarnings("unchecked")
            List<Map<String, String>> errors = (List<Map<String, String>>) response.getBody().get("errors");
            assertThat(errors).as(sent.getKey()).containsExactly(Map.of("field", "email", "reason", sent.getValue()));
            assertThat(response.getBody()).containsEntry("detail", "1 field(s) are invalid; nothing was stored");
        }
        assertThat(leads()).isEqualTo(before);
    }

    @Test
    void unicodeControlCharacters_lineSeparators_andBidiControls_areRefusedLikeAsciiOnes_andNothingIsStored() {
        long before = leads();

        // U+0085 (a C1 control, "next line") and U+2028 break task names and CSV exports as a line feed does;
        // U+202E makes a name show other text than it holds (in a mail "ACME exe.pdf")
        ResponseEntity<Map<String, Object>> response = post("""
                {"email": "c1-%d@example.com", "firstName": "Ada\u0085", "lastName": "Love\u2028lace", "company": "ACME \u202Efdp.exe",
                 "companySize": 10, "country": "DE"}""".formatted(System.nanoTime()));

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        @SuppressWarnings("unchecked")
        List<Map<String, String>> errors = (List<Map<String, String>>) response.getBody().get("errors");
        assertThat(errors).extracting(e -> e.get("field")).containsExactly("company", "firstName", "lastName");
        assertThat(errors).extracting(e -> e.get("reason")).containsOnly("must not contain control characters");
        assertThat(leads()).isEqualTo(before);
    }

    @Test
    void bodyOfTheWrongShape_getsProblemDetailsNamingTheField() {
        long before = leads();

        ResponseEntity<Map<String, Object>> response = post("{\"email\": \"a@b.example\", \"companySize\": \"many\"}");

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getBody().get("errors").toString()).contains("companySize");
        assertThat(post("{not json").getStatusCode().value()).isEqualTo(400);
        assertThat(leads()).isEqualTo(before);
    }

    @Test
    void sameLeadTwice_returnsTheSameId_andStartsNoSecondLifecycle() {
        String body = """
                {"email": "%s", "firstName": "Bob", "lastName": "Builder", "company": "Tiny Shop",
                 "companySize": 20, "country": "BR"}""";
        String email = "Twice-" + System.nanoTime() + "@Example.com";

        ResponseEntity<Map<String, Object>> first = post(body.formatted(email));
        ResponseEntity<Map<String, Object>> second = post(body.formatted("  " + email.toLowerCase() + " "));

        assertThat(first.getStatusCode().value()).isEqualTo(201);
        assertThat(second.getStatusCode().value()).isEqualTo(200);
        assertThat(second.getBody()).containsEntry("id", first.getBody().get("id")).containsEntry("status", "existing");
        assertThat(jdbc.sql("select count(*) from act_ru_execution where business_key_ = (select lead_number from lead where id = :id) and parent_id_ is null")
                .param("id", first.getBody().get("id")).query(Long.class).single())
                .as("lifecycle and its nurture, no second lifecycle").isEqualTo(2);
    }

    @Autowired
    io.leadflow.capture.IdempotencyKeys idempotencyKeys;

    @Test
    void anIdempotencyKey_isKeptAWeek_thenForgotten_andARetryAfterThatIsAnsweredAsTheKnownEmail() {
        String email = "idem-" + System.nanoTime() + "@example.com";
        String lead = """
                {"email": "%s", "firstName": "Ida", "lastName": "Empotent", "company": "Retry Works", "companySize": 50, "country": "DE"}"""
                .formatted(email);
        ResponseEntity<Map<String, Object>> first = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "week-old-" + email).body(lead).retrieve().toEntity(MAP);
        assertThat(first.getStatusCode().value()).isEqualTo(201);
        String leadId = (String) first.getBody().get("id");
        long keys = jdbc.sql("select count(*) from idempotency_key where lead_id = :id").param("id", leadId).query(Long.class).single();
        assertThat(keys).isEqualTo(1);

        jdbc.sql("update idempotency_key set created_at = created_at - interval '8' day where lead_id = :id").param("id", leadId).update();
        idempotencyKeys.removeExpired();

        assertThat(jdbc.sql("select count(*) from idempotency_key where lead_id = :id").param("id", leadId).query(Long.class).single())
                .as("forgotten after the retention").isZero();
        ResponseEntity<Map<String, Object>> retry = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "week-old-" + email).body(lead).retrieve().toEntity(MAP);
        assertThat(retry.getStatusCode().value()).as("no second lead: the known email").isEqualTo(200);
        assertThat(retry.getBody()).containsEntry("id", leadId);
    }

    @Test
    void unknownLead_isA404Problem() {
        ResponseEntity<Map<String, Object>> response = http.get().uri("/api/leads/{id}", "no-such-lead").retrieve().toEntity(MAP);
        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getBody()).containsEntry("detail", "No lead with id 'no-such-lead'");
    }

    @Test
    void newLead_getsAReadableNumber_inTheAnswer_theRecord_andAsBusinessKey() {
        ResponseEntity<Map<String, Object>> created = post("""
                {"email": "numbered-%d@example.com", "firstName": "Ada", "lastName": "Lovelace", "company": "Analytical Engines",
                 "role": "executive", "industry": "software", "companySize": 500, "country": "DE"}""".formatted(System.nanoTime()));

        assertThat(created.getStatusCode().value()).isEqualTo(201);
        String id = (String) created.getBody().get("id");
        String number = (String) created.getBody().get("number");
        assertThat(number).matches("L-" + java.time.Year.now(java.time.ZoneOffset.UTC) + "-\\d{6,}");
        Map<String, Object> record = http.get().uri("/api/leads/{id}", id).retrieve().body(MAP);
        assertThat(record.get("lead")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("id", id).containsEntry("number", number);
        assertThat(jdbc.sql("select count(*) from act_ru_execution where business_key_ = :number and parent_id_ is null")
                .param("number", number).query(Long.class).single()).as("the lifecycle runs under the number").isPositive();
    }

    @Test
    void knownEmail_answersWithTheSameNumber() {
        String body = """
                {"email": "known-number-%d@example.com", "firstName": "Bob", "lastName": "Builder", "company": "Tiny Shop",
                 "companySize": 20, "country": "BR"}""".formatted(System.nanoTime());

        ResponseEntity<Map<String, Object>> first = post(body);
        ResponseEntity<Map<String, Object>> second = post(body);

        assertThat(second.getStatusCode().value()).isEqualTo(200);
        assertThat(second.getBody()).containsEntry("number", first.getBody().get("number")).containsEntry("status", "existing");
    }

    @Test
    void leadByNumber_isTheSameRecordAsById() {
        ResponseEntity<Map<String, Object>> created = post("""
                {"email": "by-number-%d@example.com", "firstName": "Grace", "lastName": "Hopper", "company": "Compilers Inc",
                 "companySize": 250, "country": "US"}""".formatted(System.nanoTime()));
        String number = (String) created.getBody().get("number");

        ResponseEntity<Map<String, Object>> byNumber = http.get().uri("/api/leads/by-number/{number}", number).retrieve().toEntity(MAP);

        assertThat(byNumber.getStatusCode().value()).isEqualTo(200);
        assertThat(byNumber.getBody()).isEqualTo(http.get().uri("/api/leads/{id}", created.getBody().get("id")).retrieve().body(MAP));
    }

    @Test
    void malformedLeadNumber_isA400ProblemNamingTheField() {
        ResponseEntity<Map<String, Object>> response = http.get().uri("/api/leads/by-number/{number}", "L-26-12").retrieve().toEntity(MAP);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType().toString()).isEqualTo("application/problem+json");
        @SuppressWarnings("unchecked")
        List<Map<String, String>> errors = (List<Map<String, String>>) response.getBody().get("errors");
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.get("field")).isEqualTo("number");
            assertThat(e.get("reason")).contains("L-2026-000123");
        });
    }

    @Test
    void unknownLeadNumber_isA404Problem() {
        ResponseEntity<Map<String, Object>> response = http.get().uri("/api/leads/by-number/{number}", "L-1999-999999").retrieve().toEntity(MAP);
        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getBody()).containsEntry("detail", "No lead with number 'L-1999-999999'");
    }
}
