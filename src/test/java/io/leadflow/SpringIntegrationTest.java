package io.leadflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.client.RestClient;

import io.leadflow.lead.LeadRepository;
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
 * process test. These tests run after all others ({@link SpringTestsLast}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
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
