package io.leadflow.security;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * No change under {@code /api} that a browser sent from another site ({@code 403}). {@code /api} has
 * no CSRF token because it has no session of its own, but a browser that once answered its Basic
 * dialog sends those credentials with every later request to the host, a form posted from any other
 * site's page included: {@code <form method="post" action=".../api/leads/{id}/erasure">} erased a lead
 * as the manager who had signed in. Browsers name where a request comes from in
 * {@code Sec-Fetch-Site}, which a page cannot set or change; a {@code POST}, {@code PUT},
 * {@code PATCH} or {@code DELETE} with {@code cross-site} or {@code same-site} (another host of the
 * same domain, whose pages leadflow does not serve either) is refused before any credentials are
 * checked. {@code same-origin} (leadflow's own pages, swagger), {@code none} (typed by the user) and
 * no header (scripts, servers, browsers too old to send it) pass.
 * <p>
 * Not refused: a request with an API key ({@code X-API-Key}), which no browser adds by itself and no
 * other site can make it send (a custom header needs a CORS preflight that {@code /api} never
 * allows), and the web-form webhook, which visitors' browsers post from the website by design
 * (its origins are checked by {@code WebFormCors}).
 */
final class CrossSiteWriteGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(CrossSiteWriteGuard.class);

    static final String SEC_FETCH_SITE = "Sec-Fetch-Site";

    private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> OTHER_SITES = Set.of("cross-site", "same-site");
    private static final RequestMatcher WEB_FORMS = PathPatternRequestMatcher.withDefaults().matcher("/api/webforms/**");

    private final ApiSecurity.ProblemWriter problems;

    CrossSiteWriteGuard(ApiSecurity.ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String site = request.getHeader(SEC_FETCH_SITE);
        if (site != null && OTHER_SITES.contains(site.strip().toLowerCase(Locale.ROOT))
                && CHANGES.contains(request.getMethod())
                && request.getHeader(ApiKeys.HEADER) == null
                && !WEB_FORMS.matches(request)) {
            log.info("Refused {} {}: sent by a browser from another site ({}: {})",
                    request.getMethod(), request.getRequestURI(), SEC_FETCH_SITE, site);
            problems.write(request, response, HttpStatus.FORBIDDEN, "Cross-site request refused",
                    "A browser sent this " + request.getMethod() + " from another site's page (" + SEC_FETCH_SITE + ": " + site.strip()
                            + "), which may be a forged request riding on credentials the browser keeps: changes are "
                            + "accepted from leadflow's own pages, from scripts and servers, or with an API key (header "
                            + ApiKeys.HEADER + ")");
            return;
        }
        chain.doFilter(request, response);
    }
}
