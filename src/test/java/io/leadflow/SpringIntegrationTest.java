package io.leadflow;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.client.RestClient;

/**
 * The single Spring context of the test suite (a second engine in one JVM needs unique names, and
 * every context costs seconds): every HTTP and wiring test extends this and nothing else. {@link #http}
 * talks to the running app as a client would; error answers are returned, not thrown.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class SpringIntegrationTest {

    @LocalServerPort
    protected int port;

    protected RestClient http;

    @BeforeEach
    void httpClient() {
        // the JDK client sends every header a browser would, Origin and the CORS preflight ones included
        http = RestClient.builder().baseUrl("http://localhost:" + port)
                .requestFactory(new JdkClientHttpRequestFactory())
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { })
                .build();
    }
}
