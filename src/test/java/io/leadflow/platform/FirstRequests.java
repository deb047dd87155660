package io.leadflow.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.context.ServletWebServerInitializedEvent;
import org.springframework.context.event.EventListener;

/**
 * The requests a client makes the moment the web server opens, made from the server's own
 * "initialized" event (before {@code /actuator/health} could even say UP): what each got is kept for
 * {@link BeforeServingTest}. Part of the one test context ({@code SpringIntegrationTest} imports it).
 */
public class FirstRequests {

    static final String UNKNOWN_LEAD = "00000000-0000-0000-0000-000000000000";

    private final String demoKey;
    private final Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();

    public FirstRequests(@Value("${leadflow.demo.api-key}") String demoKey) {
        this.demoKey = demoKey;
    }

    @EventListener
    public void serverOpened(ServletWebServerInitializedEvent event) throws Exception {
        String base = "http://localhost:" + event.getWebServer().getPort();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String mia = "Basic " + Base64.getEncoder().encodeToString("mia:demo".getBytes(StandardCharsets.UTF_8));
        answers.put("demo key reads a lead", client.send(HttpRequest.newBuilder(URI.create(base + "/api/leads/" + UNKNOWN_LEAD))
                .header("X-API-Key", demoKey).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        answers.put("mia lists her Tasklist filters", client.send(HttpRequest.newBuilder(URI.create(base + "/engine-rest/filter?resourceType=Task&firstResult=0&maxResults=50"))
                .header("Authorization", mia).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** What each first request got, by what it was for. */
    public Map<String, HttpResponse<String>> answers() {
        return answers;
    }
}
