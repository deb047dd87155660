package io.leadflow.security;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import io.leadflow.web.PublicBaseUrl;

/**
 * No change under {@code /api} that a browser sent from another site ({@code 403}). {@code /api} has
 * no CSRF token because it has no session of its own, but a browser that once answered its Basic
 * dialog sends those credentials with every later request to the host, a form posted from any other
 * site's page included: {@code <form method="post" action=".../api/leads/{id}/erasure">} erased a lead
 * as the manager who had signed in. Browsers name where a request comes from in
 * {@code Sec-Fetch-Site}, which a page cannot set or change; a {@code POST}, {@code PUT},
 * {@code PATCH} or {@code DELETE} with {@code cross-site} or {@code same-site} (another host of the
 * same domain, whose pages leadflow does not serve either) is refused before any credentials are
 * checked. {@code same-origin} (leadflow's own pages, swagger) and {@code none} (typed by the user) pass.
 * <p>
 * Browsers too old to send {@code Sec-Fetch-Site} (Safari before 16.4) still send {@code Origin} with a
 * form's {@code POST}: without the first, a change whose {@code Origin} is neither the request's own
 * (scheme, host and port as it reached leadflow) nor {@code leadflow.public-base-url}'s is refused the
 * same way, {@code Origin: null} (a sandboxed or redirected page) too. A request with neither header
 * (scripts, servers) passes.
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
    private final String publicOrigin;

    CrossSiteWriteGuard(ApiSecurity.ProblemWriter problems, PublicBaseUrl base) {
        this.problems = problems;
        URI address = base.publicBaseUrl();
        this.publicOrigin = origin(address.getScheme(), address.getHost(), address.getPort());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String from = otherSite(request);
        if (from != null
                && CHANGES.contains(request.getMethod())
                && request.getHeader(ApiKeys.HEADER) == null
                && !WEB_FORMS.matches(request)) {
            log.info("Refused {} {}: sent by a browser from another site ({})", request.getMethod(), request.getRequestURI(), from);
            problems.write(request, response, HttpStatus.FORBIDDEN, "Cross-site request refused",
                    "A browser sent this " + request.getMethod() + " from another site's page (" + from
                            + "), which may be a forged request riding on credentials the browser keeps: changes are "
                            + "accepted from leadflow's own pages, from scripts and servers, or with an API key (header "
                            + ApiKeys.HEADER + ")");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The header that shows the request came from another site's page (e.g. "Sec-Fetch-Site: cross-site"), or null. */
    private String otherSite(HttpServletRequest request) {
        String site = request.getHeader(SEC_FETCH_SITE);
        if (site != null) {
            return OTHER_SITES.contains(site.strip().toLowerCase(Locale.ROOT)) ? SEC_FETCH_SITE + ": " + site.strip() : null;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return null;
        }
        String sent = origin.strip().toLowerCase(Locale.ROOT);
        String own = origin(request.getScheme(), request.getServerName(), request.getServerPort());
        return sent.equals(own) || sent.equals(publicOrigin) ? null : HttpHeaders.ORIGIN + ": " + origin.strip();
    }

    /** {@code scheme://host[:port]} as browsers write {@code Origin}: lower case, without the scheme's default port. */
    static String origin(String scheme, String host, int port) {
        String s = scheme.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        boolean defaultPort = port < 0 || ("http".equals(s) && port == 80) || ("https".equals(s) && port == 443);
        return s + "://" + (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h) + (defaultPort ? "" : ":" + port);
    }
}
