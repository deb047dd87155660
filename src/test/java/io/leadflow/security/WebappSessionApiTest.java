package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.process.Bursts;

/** A browser logged into Cockpit reads /api (what the Cockpit plugin does) without a second login, and only reads. */
class WebappSessionApiTest extends SpringIntegrationTest {

    @Autowired
    IdentityService identity;

    /** A sales manager made for one test (the demo users stay as they are for the others). */
    String leaver;

    /** Logs into Cockpit as a browser does (its CSRF token first) and returns the session cookie. */
    String cockpitSession(String user) {
        ResponseEntity<String> page = anonymous.get().uri("/camunda/app/cockpit/default/").retrieve().toEntity(String.class);
        List<String> pageCookies = page.getHeaders().getOrEmpty(HttpHeaders.SET_COOKIE);
        String xsrf = pageCookies.stream().filter(c -> c.startsWith("XSRF-TOKEN=")).findFirst().orElseThrow().split(";")[0];
        String session = pageCookies.stream().filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElseThrow().split(";")[0];
        ResponseEntity<String> login = anonymous.post().uri("/camunda/api/admin/auth/user/default/login/cockpit")
                .header(HttpHeaders.COOKIE, session + "; " + xsrf).header("X-XSRF-TOKEN", xsrf.substring(xsrf.indexOf('=') + 1))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body("username=" + user + "&password=demo")
                .retrieve().toEntity(String.class);
        assertThat(login.getStatusCode().value()).as(login.getBody()).isEqualTo(200);
        return login.getHeaders().getOrEmpty(HttpHeaders.SET_COOKIE).stream().filter(c -> c.startsWith("JSESSIONID="))
                .findFirst().map(c -> c.split(";")[0]).orElse(session);
    }

    @Test
    void aManagerLoggedIntoCockpit_readsTheKpis_withTheSessionAlone_butChangesNothingThatWay() {
        String session = cockpitSession("max");

        ResponseEntity<String> funnel = anonymous.get().uri("/api/kpis/funnel").header(HttpHeaders.COOKIE, session)
                .retrieve().toEntity(String.class);
        ResponseEntity<String> withoutSession = anonymous.get().uri("/api/kpis/funnel").retrieve().toEntity(String.class);
        ResponseEntity<String> write = anonymous.post().uri("/api/leads").header(HttpHeaders.COOKIE, session)
                .contentType(MediaType.APPLICATION_JSON).body("{}").retrieve().toEntity(String.class);

        assertThat(funnel.getStatusCode().value()).as(funnel.getBody()).isEqualTo(200);
        assertThat(withoutSession.getStatusCode().value()).isEqualTo(401);
        assertThat(write.getStatusCode().value()).as("a session cookie never authorizes a write").isEqualTo(401);
    }

    @Test
    void aManagerLoggedIntoCockpit_keepsTheSession_whileThePluginReadsTheKpisInParallel() throws Exception {
        String session = cockpitSession("max");

        // the plugin's five requests at once, with the session alone
        List<ResponseEntity<String>> reads = Bursts.atOnce(5, 5, i ->
                anonymous.get().uri("/api/kpis/funnel?source=s" + i).header(HttpHeaders.COOKIE, session)
                        .retrieve().toEntity(String.class));
        ResponseEntity<String> cockpit = anonymous.get().uri("/camunda/api/admin/auth/user/default")
                .header(HttpHeaders.COOKIE, session).retrieve().toEntity(String.class);

        assertThat(reads).allSatisfy(read -> {
            assertThat(read.getStatusCode().value()).as(read.getBody()).isEqualTo(200);
            assertThat(read.getHeaders().getOrEmpty(HttpHeaders.SET_COOKIE)).as("the session keeps its id").isEmpty();
        });
        assertThat(cockpit.getStatusCode().value()).as("Cockpit's session after the reads").isEqualTo(200);
        assertThat(cockpit.getBody()).contains("\"userId\":\"max\"");
    }

    /** A new sales manager (password demo), who may log into Cockpit and read the KPIs. */
    String newSalesManager() {
        // the engine's default user id pattern: letters and digits only
        leaver = "leaver" + System.nanoTime();
        User user = identity.newUser(leaver);
        user.setPassword("demo");
        identity.saveUser(user);
        identity.createMembership(leaver, Groups.SALES_MANAGERS);
        return leaver;
    }

    @AfterEach
    void deleteTheLeaver() {
        if (leaver != null) {
            identity.deleteUser(leaver);
        }
    }

    ResponseEntity<String> kpis(String session) {
        return anonymous.get().uri("/api/kpis/funnel").header(HttpHeaders.COOKIE, session).retrieve().toEntity(String.class);
    }

    /** The first /api read with the session that is not a 200, once the webapps' time to live (1 s in the tests) has passed. */
    ResponseEntity<String> refusedWithin(Duration atMost, String session) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(200))
                .until(() -> kpis(session), read -> read.getStatusCode().value() != 200);
    }

    @Test
    void aManagerTakenOutOfTheirGroup_losesTheReadsOfTheSession_whenTheWebappsCheckTheLoginAgain() {
        String user = newSalesManager();
        String session = cockpitSession(user);
        ResponseEntity<String> before = kpis(session);

        identity.deleteMembership(user, Groups.SALES_MANAGERS);
        ResponseEntity<String> after = refusedWithin(Duration.ofSeconds(10), session);

        assertThat(before.getStatusCode().value()).as(before.getBody()).isEqualTo(200);
        assertThat(after.getStatusCode().value()).as("no group left, so no scope 'read': %s", after.getBody()).isEqualTo(403);
        assertThat(after.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(after.getBody()).contains("scope 'read'");
    }

    @Test
    void aDeletedUser_losesTheReadsOfTheSession_whenTheWebappsCheckTheLoginAgain() {
        String user = newSalesManager();
        String session = cockpitSession(user);
        ResponseEntity<String> before = kpis(session);

        identity.deleteUser(user);
        ResponseEntity<String> after = refusedWithin(Duration.ofSeconds(10), session);
        ResponseEntity<String> cockpit = anonymous.get().uri("/camunda/api/admin/auth/user/default")
                .header(HttpHeaders.COOKIE, session).retrieve().toEntity(String.class);

        assertThat(before.getStatusCode().value()).as(before.getBody()).isEqualTo(200);
        assertThat(after.getStatusCode().value()).as("the session is nobody's now: %s", after.getBody()).isEqualTo(401);
        assertThat(after.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(cockpit.getStatusCode().value()).as("Cockpit has logged the session out as well").isNotEqualTo(200);
    }
}
