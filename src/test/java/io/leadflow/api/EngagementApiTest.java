package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.leadflow.SpringIntegrationTest;

/** Engagement events from other systems: recorded on the lead, and a nurtured lead wakes up. */
class EngagementApiTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    @Autowired
    JdbcClient jdbc;

    /** A small shop in Brazil: far below the MQL threshold, so it waits in nurture. */
    String captureWeakLead(String email) {
        return capture(email, 20, "BR", null);
    }

    /** A software company's executive in Germany: an MQL at once, waiting for review, not in nurture. */
    String captureStrongLead(String email) {
        return capture(email, 500, "DE", "executive");
    }

    String capture(String email, int companySize, String country, String role) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("email", email, "firstName", "Eve", "lastName", "Engaged",
                "company", "Some Company", "industry", "software", "companySize", companySize, "country", country));
        if (role != null) {
            body.put("role", role);
        }
        Map<String, Object> created = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().body(MAP);
        return (String) created.get("id");
    }

    ResponseEntity<Map<String, Object>> post(String uri, String json, Object... variables) {
        return http.post().uri(uri, variables).contentType(MediaType.APPLICATION_JSON).body(json).retrieve().toEntity(MAP);
    }

    List<Map<String, Object>> engagementsOf(String leadId) {
        return jdbc.sql("select type, detail, occurred_at from lead_engagement where lead_id = :id order by id")
                .param("id", leadId).query().listOfRows();
    }

    static String email(String name) {
        return name + "-" + System.nanoTime() + "@example.com";
    }

    @Test
    void downloadOfANurturedLead_isRecorded_andWakesTheNurture() {
        String leadId = captureWeakLead(email("nurtured"));

        ResponseEntity<Map<String, Object>> response = post("/api/leads/{id}/engagements", """
                {"type": "download", "occurredAt": "2026-11-20T10:15:00+01:00", "detail": "whitepaper: lead scoring"}""", leadId);

        assertThat(response.getStatusCode().value()).isEqualTo(202);
        assertThat(response.getBody()).containsEntry("leadId", leadId).containsEntry("wokeNurture", true);
        Map<String, Object> recorded = engagementsOf(leadId).get(engagementsOf(leadId).size() - 1);
        assertThat(recorded).containsEntry("TYPE", "download").containsEntry("DETAIL", "whitepaper: lead scoring");
        assertThat(((java.time.temporal.TemporalAccessor) recorded.get("OCCURRED_AT")))
                .satisfies(t -> assertThat(OffsetDateTime.from(t).toInstant())
                        .isEqualTo(OffsetDateTime.parse("2026-11-20T09:15:00Z").toInstant()));
    }

    @Test
    void aLeadWithThousandsOfEvents_showsTheLatestHundred_andCountsThemAll() {
        String leadId = captureStrongLead("clicked-" + System.nanoTime() + "@example.com");
        java.time.OffsetDateTime start = java.time.OffsetDateTime.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 250; i++) {
            jdbc.sql("insert into lead_engagement (lead_id, type, occurred_at, detail, recorded_at) values (:id, 'pageVisit', :at, :detail, :at)")
                    .param("id", leadId).param("at", start.plusMinutes(i)).param("detail", "click " + i).update();
        }
        long all = engagementsOf(leadId).size();

        Map<String, Object> record = http.get().uri("/api/leads/{id}", leadId).retrieve().body(MAP);

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> shown = (List<Map<String, Object>>) record.get("engagements");
        assertThat(all).isGreaterThan(250);
        assertThat(((Number) record.get("engagementCount")).longValue()).isEqualTo(all);
        assertThat(shown).hasSize(100);
        // the capture's own form fill is the newest; of the clicks the newest 99, oldest first
        assertThat(all).isEqualTo(251);
        assertThat(shown.get(0)).containsEntry("detail", "click 151");
        assertThat(shown.get(98)).containsEntry("detail", "click 249");
        assertThat(shown.get(99)).containsEntry("type", "formFill");
    }

    @Test
    void eventOfALeadThatIsNotInNurture_isRecorded_withoutWakingAnything() {
        String leadId = captureStrongLead(email("mql"));

        ResponseEntity<Map<String, Object>> response = post("/api/leads/{id}/engagements", """
                {"type": "webinar"}""", leadId);

        assertThat(response.getStatusCode().value()).isEqualTo(202);
        assertThat(response.getBody()).containsEntry("leadId", leadId).containsEntry("wokeNurture", false);
        assertThat(engagementsOf(leadId)).extracting(e -> e.get("TYPE")).contains("webinar");
    }

    @Test
    void eventAddressedByEmail_findsTheLeadWhateverTheCaseAndSpaces() {
        String email = email("Clicker");
        String leadId = captureWeakLead(email);

        ResponseEntity<Map<String, Object>> response = post("/api/engagements", """
                {"email": "  %s ", "type": "emailClick", "detail": "November newsletter"}""".formatted(email.toUpperCase()));

        assertThat(response.getStatusCode().value()).isEqualTo(202);
        assertThat(response.getBody()).containsEntry("leadId", leadId).containsEntry("wokeNurture", true);
        assertThat(engagementsOf(leadId)).extracting(e -> e.get("TYPE")).contains("emailClick");
    }

    @Test
    void eventForAnUnknownLead_isA404Problem_byIdAndByEmail() {
        ResponseEntity<Map<String, Object>> byId = post("/api/leads/{id}/engagements", "{\"type\": \"pageVisit\"}", "no-such-lead");
        ResponseEntity<Map<String, Object>> byEmail = post("/api/engagements",
                "{\"email\": \"nobody@unknown.example\", \"type\": \"pageVisit\"}");

        assertThat(byId.getStatusCode().value()).isEqualTo(404);
        assertThat(byId.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(byId.getBody()).containsEntry("detail", "No lead with id 'no-such-lead'");
        assertThat(byEmail.getStatusCode().value()).isEqualTo(404);
        assertThat(byEmail.getBody()).containsEntry("detail", "No lead with email 'nobody@unknown.example'");
    }

    @Test
    void invalidEvent_getsProblemDetailsNamingEveryBadField_andNothingIsRecorded() {
        String leadId = captureWeakLead(email("invalid"));
        int before = engagementsOf(leadId).size();
        String tooFarAhead = OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(10).truncatedTo(ChronoUnit.SECONDS).toString();

        ResponseEntity<Map<String, Object>> response = post("/api/leads/{id}/engagements", """
                {"type": "coldCall", "occurredAt": "%s", "detail": "%s"}""".formatted(tooFarAhead, "x".repeat(501)), leadId);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(errorFields(response)).containsExactly("detail", "occurredAt", "type");
        assertThat(response.getBody()).as("an engagement is no lead's data").containsEntry("title", "Invalid request");
        assertThat(engagementsOf(leadId)).hasSize(before);
    }

    /** Each answer is a 400 problem naming exactly this field, for this reason. */
    @SafeVarargs
    static void assertRefusedNaming(String field, String reason, ResponseEntity<Map<String, Object>>... responses) {
        for (ResponseEntity<Map<String, Object>> response : responses) {
            assertThat(response.getStatusCode().value()).isEqualTo(400);
            assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
            assertThat(response.getBody().get("errors")).isEqualTo(List.of(Map.of("field", field, "reason", reason)));
        }
    }

    @Test
    void detailWithANulOrAnotherControlCharacter_isRejectedNamingDetail_byIdAndByEmail_andNothingIsRecorded() {
        String email = email("nul");
        String leadId = captureWeakLead(email);
        int before = engagementsOf(leadId).size();

        // PostgreSQL refuses a NUL in text: stored, it failed the request with a 500
        ResponseEntity<Map<String, Object>> byId = post("/api/leads/{id}/engagements", """
                {"type": "download", "detail": "white\\u0000paper"}""", leadId);
        ResponseEntity<Map<String, Object>> byEmail = post("/api/engagements", """
                {"email": "%s", "type": "webinar", "detail": "bell\\u0007"}""".formatted(email));

        assertRefusedNaming("detail", "must not contain control characters", byId, byEmail);
        assertThat(engagementsOf(leadId)).hasSize(before);
    }

    @Test
    void eventBefore1970_isATypingError_refusedNamingOccurredAt_byIdAndByEmail() {
        String email = email("year-one");
        String leadId = captureWeakLead(email);
        int before = engagementsOf(leadId).size();

        // year 1 for 2026; and a year PostgreSQL cannot store, which was a 500 there
        ResponseEntity<Map<String, Object>> byId = post("/api/leads/{id}/engagements", """
                {"type": "download", "occurredAt": "0001-11-20T10:15:00Z"}""", leadId);
        ResponseEntity<Map<String, Object>> byEmail = post("/api/engagements", """
                {"email": "%s", "type": "webinar", "occurredAt": "-5000-01-01T00:00:00Z"}""".formatted(email));

        assertRefusedNaming("occurredAt", "must not be before 1970", byId, byEmail);
        assertThat(engagementsOf(leadId)).hasSize(before);
    }

    @Test
    void eventAFewSecondsAhead_isAccepted_becauseClocksDiffer() {
        String leadId = captureWeakLead(email("clock-skew"));
        String slightlyAhead = OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(2).toString();

        ResponseEntity<Map<String, Object>> response = post("/api/leads/{id}/engagements",
                "{\"type\": \"pageVisit\", \"occurredAt\": \"%s\"}".formatted(slightlyAhead), leadId);

        assertThat(response.getStatusCode().value()).isEqualTo(202);
    }

    @Test
    void timeWithoutOffset_orEmailMissing_isRejectedNamingTheField() {
        String leadId = captureWeakLead(email("no-offset"));

        ResponseEntity<Map<String, Object>> noOffset = post("/api/leads/{id}/engagements",
                "{\"type\": \"pageVisit\", \"occurredAt\": \"2026-11-20T10:15:00\"}", leadId);
        ResponseEntity<Map<String, Object>> noEmail = post("/api/engagements", "{\"type\": \"pageVisit\"}");
        // a number is no time: 1700000000 was read as seconds since 1970 (November 2023), milliseconds as "in the future"
        ResponseEntity<Map<String, Object>> epoch = post("/api/leads/{id}/engagements",
                "{\"type\": \"pageVisit\", \"occurredAt\": 1700000000}", leadId);

        assertThat(noOffset.getStatusCode().value()).isEqualTo(400);
        assertThat(errorFields(noOffset)).containsExactly("occurredAt");
        assertThat(noOffset.getBody().get("errors").toString()).contains("ISO-8601", "offset");
        assertThat(noEmail.getStatusCode().value()).isEqualTo(400);
        assertThat(errorFields(noEmail)).containsExactly("email");
        assertThat(epoch.getStatusCode().value()).isEqualTo(400);
        assertThat(errorFields(epoch)).containsExactly("occurredAt");
        assertThat(epoch.getBody().get("errors").toString()).contains("ISO-8601", "offset");
    }

    @SuppressWarnings("unchecked")
    static List<String> errorFields(ResponseEntity<Map<String, Object>> response) {
        return ((List<Map<String, String>>) response.getBody().get("errors")).stream().map(e -> e.get("field")).toList();
    }
}
