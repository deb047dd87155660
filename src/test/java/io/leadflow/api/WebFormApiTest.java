package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import io.leadflow.SpringIntegrationTest;

/**
 * {@code POST /api/webforms/contact-us}: the demo form of {@code application.yaml}, whose fields are
 * named {@code your-email}, {@code employees}, … and whose honeypot is {@code website}.
 */
@SuppressWarnings("unchecked")
class WebFormApiTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };
    static final String ALLOWED_ORIGIN = "https://www.leadflow.example";
    static final String OTHER_ORIGIN = "https://phishing.example";

    @Autowired
    JdbcClient jdbc;


    ResponseEntity<Map<String, Object>> submit(String formId, MultiValueMap<String, String> form, String origin) {
        return anonymous.post().uri("/api/webforms/{formId}", formId)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .headers(h -> {
                    if (origin != null) {
                        h.setOrigin(origin);
                    }
                })
                .body(form).retrieve().toEntity(MAP);
    }

    Map<String, Object> leadByEmail(String email) {
        return jdbc.sql("select * from lead where email_normalized = :email").param("email", email.toLowerCase())
                .query().singleRow();
    }

    long leads() {
        return jdbc.sql("select count(*) from lead").query(Long.class).single();
    }

    static String email(String name) {
        return name + "-" + System.nanoTime() + "@example.com";
    }

    @Test
    void submissionWithTheFormsFieldNames_capturesTheLead_asWebFormWithTheFormsCampaign() {
        String email = email("grace");

        ResponseEntity<Map<String, Object>> response = submit("contact-us", contactForm(email), null);

        assertThat(response.getStatusCode().value()).isEqualTo(204);
        Map<String, Object> lead = leadByEmail(email);
        assertThat(lead).containsEntry("FIRST_NAME", "Grace").containsEntry("COMPANY", "Compilers Inc")
                .containsEntry("COMPANY_SIZE", 250).containsEntry("COUNTRY", "US")
                .containsEntry("JOB_TITLE", "Head of Engineering")
                .containsEntry("SOURCE", "webForm").containsEntry("CAMPAIGN", "contact-us-page");
        assertThat(jdbc.sql("select count(*) from act_ru_execution where business_key_ = (select lead_number from lead where id = :id) and parent_id_ is null")
                .param("id", lead.get("ID")).query(Long.class).single()).as("its lifecycle runs").isPositive();
    }

    @Test
    void aFormPostedInLatin1_saysSo_andIsReadAsLatin1_whileOneWithoutACharsetIsUtf8() {
        String latin1 = email("juergen");
        String utf8 = email("joerg");
        String fields = "your-email=%s&first-name=%s&last-name=M%s&organization=Maschinenbau&employees=80&country=de";

        int posted = anonymous.post().uri("/api/webforms/contact-us")
                .header("Content-Type", "application/x-www-form-urlencoded; charset=ISO-8859-1")
                .body(fields.formatted(latin1, "J%FCrgen", "%FCller")).retrieve().toBodilessEntity().getStatusCode().value();
        int postedUtf8 = anonymous.post().uri("/api/webforms/contact-us").header("Content-Type", "application/x-www-form-urlencoded")
                .body(fields.formatted(utf8, "J%C3%B6rg", "%C3%BCller")).retrieve().toBodilessEntity().getStatusCode().value();

        assertThat(posted).isEqualTo(204);
        assertThat(postedUtf8).isEqualTo(204);
        assertThat(leadByEmail(latin1)).containsEntry("FIRST_NAME", "Jürgen").containsEntry("LAST_NAME", "Müller");
        assertThat(leadByEmail(utf8)).containsEntry("FIRST_NAME", "Jörg").containsEntry("LAST_NAME", "Müller");
    }

    @Test
    void aFormPostedInLatin1WithoutSayingSo_isRefusedNamingTheFieldsThatAreNotUtf8_andNothingIsStored() {
        String email = email("latin1-unsaid");
        long before = leads();

        ResponseEntity<Map<String, Object>> refused = anonymous.post().uri("/api/webforms/contact-us")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("your-email=%s&first-name=J%%F6rg&last-name=M%%FCller&organization=Maschinenbau&employees=80&country=de&comment=%%FC"
                        .formatted(email)).retrieve().toEntity(MAP);

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat((List<Map<String, Object>>) refused.getBody().get("errors")).as("only the form's fields the lead is read from")
                .extracting(e -> e.get("field")).containsExactly("first-name", "last-name");
        assertThat(refused.getBody().get("errors").toString()).contains("is not UTF-8 text");
        assertThat(leads()).isEqualTo(before);
    }

    @Test
    void aBodyTheServerCannotRead_isSaidSo_notReportedAsBlankFields() {
        String email = email("unread");
        long before = leads();
        String tooLarge = "your-email=" + email + "&first-name=Ada&last-name=Lovelace&organization=Engines&employees=5&country=GB&notes="
                + "x".repeat(3 * 1024 * 1024);

        ResponseEntity<Map<String, Object>> large = anonymous.post().uri("/api/webforms/contact-us")
                .header("Content-Type", "application/x-www-form-urlencoded").body(tooLarge).retrieve().toEntity(MAP);
        ResponseEntity<Map<String, Object>> broken = anonymous.post().uri("/api/webforms/contact-us")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("your-email=" + email + "&first-name=%ZZ&last-name=Lovelace&organization=Engines&employees=5&country=GB")
                .retrieve().toEntity(MAP);

        assertThat(large.getStatusCode().value()).isEqualTo(413);
        assertThat(large.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat((String) large.getBody().get("detail")).contains("larger than the server reads").doesNotContain("blank");
        assertThat(broken.getStatusCode().value()).isEqualTo(400);
        assertThat((String) broken.getBody().get("detail")).contains("not properly encoded").doesNotContain("blank");
        assertThat(leads()).isEqualTo(before);
    }

    @Test
    void campaignSentByTheForm_winsOverTheConfiguredOne() {
        String email = email("utm");
        MultiValueMap<String, String> form = contactForm(email);
        form.add("utm_campaign", "black-friday");

        submit("contact-us", form, null);

        assertThat(leadByEmail(email)).containsEntry("CAMPAIGN", "black-friday");
    }

    @Test
    void knownEmail_isAnsweredAlike_andRecordedAsAFormFillOnTheExistingLead() {
        String email = email("again");
        submit("contact-us", contactForm(email), null);
        long before = leads();

        ResponseEntity<Map<String, Object>> again = submit("contact-us", contactForm(email.toUpperCase()), null);

        assertThat(again.getStatusCode().value()).isEqualTo(204);
        assertThat(leads()).isEqualTo(before);
        assertThat(jdbc.sql("select detail from lead_engagement where lead_id = :id and type = 'formFill' order by id")
                .param("id", leadByEmail(email).get("ID")).query(String.class).list())
                .contains("submitted again via webForm");
    }

    @Test
    void filledHoneypot_looksAccepted_butNothingIsStored() {
        String email = email("bot");
        MultiValueMap<String, String> form = contactForm(email);
        form.set("website", "http://cheap-pills.example");
        long before = leads();

        ResponseEntity<Map<String, Object>> response = submit("contact-us", form, null);

        assertThat(response.getStatusCode().value()).isEqualTo(204);
        assertThat(leads()).isEqualTo(before);
        assertThat(jdbc.sql("select count(*) from lead where email_normalized = :email").param("email", email)
                .query(Long.class).single()).isZero();
    }

    @Test
    void invalidSubmission_getsProblemDetailsNamingTheFormsOwnFields_andNothingIsStored() {
        MultiValueMap<String, String> form = contactForm("not-an-email");
        form.set("employees", "a few");
        form.remove("last-name");
        form.set("country", "Germany");
        long before = leads();

        ResponseEntity<Map<String, Object>> response = submit("contact-us", form, null);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(response.getBody()).containsEntry("title", "Invalid lead data");
        @SuppressWarnings("unchecked")
        List<Map<String, String>> errors = (List<Map<String, String>>) response.getBody().get("errors");
        assertThat(errors).extracting(e -> e.get("field")).containsExactly("country", "employees", "last-name", "your-email");
        assertThat(errors).filteredOn(e -> e.get("field").equals("employees"))
                .extracting(e -> e.get("reason")).containsExactly("must be a whole number");
        assertThat(leads()).isEqualTo(before);

        // a whole number too large for any company is named as such, not as no whole number
        form.set("employees", "99999999999");
        ResponseEntity<Map<String, Object>> tooLarge = submit("contact-us", form, null);
        assertThat(tooLarge.getStatusCode().value()).isEqualTo(400);
        assertThat((List<Map<String, String>>) tooLarge.getBody().get("errors")).filteredOn(e -> e.get("field").equals("employees"))
                .extracting(e -> e.get("reason")).containsExactly("must be at most 10,000,000");
    }

    @Test
    void oneAddressOverTheFormsLimit_gets429WithRetryAfter_andNothingIsStored() {
        // form "throttled" (application-test.yaml) takes 2 submissions a minute from one address
        assertThat(submit("throttled", contactForm(email("first")), null).getStatusCode().value()).isEqualTo(204);
        assertThat(submit("throttled", contactForm(email("second")), null).getStatusCode().value()).isEqualTo(204);
        long before = leads();
        String third = email("third");

        ResponseEntity<Map<String, Object>> refused = submit("throttled", contactForm(third), null);

        assertThat(refused.getStatusCode().value()).isEqualTo(429);
        assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(Long.parseLong(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1L, 60L);
        assertThat((String) refused.getBody().get("detail"))
                .startsWith("This web form takes 2 submissions per minute from one address; nothing was stored");
        assertThat(leads()).isEqualTo(before);
        assertThat(jdbc.sql("select count(*) from lead where email_normalized = :email").param("email", third)
                .query(Long.class).single()).isZero();
        // another form's limit is its own
        assertThat(submit("contact-us", contactForm(email("other-form")), null).getStatusCode().value()).isEqualTo(204);
    }

    @Test
    void unknownForm_isA404Problem() {
        ResponseEntity<Map<String, Object>> response = submit("no-such-form", contactForm(email("nobody")), null);

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getBody()).containsEntry("detail", "No web form with id 'no-such-form'");
    }

    @Test
    void browserOnAnAllowedPage_passesThePreflight_andMayPost() {
        ResponseEntity<Void> preflight = preflight("contact-us", ALLOWED_ORIGIN);
        ResponseEntity<Map<String, Object>> post = submit("contact-us", contactForm(email("browser")), ALLOWED_ORIGIN);

        assertThat(preflight.getStatusCode().value()).isEqualTo(200);
        assertThat(preflight.getHeaders().getAccessControlAllowOrigin()).isEqualTo(ALLOWED_ORIGIN);
        assertThat(preflight.getHeaders().getAccessControlAllowMethods()).contains(HttpMethod.POST);
        assertThat(post.getStatusCode().value()).isEqualTo(204);
        assertThat(post.getHeaders().getAccessControlAllowOrigin()).isEqualTo(ALLOWED_ORIGIN);
    }

    @Test
    void browserOnAnotherPage_isRefused_andNothingIsStored() {
        long before = leads();

        ResponseEntity<Void> preflight = preflight("contact-us", OTHER_ORIGIN);
        ResponseEntity<Map<String, Object>> post = anonymous.post().uri("/api/webforms/contact-us")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).header(HttpHeaders.ORIGIN, OTHER_ORIGIN)
                .body(contactForm(email("phished"))).retrieve().toEntity(JSON_OBJECT);

        assertThat(preflight.getStatusCode().value()).isEqualTo(403);
        assertThat(preflight.getHeaders().getAccessControlAllowOrigin()).isNull();
        assertThat(post.getStatusCode().value()).isEqualTo(403);
        assertThat(post.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(post.getBody()).containsEntry("status", 403).containsEntry("title", "Forbidden")
                .containsEntry("detail", "This endpoint does not take requests from the page's origin (Origin header); nothing was stored");
        assertThat(leads()).isEqualTo(before);
    }

    @Test
    void webFormOrigins_applyToTheWebFormOnly() {
        ResponseEntity<Void> preflight = http.options().uri("/api/leads")
                .header(HttpHeaders.ORIGIN, ALLOWED_ORIGIN)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .retrieve().toBodilessEntity();

        assertThat(preflight.getStatusCode().value()).as("a preflight from a web form's origin to the API is refused").isEqualTo(403);
        assertThat(preflight.getHeaders().getAccessControlAllowOrigin()).isNull();
    }

    ResponseEntity<Void> preflight(String formId, String origin) {
        return anonymous.options().uri("/api/webforms/{formId}", formId)
                .header(HttpHeaders.ORIGIN, origin)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
                .retrieve().toBodilessEntity();
    }
}
