package io.leadflow.security;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A GET under {@code /api} from a browser logged into Cockpit or Tasklist runs as that user (their
 * groups and the groups' scopes), so the Cockpit plugin needs no second login. Reads only: a
 * session cookie rides along with any page's request, so nothing that changes data is accepted this
 * way (no CSRF). A request with its own credentials (Basic, API key) is left to those.
 */
final class WebappSessionAuthentication extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if ("GET".equals(request.getMethod()) && request.getHeader(HttpHeaders.AUTHORIZATION) == null
                && request.getHeader(ApiKeys.HEADER) == null
                && SecurityContextHolder.getContext().getAuthentication() == null) {
            CamundaWebappSession.user(request).ifPresent(user -> {
                List<SimpleGrantedAuthority> authorities = ApiScope.ofPerson(user.groups());
                var context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user.id(), null, authorities));
                SecurityContextHolder.setContext(context);
            });
        }
        chain.doFilter(request, response);
    }
}
