package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import io.leadflow.SpringIntegrationTest;

/** A browser logged into Cockpit reads /api (what the Cockpit plugin does) without a second login, and only reads. */
class WebappSessionApiTest extends SpringIntegrationTest {

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
    void aManagerLoggedIntoCockpit_keepsTheSession_whileThePluginReadsTheKpisInParallel() {
        String session = cockpitSession("max");

        // the plugin's five requests at once, with the session alone
        List<ResponseEntity<String>> reads = IntStream.range(0, 5).mapToObj(i -> CompletableFuture.supplyAsync(() ->
                        anonymous.get().uri("/api/kpis/funnel?source=s" + i).header(HttpHeaders.COOKIE, session)
                                .retrieve().toEntity(String.class))).toList()
                .stream().map(CompletableFuture::join).toList();
        ResponseEntity<String> cockpit = anonymous.get().uri("/camunda/api/admin/auth/user/default")
                .header(HttpHeaders.COOKIE, session).retrieve().toEntity(String.class);

        assertThat(reads).allSatisfy(read -> {
            assertThat(read.getStatusCode().value()).as(read.getBody()).isEqualTo(200);
            assertThat(read.getHeaders().getOrEmpty(HttpHeaders.SET_COOKIE)).as("the session keeps its id").isEmpty();
        });
        assertThat(cockpit.getStatusCode().value()).as("Cockpit's session after the reads").isEqualTo(200);
        assertThat(cockpit.getBody()).contains("\"userId\":\"max\"");
    }
}
