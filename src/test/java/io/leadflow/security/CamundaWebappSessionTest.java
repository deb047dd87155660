package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;

/** The wrapper around the webapps' session, as the Camunda webapps write it after a login. */
class CamundaWebappSessionTest {

    @Test
    void aSessionLoggedIntoTheWebapps_namesTheUserAndTheirGroups() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/kpis/funnel");
        MockHttpSession session = new MockHttpSession();
        Authentications authentications = new Authentications();
        UserAuthentication max = new UserAuthentication("max", CamundaWebappSession.ENGINE);
        max.setGroupIds(List.of("sales", "salesManagers"));
        authentications.addOrReplace(max);
        AuthenticationUtil.updateSession(session, authentications);
        request.setSession(session);

        assertThat(CamundaWebappSession.user(request))
                .contains(new CamundaWebappSession.WebappUser("max", List.of("sales", "salesManagers")));
    }

    @Test
    void noSession_orASessionOfAnotherEngine_isNobody() {
        assertThat(CamundaWebappSession.user(new MockHttpServletRequest("GET", "/api/kpis/funnel"))).isEmpty();

        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/kpis/funnel");
        MockHttpSession session = new MockHttpSession();
        Authentications authentications = new Authentications();
        authentications.addOrReplace(new UserAuthentication("max", "another-engine"));
        AuthenticationUtil.updateSession(session, authentications);
        request.setSession(session);
        assertThat(CamundaWebappSession.user(request)).isEmpty();
    }
}
