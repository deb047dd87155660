package io.leadflow.security;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A GET under {@code /api} from a browser logged into Cockpit or Tasklist runs as that user (their
 * groups and the groups' scopes), so the Cockpit plugin needs no second login. Reads only: a
 * session cookie rides along with any page's request, so nothing that changes data is accepted this
 * way (no CSRF). A request with its own credentials (Basic, API key) is left to those. The user and
 * their groups are rechecked as often as the webapps recheck them ({@link CamundaWebappSession#user}).
 */
final class WebappSessionAuthentication extends OncePerRequestFilter {

    private final Long cacheTimeToLive;
    private final AuthenticationEntryPoint unauthorized;

    /** {@code cacheTimeToLive}: the webapps' authentication cache time to live, see {@link CamundaWebappSession#cacheTimeToLive}. */
    WebappSessionAuthentication(Long cacheTimeToLive, AuthenticationEntryPoint unauthorized) {
        this.cacheTimeToLive = cacheTimeToLive;
        this.unauthorized = unauthorized;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if ("GET".equals(request.getMethod()) && request.getHeader(HttpHeaders.AUTHORIZATION) == null
                && request.getHeader(ApiKeys.HEADER) == null
                && SecurityContextHolder.getContext().getAuthentication() == null) {
            Optional<CamundaWebappSession.WebappUser> webappUser;
            try {
                webappUser = CamundaWebappSession.user(request, cacheTimeToLive);
            } catch (RuntimeException userStoreOutOfReach) {
                // the recheck could not read the engine's users: a 503 to try again, as for a login over HTTP Basic,
                // rather than a read with groups that may no longer hold
                SecurityContextHolder.clearContext();
                unauthorized.commence(request, response,
                        new InternalAuthenticationServiceException("The webapp login could not be rechecked", userStoreOutOfReach));
                return;
            }
            webappUser.ifPresent(user -> {
                List<SimpleGrantedAuthority> authorities = ApiScope.ofPerson(user.groups());
                var context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user.id(), null, authorities));
                SecurityContextHolder.setContext(context);
            });
        }
        chain.doFilter(request, response);
    }
}
