package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.web.FailingTestEndpoints;

/**
 * Every error under /api is an RFC 9457 problem (application/problem+json), whoever raises it: our
 * controllers, Spring MVC before a controller is found, a filter, the servlet container. A failure of
 * ours is a 500 that tells the client nothing about our internals and is logged once with its stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiErrorsTest extends SpringIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    static final String PROBLEM_JSON = "application/problem+json";

    static final String LEAD = """
            {"email": "errors-%d@example.com", "firstName": "Ada", "lastName": "Lovelace", "company": "Analytical Engines",
             "companySize": 500, "country": "DE"}""";

    static void assertProblem(ResponseEntity<String> response, int status, String title) {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).as(response.getBody())
                .matches(type -> type.equalsTypeAndSubtype(MediaType.APPLICATION_PROBLEM_JSON), PROBLEM_JSON);
        assertThat(response.getBody()).contains("\"status\":" + status).contains("\"title\":\"" + title + "\"");
    }

    static void assertNoInternals(ResponseEntity<String> response) {
        assertThat(response.getBody()).doesNotContain("secret_column", "hunter2", "Exception", "at io.leadflow",
                "trace", "Failed to run", "Bug in our code", "Filter failed");
    }

    @Test
    void failureInsideOurCode_isA500Problem_withAGenericDetail_loggedOnceWithItsStackTrace(CapturedOutput output) {
        ResponseEntity<String> response = http.get().uri("/api/test-failure").retrieve().toEntity(String.class);

        assertProblem(response, 500, "Internal Server Error");
        assertNoInternals(response);
        assertThat(response.getBody()).contains("\"detail\":").contains("\"instance\":\"/api/test-failure\"");
        assertThat(output.getOut().split("Failed to run ", -1)).as("the error is logged exactly once").hasSize(2);
        assertThat(output.getOut()).contains("ERROR").contains("at io.leadflow.web.FailingTestEndpoints$FailingController.fail");
    }

    @Test
    void illegalArgumentInsideOurCode_isA500_notA400BlamingTheClient() {
        ResponseEntity<String> response = http.get().uri("/api/test-failure/illegal-argument").retrieve().toEntity(String.class);

        assertProblem(response, 500, "Internal Server Error");
        assertNoInternals(response);
    }

    @Test
    void aRaceLostBeyondTheRetries_isA503Problem_withRetryAfter_notA500() {
        ResponseEntity<String> response = http.get().uri("/api/test-failure/lock-timeout").retrieve().toEntity(String.class);

        assertProblem(response, 503, "Busy, try again");
        assertNoInternals(response);
        assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("2");
        assertThat(response.getBody()).contains("nothing was stored");
    }

    @Test
    void aConnectionLostAtTheCommit_isA503_thatDoesNotPromiseNothingWasStored() {
        ResponseEntity<String> response = http.get().uri("/api/test-failure/commit-lost").retrieve().toEntity(String.class);

        assertProblem(response, 503, "Busy, try again");
        assertNoInternals(response);
        assertThat(response.getBody()).contains("may not have been stored", "Idempotency-Key").doesNotContain("nothing was stored");
    }

    @Test
    void failureInAFilter_beforeAnyController_isA500Problem_loggedOnce(CapturedOutput output) {
        ResponseEntity<String> response = http.get().uri(FailingTestEndpoints.FailingFilter.PATH).retrieve().toEntity(String.class);

        assertProblem(response, 500, "Internal Server Error");
        assertNoInternals(response);
        assertThat(output.getOut().split("Filter failed on ", -1)).as("the error is logged exactly once").hasSize(2);
    }

    @Test
    void unknownApiPath_isA404Problem_evenForABrowserAskingForHtml() {
        ResponseEntity<String> json = http.get().uri("/api/no-such-thing").retrieve().toEntity(String.class);
        ResponseEntity<String> html = http.get().uri("/api/no-such-thing").accept(MediaType.TEXT_HTML)
                .retrieve().toEntity(String.class);

        assertProblem(json, 404, "Not Found");
        assertThat(json.getBody()).contains("/api/no-such-thing");
        assertProblem(html, 404, "Not Found");
    }

    @Test
    void wrongMethod_isA405Problem_thatNamesTheAllowedMethods() {
        ResponseEntity<String> response = http.method(HttpMethod.DELETE).uri("/api/leads").retrieve().toEntity(String.class);

        assertProblem(response, 405, "Method Not Allowed");
        assertThat(response.getHeaders().getAllow()).contains(HttpMethod.POST);
    }

    @Test
    void wrongContentType_isA415Problem() {
        ResponseEntity<String> response = http.post().uri("/api/leads").contentType(MediaType.TEXT_PLAIN)
                .body(LEAD.formatted(System.nanoTime())).retrieve().toEntity(String.class);

        assertProblem(response, 415, "Unsupported Media Type");
    }

    @Test
    void unacceptableResponseType_isA406Problem() {
        ResponseEntity<String> response = http.get().uri("/api/sla-breaches").accept(MediaType.valueOf("text/csv"))
                .retrieve().toEntity(String.class);

        assertProblem(response, 406, "Not Acceptable");
    }

    @Test
    void missingBody_orMalformedJson_isA400Problem() {
        ResponseEntity<String> missing = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .retrieve().toEntity(String.class);
        ResponseEntity<String> malformed = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body("{\"email\": \"broken@example.com\", ").retrieve().toEntity(String.class);

        assertProblem(missing, 400, "Unreadable request body");
        assertProblem(malformed, 400, "Unreadable request body");
        assertThat(malformed.getBody()).doesNotContain("JsonEOFException", "com.fasterxml");
    }

    @Test
    void aValueOfTheWrongType_orOutOfItsRange_isA400ProblemNamingTheField() throws Exception {
        ResponseEntity<String> wrongType = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(LEAD.formatted(System.nanoTime()).replace("\"companySize\": 500", "\"companySize\": \"many\""))
                .retrieve().toEntity(String.class);
        ResponseEntity<String> tooLarge = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(LEAD.formatted(System.nanoTime()).replace("\"companySize\": 500", "\"companySize\": 99999999999"))
                .retrieve().toEntity(String.class);
        ResponseEntity<String> tooLargeAsFloat = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(LEAD.formatted(System.nanoTime()).replace("\"companySize\": 500", "\"companySize\": 1.0E20"))
                .retrieve().toEntity(String.class);

        assertProblem(wrongType, 400, "Unreadable request body");
        assertThat(errors(wrongType)).containsExactly(Map.of("field", "companySize", "reason", "must be a whole number"));
        assertProblem(tooLarge, 400, "Unreadable request body");
        assertThat(errors(tooLarge)).containsExactly(Map.of("field", "companySize", "reason", "is a number out of range"));
        // a number with a fraction or an exponent is no whole number to the API, whatever its size
        assertProblem(tooLargeAsFloat, 400, "Unreadable request body");
        assertThat(errors(tooLargeAsFloat)).containsExactly(Map.of("field", "companySize", "reason", "must be a whole number"));
        for (ResponseEntity<String> response : List.of(tooLarge, tooLargeAsFloat)) {
            assertThat(response.getBody()).doesNotContain("com.fasterxml", "2147483647");
        }
    }

    /** The problem's {@code errors} as field and reason (the server writes their keys in no fixed order). */
    static List<Map<String, String>> errors(ResponseEntity<String> response) throws Exception {
        List<Map<String, String>> errors = new ArrayList<>();
        for (JsonNode error : new ObjectMapper().readTree(response.getBody()).path("errors")) {
            errors.add(Map.of("field", error.path("field").asText(), "reason", error.path("reason").asText()));
        }
        return errors;
    }

    @Test
    void aBodyThatSaysMoreOrLessThanItsFields_isA400NamingTheField_andStoresNothing() throws Exception {
        String email = "strict-json-" + System.nanoTime() + "@example.com";
        String lead = LEAD.formatted(0).replace("errors-0@example.com", email);
        ResponseEntity<String> fraction = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(lead.replace("\"companySize\": 500", "\"companySize\": 12.7")).retrieve().toEntity(String.class);
        ResponseEntity<String> twoEmails = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(lead.replace("{", "{\"email\": \"other-" + email + "\", ")).retrieve().toEntity(String.class);
        ResponseEntity<String> trailing = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(lead + " {\"email\": \"x@example.com\"}").retrieve().toEntity(String.class);

        assertProblem(fraction, 400, "Unreadable request body");
        assertThat(errors(fraction)).as("12.7 employees is not read as 12")
                .containsExactly(Map.of("field", "companySize", "reason", "must be a whole number"));
        assertProblem(twoEmails, 400, "Unreadable request body");
        assertProblem(trailing, 400, "Unreadable request body");
        assertThat(http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON).body(lead).retrieve()
                .toEntity(String.class).getStatusCode().value()).as("none of them stored the lead").isEqualTo(201);
    }

    @Test
    void aValueOfAnotherJsonType_isNotReadAsTheFieldsType_butA400NamingTheField_andNothingIsStored() throws Exception {
        String email = "strict-types-" + System.nanoTime() + "@example.com";
        String lead = LEAD.formatted(0).replace("errors-0@example.com", email);
        Map<String, String> wrongTypes = Map.of(
                "\"companySize\": \"500\"", "companySize must be a whole number",
                "\"companySize\": true", "companySize must be a whole number",
                "\"firstName\": 42", "firstName must be text (in quotes)",
                "\"firstName\": true", "firstName must be text (in quotes)");
        for (Map.Entry<String, String> wrong : wrongTypes.entrySet()) {
            String field = wrong.getValue().substring(0, wrong.getValue().indexOf(' '));
            String body = lead.replaceFirst("\"" + field + "\": (\"[^\"]*\"|\\d+)", java.util.regex.Matcher.quoteReplacement(wrong.getKey()));
            assertThat(body).as("the test changed the field").contains(wrong.getKey());
            ResponseEntity<String> refused = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON).body(body)
                    .retrieve().toEntity(String.class);
            assertProblem(refused, 400, "Unreadable request body");
            assertThat(errors(refused)).as(wrong.getKey()).containsExactly(Map.of("field", field,
                    "reason", wrong.getValue().substring(field.length() + 1)));
        }
        assertThat(http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON).body(lead).retrieve()
                .toEntity(String.class).getStatusCode().value()).as("none of them stored the lead").isEqualTo(201);
    }

    @Test
    void parameterOfTheWrongType_isA400ProblemNamingIt() throws Exception {
        ResponseEntity<String> since = http.get().uri("/api/sla-breaches?since=yesterday").retrieve().toEntity(String.class);
        ResponseEntity<String> limit = http.get().uri("/api/sla-breaches?limit=abc").retrieve().toEntity(String.class);
        ResponseEntity<String> hugeLimit = http.get().uri("/api/sla-breaches?limit=99999999999").retrieve().toEntity(String.class);

        assertProblem(since, 400, "Invalid request");
        assertThat(errors(since)).containsExactly(Map.of("field", "since",
                "reason", "must be an ISO-8601 date-time with offset, e.g. 2026-11-25T09:30:00Z"));
        for (ResponseEntity<String> response : List.of(limit, hugeLimit)) {
            assertProblem(response, 400, "Invalid request");
            assertThat(errors(response)).containsExactly(Map.of("field", "limit", "reason", "must be a whole number"));
        }
        // a NUL in the lead id: PostgreSQL refuses it in text, which was a 500 there
        ResponseEntity<String> nul = http.get().uri("/api/sla-breaches?leadId={id}", "a\u0000b").retrieve().toEntity(String.class);
        assertProblem(nul, 400, "Invalid request");
        assertThat(errors(nul)).containsExactly(Map.of("field", "leadId", "reason", "must be a lead id (a UUID)"));
    }

    @Test
    void anUploadWithoutAMultipartBoundary_isA400NamingTheFile_notA500(CapturedOutput output) throws Exception {
        long imports = jdbc.sql("select count(*) from lead_import").query(Long.class).single();

        ResponseEntity<String> response = http.post().uri("/api/imports").header("Content-Type", "multipart/form-data")
                .body("email\nada@example.com\n").retrieve().toEntity(String.class);

        assertProblem(response, 400, "Unreadable upload");
        assertThat(errors(response)).extracting(e -> e.get("field")).containsExactly("file");
        assertThat(jdbc.sql("select count(*) from lead_import").query(Long.class).single()).isEqualTo(imports);
        assertThat(output.getOut()).doesNotContain("no multipart boundary");
    }

    @Test
    void whatTomcatRefusesBeforeAnyServlet_isAProblemToo() {
        ResponseEntity<String> longHeader = http.get().uri("/api/sla-breaches").header("X-Padding", "a".repeat(10_000))
                .retrieve().toEntity(String.class);
        ResponseEntity<String> encodedSlash = http.get().uri(java.net.URI.create("http://localhost:" + port + "/api/leads/a%2Fb"))
                .retrieve().toEntity(String.class);

        ResponseEntity<String> outsideTheApi = http.get().uri("/camunda/app/tasklist/").header("X-Padding", "a".repeat(10_000))
                .retrieve().toEntity(String.class);

        for (ResponseEntity<String> response : List.of(longHeader, encodedSlash)) {
            assertProblem(response, 400, "Bad Request");
            assertNoInternals(response);
        }
        assertThat(outsideTheApi.getStatusCode().value()).isEqualTo(400);
        assertThat(outsideTheApi.getHeaders().getContentType()).matches(type -> type.isCompatibleWith(MediaType.TEXT_HTML), "Tomcat's page");
        assertThat(outsideTheApi.getBody()).as("no exception report").doesNotContain("IllegalArgumentException", "at org.apache");
    }

    @Test
    void errorsOutsideTheApi_keepSpringsDefaultAnswer() {
        ResponseEntity<String> response = http.get().uri("/no-such-page").accept(MediaType.APPLICATION_JSON)
                .retrieve().toEntity(String.class);

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getHeaders().getContentType().toString()).doesNotContain("problem");
    }
}
