package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import java.util.List;

import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;

/**
 * The wrapper around the webapps' session, as the Camunda webapps write it after a login. The recheck
 * against the engine's users once the check is due is tested over HTTP ({@code WebappSessionApiTest}).
 */
class CamundaWebappSessionTest {

    static final Long TIME_TO_LIVE = 300_000L;

    @Test
    void aSessionLoggedIntoTheWebapps_namesTheUserAndTheirGroups() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/kpis/funnel");
        MockHttpSession session = new MockHttpSession();
        Authentications authentications = new Authentications();
        UserAuthentication max = new UserAuthentication("max", CamundaWebappSession.ENGINE);
        max.setGroupIds(List.of("sales", "salesManagers"));
        // checked at the login, good for the time to live: no engine is asked before then
        max.setCacheValidationTime(new Date(System.currentTimeMillis() + TIME_TO_LIVE));
        authentications.addOrReplace(max);
        AuthenticationUtil.updateSession(session, authentications);
        request.setSession(session);

        assertThat(CamundaWebappSession.user(request, TIME_TO_LIVE))
                .contains(new CamundaWebappSession.WebappUser("max", List.of("sales", "salesManagers")));
    }

    @Test
    void withTheWebappsRecheckOff_theSessionIsReadAsItIs() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/kpis/funnel");
        MockHttpSession session = new MockHttpSession();
        Authentications authentications = new Authentications();
        UserAuthentication max = new UserAuthentication("max", CamundaWebappSession.ENGINE);
        max.setGroupIds(List.of("salesManagers"));
        authentications.addOrReplace(max);
        AuthenticationUtil.updateSession(session, authentications);
        request.setSession(session);

        assertThat(CamundaWebappSession.user(request, null))
                .contains(new CamundaWebappSession.WebappUser("max", List.of("salesManagers")));
    }

    @Test
    void noSession_orASessionOfAnotherEngine_isNobody() {
        assertThat(CamundaWebappSession.user(new MockHttpServletRequest("GET", "/api/kpis/funnel"), TIME_TO_LIVE)).isEmpty();

        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/kpis/funnel");
        MockHttpSession session = new MockHttpSession();
        Authentications authentications = new Authentications();
        authentications.addOrReplace(new UserAuthentication("max", "another-engine"));
        AuthenticationUtil.updateSession(session, authentications);
        request.setSession(session);
        assertThat(CamundaWebappSession.user(request, TIME_TO_LIVE)).isEmpty();
    }
}
