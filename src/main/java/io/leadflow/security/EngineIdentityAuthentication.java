package io.leadflow.security;

import java.util.List;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * HTTP Basic on {@code /api} against the engine's users, the same logins as Tasklist
 * ({@link IdentityService#checkPassword}, with its login throttling). The user's groups become its
 * authorities, by group id ({@code camunda-admin}, {@code salesManagers}, …), with the API scopes of
 * those groups ({@link ApiScope#GROUP_SCOPES}).
 */
@Component
public class EngineIdentityAuthentication implements AuthenticationProvider {

    private final IdentityService identity;

    public EngineIdentityAuthentication(IdentityService identity) {
        this.identity = identity;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String user = authentication.getName();
        Object credentials = authentication.getCredentials();
        if (user == null || user.isEmpty() || credentials == null) {
            throw new BadCredentialsException("Unknown user or wrong password");
        }
        List<String> groups;
        try {
            if (!identity.checkPassword(user, credentials.toString())) {
                throw new BadCredentialsException("Unknown user or wrong password");
            }
            groups = identity.createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList();
        } catch (BadCredentialsException wrong) {
            throw wrong;
        } catch (RuntimeException identityStoreOutOfReach) {
            // the database behind the engine's users is out of reach: not the caller's fault (503, not 401)
            throw new InternalAuthenticationServiceException("The user store is out of reach", identityStoreOutOfReach);
        }
        return UsernamePasswordAuthenticationToken.authenticated(user, null, ApiScope.ofPerson(groups));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
