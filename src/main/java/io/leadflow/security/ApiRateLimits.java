package io.leadflow.security;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpMethod;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.leadflow.web.TokenBucket;

/**
 * The rate limit of each API key on capture and events: a token bucket per key that holds the key's
 * requests per minute and refills at that rate, so a key may burst its whole minute at once and then
 * goes on at its steady rate. Over it, 429 with {@code Retry-After}. The buckets live in this node's
 * memory: with n nodes behind a load balancer a key gets up to n times its limit (documented in the
 * README); people (HTTP Basic) are not limited.
 */
@Component
public class ApiRateLimits {

    private static final Logger log = LoggerFactory.getLogger(ApiRateLimits.class);

    /** The requests that count: capture and engagement events. */
    static final List<RequestMatcher> LIMITED = List.of(
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/api/leads"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/api/imports"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/api/engagements"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/api/leads/{id}/engagements"));

    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /**
     * Takes one request from the key's bucket.
     *
     * @return 0 when the request may go on, else the whole seconds until it may
     */
    long take(ApiKeys.ApiKey key) {
        return buckets.computeIfAbsent(key.id(), id -> new TokenBucket(key.requestsPerMinute())).take(System.nanoTime());
    }

    /** After authentication: names the caller in the log lines of the request and applies the key's rate limit. */
    static class Filter extends OncePerRequestFilter {

        static final String MDC_CALLER = "caller";

        private final ApiRateLimits limits;
        private final ApiSecurity.ProblemWriter problems;

        Filter(ApiRateLimits limits, ApiSecurity.ProblemWriter problems) {
            this.limits = limits;
            this.problems = problems;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            Authentication caller = SecurityContextHolder.getContext().getAuthentication();
            if (caller == null || !caller.isAuthenticated()) {
                chain.doFilter(request, response);
                return;
            }
            MDC.put(MDC_CALLER, caller.getName());
            try {
                if (caller instanceof ApiKeyAuthentication key && LIMITED.stream().anyMatch(m -> m.matches(request))) {
                    long retryAfter = limits.take(key.key());
                    if (retryAfter > 0) {
                        log.info("API key '{}' over its rate limit of {} requests per minute: {} {} answered 429",
                                key.key().name(), key.key().requestsPerMinute(), request.getMethod(), request.getRequestURI());
                        response.setHeader("Retry-After", String.valueOf(retryAfter));
                        problems.write(request, response, org.springframework.http.HttpStatus.TOO_MANY_REQUESTS, "Rate limit reached",
                                "This API key may send " + key.key().requestsPerMinute()
                                        + " capture and event requests per minute; nothing was stored. Send it again after " + retryAfter + " s");
                        return;
                    }
                }
                chain.doFilter(request, response);
            } finally {
                MDC.remove(MDC_CALLER);
            }
        }
    }
}
