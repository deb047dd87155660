package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A user logged into a Camunda webapp as the browser does it: a page for the CSRF token, the login
 * form, then the engine API behind Tasklist and Cockpit ({@code /camunda/api/engine/engine/default/…})
 * with the session and the token.
 */
final class WebappSession {

    private final HttpClient browser;
    private final String engineApi;
    private final String token;

    private WebappSession(HttpClient browser, String engineApi, String token) {
        this.browser = browser;
        this.engineApi = engineApi;
        this.token = token;
    }

    /** Logs {@code user} into {@code app} (tasklist, cockpit) of the app at {@code base} ({@code http://localhost:port}). */
    static WebappSession logIn(String base, String app, String user, String password) throws IOException, InterruptedException {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String camunda = base + "/camunda";
        var page = browser.send(HttpRequest.newBuilder(URI.create(camunda + "/app/" + app + "/default/")).build(),
                HttpResponse.BodyHandlers.discarding());
        String token = page.headers().firstValue("X-XSRF-TOKEN").orElseThrow();
        var login = browser.send(HttpRequest.newBuilder(URI.create(camunda + "/api/admin/auth/user/default/login/" + app))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-XSRF-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=" + password)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as("%s logs into %s: %s", user, app, login.body()).isEqualTo(200);
        var me = browser.send(HttpRequest.newBuilder(URI.create(camunda + "/api/admin/auth/user/default")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(me.body()).as("the session is %s's", user).contains("\"userId\":\"" + user + "\"");
        String sessionToken = me.headers().firstValue("X-XSRF-TOKEN").orElse(login.headers().firstValue("X-XSRF-TOKEN").orElse(token));
        return new WebappSession(browser, camunda + "/api/engine/engine/default/", sessionToken);
    }

    /** GET of the engine API's {@code path} (after {@code engine/default/}). */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(URI.create(engineApi + path)).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POST of a JSON body to the engine API's {@code path} (after {@code engine/default/}). */
    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(URI.create(engineApi + path)).header("Content-Type", "application/json")
                .header("X-XSRF-TOKEN", token).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
