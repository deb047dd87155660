package io.leadflow.security;

import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.camunda.bpm.spring.boot.starter.property.AuthenticationProperties;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;

import io.leadflow.platform.CamundaInternals.WebappLogins;

/**
 * Who is logged into the Camunda webapps (Cockpit, Tasklist) in this browser session. Camunda keeps
 * the webapps' logins in a non-public package (no public API exposes them); this class reads them
 * through {@link WebappLogins}. The Cockpit plugin calls {@code /api/kpis} with the manager's session
 * instead of a second login.
 * <p>
 * The session holds the user's groups as they were at the login. The webapps' own authentication
 * filter reads the user and their groups again once the authentication cache's time to live
 * ({@code camunda.bpm.webapp.auth.cache.time-to-live}) has passed since the last check, and logs out
 * a deleted user; {@link #user} does the same with Camunda's own method before it answers, so a user
 * deleted or taken out of a group loses {@code /api} when they lose the webapps, not when the session
 * ends.
 */
public final class CamundaWebappSession {

    /** The engine the webapps log into (the Spring Boot starter's only engine). */
    static final String ENGINE = "default";

    private CamundaWebappSession() {
    }

    /**
     * How long a check of the user holds in milliseconds, as the starter hands it to the webapps'
     * authentication filter: null when {@code camunda.bpm.webapp.auth.cache.ttl-enabled} is false,
     * in which case the webapps never check again, and neither does {@link #user}.
     */
    static Long cacheTimeToLive(CamundaBpmProperties camunda) {
        AuthenticationProperties.CacheProperties cache = camunda.getWebapp().getAuth().getCache();
        return cache.isTtlEnabled() ? cache.getTimeToLive() : null;
    }

    /**
     * The webapp user and their groups, if this request's session is logged into the webapps. A check
     * older than {@code cacheTimeToLive} (milliseconds, see {@link #cacheTimeToLive}; null: never) is
     * done again first, against the engine's users: a deleted user is logged out of the session, the
     * groups of the others are read anew. A user store out of reach throws.
     */
    public static Optional<WebappUser> user(HttpServletRequest request, Long cacheTimeToLive) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return Optional.empty();
        }
        WebappLogins logins = WebappLogins.in(session);
        if (logins == null || !logins.hasLoginTo(ENGINE)) {
            return Optional.empty();
        }
        if (cacheTimeToLive != null) {
            // the webapps' filter does exactly this on every request: recheck what is due, under the
            // session's lock, and write the result back so that a replicated session sees it too
            logins.checkAgainIfDue(session, cacheTimeToLive);
        }
        WebappLogins.UserLogin user = logins.user(ENGINE);
        if (user == null) {
            return Optional.empty();
        }
        return Optional.of(new WebappUser(user.userId(), user.groupIds() == null ? List.of() : List.copyOf(user.groupIds())));
    }

    public record WebappUser(String id, List<String> groups) {
    }
}
