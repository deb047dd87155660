package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.web.PublicBaseUrl;

/**
 * A manager's browser keeps the Basic credentials of {@code /api} once given, and sends them with a
 * form that another site's page posts: a change that a browser says comes from another site
 * ({@code Sec-Fetch-Site}) is refused, unless it carries an API key or is the web form.
 */
class CrossSiteWriteTest extends SpringIntegrationTest {

    static final String DEMO_KEY = "lf_demo-key-not-for-production";

    @Autowired
    PublicBaseUrl base;

    String newLead(String name) {
        ResponseEntity<Map<String, Object>> created = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", name + "-" + System.nanoTime() + "@example.com", "firstName", "Ada", "lastName", "Lovelace",
                        "company", "Analytical Engines", "companySize", 50, "country", "DE", "source", "webForm"))
                .retrieve().toEntity(JSON_OBJECT);
        assertThat(created.getStatusCode().value()).as("%s", created.getBody()).isEqualTo(201);
        return (String) created.getBody().get("id");
    }

    /** The erasure as max (a sales manager, HTTP Basic), with this Sec-Fetch-Site or none. */
    ResponseEntity<Map<String, Object>> eraseAsMax(String leadId, String secFetchSite) {
        return as("max", anonymous.post().uri("/api/leads/{id}/erasure", leadId).headers(h -> {
            if (secFetchSite != null) {
                h.set("Sec-Fetch-Site", secFetchSite);
            }
        })).retrieve().toEntity(JSON_OBJECT);
    }

    /** The erasure as max from a browser that sends Origin but not Sec-Fetch-Site (Safari before 16.4). */
    ResponseEntity<Map<String, Object>> eraseAsMaxFrom(String leadId, String origin) {
        return as("max", anonymous.post().uri("/api/leads/{id}/erasure", leadId).header(HttpHeaders.ORIGIN, origin))
                .retrieve().toEntity(JSON_OBJECT);
    }

    @Test
    void aFormOnAnotherSite_inABrowserWithoutSecFetchSite_erasesNothing_forItsOrigin() {
        String leadId = newLead("old-browser");

        ResponseEntity<Map<String, Object>> otherSite = eraseAsMaxFrom(leadId, "https://attacker.example");
        ResponseEntity<Map<String, Object>> opaque = eraseAsMaxFrom(leadId, "null");
        ResponseEntity<Map<String, Object>> otherPort = eraseAsMaxFrom(leadId, "http://localhost:1");

        assertThat(otherSite.getStatusCode().value()).isEqualTo(403);
        assertThat((String) otherSite.getBody().get("detail")).contains("Origin: https://attacker.example");
        assertThat(opaque.getStatusCode().value()).as("a sandboxed page's opaque origin").isEqualTo(403);
        assertThat(otherPort.getStatusCode().value()).as("another port is another origin").isEqualTo(403);
        assertThat(emailOf(leadId)).as("the lead is not erased").startsWith("old-browser-");
    }

    @Test
    void theSameErasure_fromLeadflowsOwnPage_inABrowserWithoutSecFetchSite_isDone() {
        String fromOwnAddress = newLead("own-origin");
        String fromPublicAddress = newLead("public-origin");

        ResponseEntity<Map<String, Object>> own = eraseAsMaxFrom(fromOwnAddress, "http://LOCALHOST:" + port);
        ResponseEntity<Map<String, Object>> viaPublicAddress = eraseAsMaxFrom(fromPublicAddress, base.link("").replaceAll("/+$", ""));

        assertThat(own.getStatusCode().value()).as("%s", own.getBody()).isEqualTo(200);
        assertThat(emailOf(fromOwnAddress)).isEqualTo("erased:" + fromOwnAddress);
        assertThat(viaPublicAddress.getStatusCode().value()).as("the page at leadflow.public-base-url, behind a proxy: %s",
                viaPublicAddress.getBody()).isEqualTo(200);
        assertThat(emailOf(fromPublicAddress)).isEqualTo("erased:" + fromPublicAddress);
    }

    String emailOf(String leadId) {
        Map<?, ?> lead = (Map<?, ?>) http.get().uri("/api/leads/{id}", leadId).retrieve().body(JSON_OBJECT).get("lead");
        return (String) lead.get("email");
    }

    @Test
    void aFormOnAnotherSite_postedWithTheManagersCachedBasicLogin_erasesNothing() {
        String leadId = newLead("cross-site");

        ResponseEntity<Map<String, Object>> crossSite = eraseAsMax(leadId, "cross-site");
        ResponseEntity<Map<String, Object>> sameSite = eraseAsMax(leadId, "same-site");

        assertThat(crossSite.getStatusCode().value()).isEqualTo(403);
        assertThat(crossSite.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat((String) crossSite.getBody().get("detail")).contains("Sec-Fetch-Site: cross-site").contains("another site");
        assertThat(crossSite.getBody()).containsEntry("instance", "/api/leads/" + leadId + "/erasure");
        assertThat(sameSite.getStatusCode().value()).as("another host of the same domain is another site too").isEqualTo(403);
        assertThat(emailOf(leadId)).as("the lead is not erased").startsWith("cross-site-");
    }

    @Test
    void theSameErasure_fromAScriptOrServer_orFromLeadflowsOwnPages_isDone() {
        String fromScript = newLead("no-header");
        String fromOwnPage = newLead("same-origin");

        ResponseEntity<Map<String, Object>> script = eraseAsMax(fromScript, null);
        ResponseEntity<Map<String, Object>> ownPage = eraseAsMax(fromOwnPage, "same-origin");

        assertThat(script.getStatusCode().value()).as("%s", script.getBody()).isEqualTo(200);
        assertThat(emailOf(fromScript)).isEqualTo("erased:" + fromScript);
        assertThat(ownPage.getStatusCode().value()).as("%s", ownPage.getBody()).isEqualTo(200);
        assertThat(emailOf(fromOwnPage)).isEqualTo("erased:" + fromOwnPage);
    }

    @Test
    void aCrossSiteChange_withAnApiKey_isLeftToTheKey() {
        ResponseEntity<Map<String, Object>> captured = withKey(DEMO_KEY).post().uri("/api/leads").header("Sec-Fetch-Site", "cross-site")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", "keyed-" + System.nanoTime() + "@example.com", "firstName", "Ada", "lastName", "Lovelace",
                        "company", "Analytical Engines", "companySize", 50, "country", "DE", "source", "webForm"))
                .retrieve().toEntity(JSON_OBJECT);

        assertThat(captured.getStatusCode().value()).as("%s", captured.getBody()).isEqualTo(201);
    }

    @Test
    void theWebForm_postedFromTheWebsite_staysOpenToOtherSites() {
        MultiValueMap<String, String> form = contactForm("visitor-" + System.nanoTime() + "@example.com");

        ResponseEntity<Void> posted = anonymous.post().uri("/api/webforms/contact-us")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .header(HttpHeaders.ORIGIN, "https://www.leadflow.example").header("Sec-Fetch-Site", "cross-site")
                .body(form).retrieve().toBodilessEntity();

        assertThat(posted.getStatusCode().value()).isEqualTo(204);
    }

    @Test
    void aCrossSiteRead_isNotAChange_andPasses() {
        ResponseEntity<String> read = as("max", anonymous.get().uri("/api/kpis/funnel").header("Sec-Fetch-Site", "cross-site"))
                .retrieve().toEntity(String.class);

        assertThat(read.getStatusCode().value()).as("a page of another site cannot read the answer anyway").isEqualTo(200);
    }
}
