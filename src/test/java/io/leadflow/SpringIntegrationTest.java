package io.leadflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.HashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.client.RestClient;

import io.leadflow.lead.LeadRepository;
import io.leadflow.platform.FirstRequests;
import io.leadflow.sla.EngineClock;

/**
 * The single Spring context of the test suite (a second engine in one JVM needs unique names, and
 * every context costs seconds): every HTTP and wiring test extends this and nothing else. {@link #http}
 * talks to the running app as a client would, logged in as the administrator (HTTP Basic
 * {@code admin:admin}, every scope; a request's own {@code Authorization} header replaces it);
 * {@link #anonymous} sends no credentials (a browser, or a 401 test); {@link #withKey} sends an API
 * key. Error answers are returned, not thrown.
 *
 * <p>The engine's job executor runs here, so no test on this context may move the engine clock
 * (it is JVM-global: timers would fire early, jobs stay locked): a test that needs another time is a
 * process test. These tests run after all others ({@link SpringTestsLast}). {@link FirstRequests} calls the
 * server the moment it opens.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(FirstRequests.class)
public abstract class SpringIntegrationTest {

    @LocalServerPort
    protected int port;

    protected RestClient http;

    /** The same client without credentials. */
    protected RestClient anonymous;

    @Autowired
    EngineClock engineClock;

    @Autowired
    LeadRepository leadRecords;

    @BeforeEach
    void httpClient() {
        // the JDK client sends every header a browser would, Origin and the CORS preflight ones included
        anonymous = RestClient.builder().baseUrl("http://localhost:" + port)
                .requestFactory(new JdkClientHttpRequestFactory())
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { })
                .build();
        http = anonymous.mutate().defaultHeaders(headers -> headers.setBasicAuth("admin", "admin")).build();
    }

    /** The lead's readable number, the business key of its process instances. */
    protected String leadNumber(String leadId) {
        return leadRecords.findNumber(leadId).orElseThrow(() -> new AssertionError("no lead " + leadId));
    }

    protected static final ParameterizedTypeReference<List<Map<String, Object>>> ROWS = new ParameterizedTypeReference<>() { };
    protected static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() { };

    /** The request sent as this demo user (HTTP Basic, password {@code demo}; {@code admin:admin}), as Tasklist would. */
    protected RestClient.RequestHeadersSpec<?> as(String user, RestClient.RequestHeadersSpec<?> request) {
        return request.headers(h -> h.setBasicAuth(user, "admin".equals(user) ? "admin" : "demo"));
    }

    /** The lead's one open task of this kind, as {@code user} sees it over {@code /engine-rest}. */
    protected Map<String, Object> openTask(String user, String leadId, String taskKey) {
        List<Map<String, Object>> tasks = as(user, http.get().uri(
                "/engine-rest/task?processInstanceBusinessKey={lead}&taskDefinitionKey={key}&firstResult=0&maxResults=10",
                leadNumber(leadId), taskKey)).retrieve().body(ROWS);
        assertThat(tasks).as("%s sees %s", user, taskKey).hasSize(1);
        return tasks.get(0);
    }

    protected String openTaskId(String user, String leadId, String taskKey) {
        return (String) openTask(user, leadId, taskKey).get("id");
    }

    /** The demo web form "contact-us" filled in as a visitor would, with its own field names (the honeypot left empty). */
    protected static org.springframework.util.MultiValueMap<String, String> contactForm(String email) {
        org.springframework.util.MultiValueMap<String, String> form = new org.springframework.util.LinkedMultiValueMap<>();
        form.add("your-email", email);
        form.add("first-name", "Grace");
        form.add("last-name", "Hopper");
        form.add("organization", "Compilers Inc");
        form.add("employees", "250");
        form.add("country", "us");
        form.add("job-title", "Head of Engineering");
        form.add("website", "");
        return form;
    }

    /** A strong lead captured over {@code /api/leads} and approved in Review MQL by mia: it waits in Accept lead. */
    protected String leadAtAcceptance(String emailPrefix) {
        String leadId = (String) http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", emailPrefix + "-" + System.nanoTime() + "@example.com", "firstName", "Ada", "lastName", "Lovelace",
                        "company", "Analytical Engines", "role", "executive", "industry", "software",
                        "companySize", 500, "country", "DE", "source", "webForm"))
                .retrieve().body(JSON_OBJECT).get("id");
        assertThat(submit("mia", openTaskId("mia", leadId, "Task_ReviewMql"), Map.of("reviewDecision", "approve"))
                .getStatusCode().value()).isEqualTo(204);
        return leadId;
    }

    /** {@code /engine-rest} variables: each value as {@code {"value": …}}. */
    protected static Map<String, Object> variables(Map<String, Object> values) {
        Map<String, Object> variables = new HashMap<>();
        values.forEach((name, value) -> variables.put(name, Map.of("value", value)));
        return Map.of("variables", variables);
    }

    /** Submits the task's form as {@code user}, as Tasklist's Complete button does; the answer as it came. */
    protected ResponseEntity<Map<String, Object>> submit(String user, String taskId, Map<String, Object> values) {
        return as(user, http.post().uri("/engine-rest/task/{id}/submit-form", taskId)
                .contentType(MediaType.APPLICATION_JSON).body(variables(values))).retrieve().toEntity(JSON_OBJECT);
    }

    /** Completes the task as {@code user} with these variables, expecting 204. */
    protected void complete(String user, Map<String, Object> task, Map<String, Object> values) {
        ResponseEntity<Void> response = as(user, http.post().uri("/engine-rest/task/{id}/complete", task.get("id"))
                .contentType(MediaType.APPLICATION_JSON).body(variables(values))).retrieve().toBodilessEntity();
        assertThat(response.getStatusCode().value()).as("complete %s as %s", task.get("name"), user).isEqualTo(204);
    }

    /** A client that sends this API key's secret (header X-API-Key) and no other credentials. */
    protected RestClient withKey(String secret) {
        return anonymous.mutate().defaultHeader("X-API-Key", secret).build();
    }

    @AfterEach
    void engineClockNotMoved() {
        assertThat(Duration.between(Instant.now(), engineClock.now()).abs())
                .as("the engine clock was moved on the Spring context, whose job executor runs: make it a process test")
                .isLessThan(Duration.ofSeconds(5));
    }
}
