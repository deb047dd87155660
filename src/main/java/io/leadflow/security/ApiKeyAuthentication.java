package io.leadflow.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.transaction.TransactionException;
import org.springframework.web.filter.OncePerRequestFilter;

import io.leadflow.security.ApiKeys.ApiKey;

/**
 * An integrating system's call: header {@code X-API-Key} with the secret of an active key. The caller
 * is then the key, with the key's scopes as authorities; an unknown or revoked key is answered 401
 * (logged without the secret). Requests without the header go on to HTTP Basic.
 */
public class ApiKeyAuthentication extends AbstractAuthenticationToken {

    /** The refusal of a key that is not one (or no longer), told apart from a wrong password. */
    static final String UNKNOWN_KEY = "Unknown or revoked API key";

    private final ApiKey key;

    ApiKeyAuthentication(ApiKey key) {
        super(ApiScope.authorities(key.scopes()));
        this.key = key;
        setAuthenticated(true);
    }

    public ApiKey key() {
        return key;
    }

    /** What logs and records say about the caller: the key's name, never its secret. */
    @Override
    public String getName() {
        return "api-key:" + key.name();
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return getName();
    }

    /** The filter that reads the header, before HTTP Basic. */
    static class Filter extends OncePerRequestFilter {

        private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthentication.class);

        private final ApiKeys keys;
        private final AuthenticationEntryPoint unauthorized;

        Filter(ApiKeys keys, AuthenticationEntryPoint unauthorized) {
            this.keys = keys;
            this.unauthorized = unauthorized;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String secret = request.getHeader(ApiKeys.HEADER);
            if (secret == null) {
                chain.doFilter(request, response);
                return;
            }
            Optional<ApiKey> key;
            try {
                key = keys.authenticate(secret.strip());
            } catch (DataAccessException | TransactionException outOfReach) {
                // the keys could not be read: a 503 to try again, as for a login over HTTP Basic
                SecurityContextHolder.clearContext();
                unauthorized.commence(request, response,
                        new InternalAuthenticationServiceException("API keys could not be read", outOfReach));
                return;
            }
            if (key.isEmpty()) {
                log.info("Refused {} {}: unknown or revoked API key", request.getMethod(), request.getRequestURI());
                SecurityContextHolder.clearContext();
                unauthorized.commence(request, response, new BadCredentialsException(UNKNOWN_KEY));
                return;
            }
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(new ApiKeyAuthentication(key.get()));
            SecurityContextHolder.setContext(context);
            chain.doFilter(request, response);
        }
    }
}
