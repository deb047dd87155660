package io.leadflow.platform;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import jakarta.servlet.http.HttpSession;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;

/**
 * Everything leadflow takes from Camunda's internal packages, in one file. The rule: the app uses
 * the public Camunda engine API only, except here. An internal package is any with {@code impl} in
 * its name ({@code org.camunda.bpm.engine.impl}, {@code org.camunda.bpm.webapp.impl},
 * {@code org.camunda.bpm.engine.rest.*.impl}, …): Camunda may change them in any release, patch
 * releases too, and the Operaton fork may change them on its own. Moving to Operaton or to another
 * Camunda release is therefore checked in this one file, with the tests named below; the classes
 * that use what is here ({@code sla.EngineClock}, {@code security.CamundaWebappSession},
 * {@code security.EngineRestAuthentication}) see only public types and the nested classes of this
 * one. (Tests may use internals directly.)
 *
 * <p>What it wraps, and why each needs the internals:
 * <ul>
 * <li><b>The engine clock</b> ({@link #engineNow}, {@link #moveEngineClock}, {@link #resetEngineClock};
 *     used by {@code sla.EngineClock}): timers fall due by {@code impl.util.ClockUtil}, and the engine
 *     has no public API for its clock. {@code EngineClockTest}.</li>
 * <li><b>The webapps' session</b> ({@link WebappLogins}; used by {@code security.CamundaWebappSession}):
 *     Cockpit's and Tasklist's login is kept in {@code org.camunda.bpm.webapp.impl.security.auth},
 *     which no public API exposes. {@code CamundaWebappSessionTest}, {@code WebappSessionApiTest}.</li>
 * <li><b>{@code /engine-rest}'s HTTP Basic login</b> ({@link #REST_BASIC_AUTHENTICATION_PROVIDER}; used by
 *     {@code security.EngineRestAuthentication}): the REST API's authentication filter takes the
 *     provider by class name, and Camunda's provider is in {@code engine.rest.security.auth.impl}.
 *     Named through the class here, so a rename fails the build instead of the start.</li>
 * </ul>
 */
public final class CamundaInternals {

    private CamundaInternals() {
    }

    // ---------------------------------------------------------------------------------------------
    // the engine clock

    /** The engine's "now" ({@code ClockUtil}): the wall clock unless moved. */
    public static Instant engineNow() {
        return ClockUtil.getCurrentTime().toInstant();
    }

    /** Moves the engine clock (JVM-wide) to {@code time}. */
    public static void moveEngineClock(Instant time) {
        ClockUtil.setCurrentTime(Date.from(time));
    }

    /** The engine clock back to the wall clock. */
    public static void resetEngineClock() {
        ClockUtil.reset();
    }

    // ---------------------------------------------------------------------------------------------
    // /engine-rest's HTTP Basic login

    /** The class name of Camunda's HTTP Basic provider for the REST API's authentication filter. */
    public static final String REST_BASIC_AUTHENTICATION_PROVIDER = HttpBasicAuthenticationProvider.class.getName();

    // ---------------------------------------------------------------------------------------------
    // the webapps' session

    /**
     * The Camunda webapps' logins held in one HTTP session (Camunda's {@code Authentications}), with
     * Camunda's own methods to read them from the session, check them again and write them back.
     */
    public static final class WebappLogins {

        private final Authentications authentications;

        private WebappLogins(Authentications authentications) {
            this.authentications = authentications;
        }

        /** The logins the webapps keep in {@code session}, or null when it holds none. */
        public static WebappLogins in(HttpSession session) {
            Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
            return authentications == null ? null : new WebappLogins(authentications);
        }

        /** Whether someone is logged into the engine {@code engine} (a user or otherwise). */
        public boolean hasLoginTo(String engine) {
            return authentications.hasAuthenticationForProcessEngine(engine);
        }

        /**
         * What the webapps' authentication filter does on every request: checks again, under the
         * session's lock, each login whose last check is older than {@code cacheTimeToLive}
         * milliseconds against the engine's users (a deleted user is logged out, the others' groups
         * read anew), then writes the result back so that a replicated session sees it too.
         */
        public void checkAgainIfDue(HttpSession session, long cacheTimeToLive) {
            AuthenticationUtil.updateCache(authentications, session, cacheTimeToLive);
            AuthenticationUtil.updateSession(session, authentications);
        }

        /** The user logged into {@code engine}, or null when no user is. */
        public UserLogin user(String engine) {
            if (!(authentications.getAuthenticationForProcessEngine(engine) instanceof UserAuthentication user)) {
                return null;
            }
            return new UserLogin(user.getName(), user.getGroupIds());
        }

        /** A user's login: their id and their groups as the session holds them (null when it holds none). */
        public record UserLogin(String userId, List<String> groupIds) {
        }
    }
}
