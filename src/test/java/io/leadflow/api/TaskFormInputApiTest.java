package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import io.leadflow.SpringIntegrationTest;

/**
 * What Tasklist (and any client of the engine's REST API) gets for form input the form's own rules
 * refuse: a 400 problem naming the field, checked before the engine, the task still open, no stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskFormInputApiTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() { };
    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    @Test
    void rejectionWithACommentOfOnlySpaces_isA400NamingTheComment_theTaskStaysOpen_andNothingIsLogged(CapturedOutput output) {
        AtTask at = atAcceptance("form-input");
        String leadId = at.leadId();
        String accept = at.taskId();
        String rep = at.rep();
        int logBefore = output.getAll().length();

        ResponseEntity<Map<String, Object>> refused = submit(rep, accept,
                Map.of("acceptDecision", "reject", "rejectReason", "clerical", "rejectComment", "   "));

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(refused.getBody()).containsEntry("title", "Invalid form input")
                .containsEntry("message", "Comment (rejectComment): must not be only spaces. Nothing was saved.")
                .containsEntry("errors", List.of(Map.of("field", "rejectComment", "reason", "must not be only spaces")));
        assertThat(openTaskId(rep, leadId, "Task_AcceptLead")).isEqualTo(accept);
        assertThat(output.getAll().substring(logBefore)).doesNotContain("ENGINE-REST-HTTP500").doesNotContain(" ERROR ");

        ResponseEntity<Map<String, Object>> noReason = submit(rep, accept, Map.of("acceptDecision", "reject", "rejectComment", "not mine"));
        assertThat(noReason.getStatusCode().value()).isEqualTo(400);
        assertThat(noReason.getBody()).containsEntry("message",
                "Reason for rejecting (rejectReason): is required when Decision is \"Reject\". Nothing was saved.");

        assertThat(submit(rep, accept, Map.of("acceptDecision", "accept", "rejectComment", "")).getStatusCode().value())
                .as("a comment left empty does not matter when accepting").isEqualTo(204);
    }

    /** A lead, its open task and the rep whose task it is. */
    record AtTask(String leadId, String rep, String taskId) {
    }

    /** A new lead approved by marketing: its "Accept lead" waits for the rep the rotation chose. */
    AtTask atAcceptance(String emailPrefix) {
        String leadId = leadAtAcceptance(emailPrefix);
        String accept = openTaskId("max", leadId, "Task_AcceptLead");
        String rep = (String) as("max", http.get().uri("/engine-rest/task/{id}", accept)).retrieve().body(MAP).get("assignee");
        return new AtTask(leadId, rep, accept);
    }

    /** A lead its rep accepted and reached: its "Qualify lead" waits. */
    AtTask atQualification(String emailPrefix) {
        AtTask at = atAcceptance(emailPrefix);
        assertThat(submit(at.rep(), at.taskId(), Map.of("acceptDecision", "accept")).getStatusCode().value()).isEqualTo(204);
        assertThat(submit(at.rep(), openTaskId(at.rep(), at.leadId(), "Task_ContactLead"), Map.of("contactChannel", "phone",
                "contactOutcome", "connected", "contactNote", "demo booked")).getStatusCode().value()).isEqualTo(204);
        return new AtTask(at.leadId(), at.rep(), openTaskId(at.rep(), at.leadId(), "Task_QualifyLead"));
    }

    @Test
    void whatTheEngineOrPostgresWouldFailOn_isA400NamingTheField_beforeTheEngineSeesIt(CapturedOutput output) {
        AtTask at = atAcceptance("engine-fails");
        String leadId = at.leadId();
        String accept = at.taskId();
        String rep = at.rep();
        int logBefore = output.getAll().length();

        // no variables at all: the model's gateway would fail on the missing decision (a 500 naming its expression)
        ResponseEntity<Map<String, Object>> nothing = as(rep, http.post().uri("/engine-rest/task/{id}/complete", accept)
                .contentType(MediaType.APPLICATION_JSON).body("{}")).retrieve().toEntity(MAP);
        // a NUL (PostgreSQL refuses it in text: a 500 there) and a comment of no-break spaces only
        ResponseEntity<Map<String, Object>> nul = submit(rep, accept,
                Map.of("acceptDecision", "reject", "rejectReason", "clerical", "rejectComment", "no\u0000phone"));
        ResponseEntity<Map<String, Object>> noBreakSpaces = submit(rep, accept,
                Map.of("acceptDecision", "reject", "rejectReason", "clerical", "rejectComment", "\u00a0\u00a0"));

        assertThat(nothing.getStatusCode().value()).isEqualTo(400);
        assertThat(nothing.getBody()).containsEntry("errors", List.of(Map.of("field", "acceptDecision", "reason", "is required")));
        assertThat(nul.getStatusCode().value()).isEqualTo(400);
        assertThat(nul.getBody()).containsEntry("errors",
                List.of(Map.of("field", "rejectComment", "reason", "must not contain control characters")));
        assertThat(noBreakSpaces.getBody()).containsEntry("errors",
                List.of(Map.of("field", "rejectComment", "reason", "must not be only spaces")));
        assertThat(openTaskId(rep, leadId, "Task_AcceptLead")).as("the task stays open").isEqualTo(accept);
        assertThat(output.getAll().substring(logBefore)).doesNotContain("ENGINE-REST-HTTP500").doesNotContain(" ERROR ");

        // a comment's line breaks are its own
        assertThat(submit(rep, accept, Map.of("acceptDecision", "reject", "rejectReason", "clerical",
                "rejectComment", "no phone number,\nno company size")).getStatusCode().value()).isEqualTo(204);
    }

    @Test
    void aRevisitDateOrACheckboxInAnotherShape_isA400NamingIt() {
        AtTask at = atQualification("revisit-shape");
        String rep = at.rep();
        String leadId = at.leadId();
        String qualify = at.taskId();
        Map<String, Object> later = new HashMap<>(Map.of("timeline", "later", "qualificationDecision", "disqualified",
                "disqualifyReason", "timing"));

        // a day that has passed (the form's date picker disallows them; a mistyped year cancelled the agreed pause)
        String passed = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(2).toString();
        for (Object date : List.of("2027", "+300000-01-01", "0001-03-01", passed, "2020-01-01")) {
            Map<String, Object> values = new HashMap<>(later);
            values.put("revisitDate", date);
            ResponseEntity<Map<String, Object>> refused = submit(rep, qualify, values);
            assertThat(refused.getStatusCode().value()).as("revisit %s", date).isEqualTo(400);
            assertThat(refused.getBody().get("errors")).as("revisit %s", date).asString().contains("field=revisitDate");
        }
        Map<String, Object> values = new HashMap<>(later);
        values.put("revisitDate", passed);
        assertThat(submit(rep, qualify, values).getBody().get("errors")).asString().contains("not a day that has passed");
        Map<String, Object> yes = new HashMap<>(later);
        yes.put("revisitDate", java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusMonths(3).toString());
        yes.put("budgetConfirmed", "yes");
        assertThat(submit(rep, qualify, yes).getBody()).containsEntry("errors",
                List.of(Map.of("field", "budgetConfirmed", "reason", "must be true or false")));
        assertThat(openTaskId(rep, leadId, "Task_QualifyLead")).as("the task stays open").isEqualTo(qualify);

        yes.put("budgetConfirmed", false);
        assertThat(submit(rep, qualify, yes).getStatusCode().value()).isEqualTo(204);
    }

    @Test
    void aDealSizeTheOpportunityCannotHold_isA400NamingIt_notAHandOverThatFailsForEver() {
        AtTask at = atQualification("deal-size");
        String rep = at.rep();
        String leadId = at.leadId();
        String qualify = at.taskId();
        Map<String, Object> qualified = Map.of("budgetConfirmed", true, "authorityConfirmed", true, "needConfirmed", true,
                "timeline", "quarter", "qualificationDecision", "qualified");

        // the opportunity's amount column holds 12 digits before the decimal point; a negative deal size means nothing
        for (Object amount : List.of(10_000_000_000_000L, -1, "a lot")) {
            Map<String, Object> values = new java.util.HashMap<>(qualified);
            values.put("opportunityAmount", amount);
            ResponseEntity<Map<String, Object>> refused = submit(rep, qualify, values);
            assertThat(refused.getStatusCode().value()).as("amount %s", amount).isEqualTo(400);
            assertThat(refused.getBody().get("errors")).as("amount %s", amount).asString().contains("field=opportunityAmount");
        }
        Map<String, Object> negative = new java.util.HashMap<>(qualified);
        negative.put("opportunityAmount", -5);
        assertThat(submit(rep, qualify, negative).getBody()).containsEntry("message",
                "Expected deal size (opportunityAmount): must be at least 0. Nothing was saved.");
        Map<String, Object> tooLarge = new java.util.HashMap<>(qualified);
        tooLarge.put("opportunityAmount", 1_000_000_000_000L);
        assertThat(submit(rep, qualify, tooLarge).getBody()).containsEntry("message",
                "Expected deal size (opportunityAmount): must be at most 999,999,999,999, was 1,000,000,000,000. Nothing was saved.");
        assertThat(openTaskId(rep, leadId, "Task_QualifyLead")).as("the task stays open").isEqualTo(qualify);

        Map<String, Object> values = new java.util.HashMap<>(qualified);
        values.put("opportunityAmount", 999_999_999_999L);
        assertThat(submit(rep, qualify, values).getStatusCode().value()).as("the largest deal size").isEqualTo(204);
    }

    @Test
    void startFormWithAnUnknownCountryOrATooLargeCompany_isA400InTheFormsWords_andNoLeadIsCaptured() {
        Map<String, Object> lead = new HashMap<>(Map.of("firstName", "Ada", "lastName", "Lovelace",
                "email", "start-form-" + System.nanoTime() + "@example.com", "companyName", "Analytical Engines", "role", "executive",
                "companySize", 500, "country", "ZZ", "source", "manual"));
        long leadsBefore = leadCount();

        ResponseEntity<Map<String, Object>> zz = as("mia", http.post().uri("/engine-rest/process-definition/key/leadLifecycle/submit-form")
                .contentType(MediaType.APPLICATION_JSON).body(variables(lead))).retrieve().toEntity(MAP);
        lead.put("country", "DE");
        lead.put("companySize", 99_999_999_999L);
        ResponseEntity<Map<String, Object>> huge = as("mia", http.post().uri("/engine-rest/process-definition/key/leadLifecycle/submit-form")
                .contentType(MediaType.APPLICATION_JSON).body(variables(lead))).retrieve().toEntity(MAP);

        assertThat(zz.getStatusCode().value()).isEqualTo(400);
        assertThat((String) zz.getBody().get("message"))
                .startsWith("Country (country): 'ZZ' is not one of the offered values (ISO 3166 country codes such as DE, FR or US)");
        assertThat(huge.getStatusCode().value()).isEqualTo(400);
        assertThat((String) huge.getBody().get("message"))
                .isEqualTo("Company size (companySize): must be at most 10,000,000, was 99,999,999,999. Nothing was saved.");
        assertThat(leadCount()).isEqualTo(leadsBefore);
    }

    @Test
    void captureApi_refusesAnUnknownIsoCountry_withAProblemNamingTheField() {
        ResponseEntity<Map<String, Object>> refused = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", "zz-" + System.nanoTime() + "@example.com", "firstName", "Ada", "lastName", "Lovelace",
                        "company", "Analytical Engines", "companySize", 500, "country", "ZZ"))
                .retrieve().toEntity(MAP);

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(refused.getBody().toString()).contains("country", "is not an ISO 3166 country code");
    }

    long leadCount() {
        return ((Number) http.get().uri("/engine-rest/history/process-instance/count?processDefinitionKey=leadLifecycle")
                .retrieve().body(MAP).get("count")).longValue();
    }
}
