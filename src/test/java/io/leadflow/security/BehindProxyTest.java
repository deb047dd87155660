package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import io.leadflow.SpringIntegrationTest;

/**
 * leadflow behind a load balancer or TLS proxy (docker/README.md), which sends every request from its
 * own address over plain HTTP and says in X-Forwarded-For and X-Forwarded-Proto whom and how it
 * served. The test client is on loopback, where such a proxy would be.
 */
class BehindProxyTest extends SpringIntegrationTest {

    private int submit(String visitor, String email) {
        return anonymous.post().uri("/api/webforms/throttled").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .header("X-Forwarded-For", visitor).header("X-Forwarded-Proto", "https")
                .body(contactForm(email + "-" + System.nanoTime() + "@example.com"))
                .retrieve().toBodilessEntity().getStatusCode().value();
    }

    @Test
    void visitorsBehindTheProxy_eachHaveTheirOwnWebFormLimit() {
        // form "throttled" (application-test.yaml) takes 2 submissions a minute from one address:
        // were the proxy's address taken for every visitor's, the second visitor would be refused at once
        assertThat(List.of(submit("203.0.113.7", "first"), submit("203.0.113.7", "second")))
                .as("the first visitor's share").containsExactly(204, 204);
        assertThat(List.of(submit("198.51.100.1", "third"), submit("198.51.100.1", "fourth")))
                .as("the second visitor's share").containsExactly(204, 204);
        assertThat(submit("203.0.113.7", "fifth")).as("the first visitor over its share").isEqualTo(429);
    }

    @Test
    void aSessionServedOverHttpsByTheProxy_hasASecureCookie_andOnePlainHttp_hasNot() {
        List<String> overHttps = anonymous.get().uri("/camunda/app/cockpit/default/").header("X-Forwarded-Proto", "https")
                .retrieve().toBodilessEntity().getHeaders().getOrEmpty(HttpHeaders.SET_COOKIE);
        List<String> plain = anonymous.get().uri("/camunda/app/cockpit/default/")
                .retrieve().toBodilessEntity().getHeaders().getOrEmpty(HttpHeaders.SET_COOKIE);

        assertThat(overHttps).filteredOn(c -> c.startsWith("JSESSIONID=")).singleElement().asString().containsIgnoringCase("; Secure");
        assertThat(plain).filteredOn(c -> c.startsWith("JSESSIONID=")).singleElement().asString().doesNotContainIgnoringCase("Secure");
    }
}
