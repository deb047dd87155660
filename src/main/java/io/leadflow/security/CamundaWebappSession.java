package io.leadflow.security;

import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;

/**
 * Who is logged into the Camunda webapps (Cockpit, Tasklist) in this browser session: the one
 * class that reads the webapps' session, which Camunda keeps in its non-public
 * {@code org.camunda.bpm.webapp.impl} package (no public API exposes it). The Cockpit plugin calls
 * {@code /api/kpis} with the manager's session instead of a second login.
 */
public final class CamundaWebappSession {

    /** The engine the webapps log into (the Spring Boot starter's only engine). */
    static final String ENGINE = "default";

    private CamundaWebappSession() {
    }

    /** The webapp user and their groups, if this request's session is logged into the webapps. */
    public static Optional<WebappUser> user(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return Optional.empty();
        }
        Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
        if (authentications == null || !authentications.hasAuthenticationForProcessEngine(ENGINE)) {
            return Optional.empty();
        }
        if (!(authentications.getAuthenticationForProcessEngine(ENGINE) instanceof UserAuthentication user)) {
            return Optional.empty();
        }
        return Optional.of(new WebappUser(user.getName(), user.getGroupIds() == null ? List.of() : List.copyOf(user.getGroupIds())));
    }

    public record WebappUser(String id, List<String> groups) {
    }
}
