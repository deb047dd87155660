package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import io.leadflow.SpringIntegrationTest;

/** What every answer of the engine's REST API and the app's redirects say about themselves, whoever asks. */
class ResponseHeadersTest extends SpringIntegrationTest {

    @Test
    void theEnginesRestApi_sendsTheSecurityHeadersOfTheWebapps_onAnswersAndRefusalsAlike() {
        ResponseEntity<String> answer = as("admin", http.get().uri("/engine-rest/version")).retrieve().toEntity(String.class);
        ResponseEntity<String> refusal = anonymous.get().uri("/engine-rest/version").retrieve().toEntity(String.class);

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        assertThat(refusal.getStatusCode().value()).isEqualTo(401);
        for (ResponseEntity<String> response : java.util.List.of(answer, refusal)) {
            assertThat(response.getHeaders().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.getHeaders().getFirst("X-Frame-Options")).isEqualTo("DENY");
            assertThat(response.getHeaders().getFirst("Content-Security-Policy")).contains("default-src 'none'", "sandbox");
        }
    }

    @Test
    void theRedirectToTheWebapps_namesThePathOnly_notTheHostTheRequestClaimed() throws Exception {
        // written by hand: HTTP clients send the host they connect to, a forged request sends any
        String answer;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        String head = answer.substring(0, answer.indexOf("\r\n\r\n"));

        assertThat(head).startsWith("HTTP/1.1 30");
        assertThat(head.lines().filter(line -> line.regionMatches(true, 0, "Location:", 0, 9)).findFirst())
                .hasValueSatisfying(location -> assertThat(location.substring(9).strip()).startsWith("/camunda/app/")
                        .doesNotContain("evil.example"));
    }
}
