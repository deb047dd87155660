package io.leadflow.security;

import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;

import jakarta.servlet.DispatcherType;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.autoconfigure.web.servlet.MultipartProperties;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.PathContainer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.AbstractSecurityWebApplicationInitializer;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.web.util.pattern.PathPatternParser;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadflow.web.PublicBaseUrl;

/**
 * Who may call what under {@code /api} and {@code /actuator} (README "Who may do what"). Two kinds of
 * caller: integrating systems with an API key (header {@code X-API-Key}, {@link ApiKeyAuthentication}),
 * holding the key's scopes; people with HTTP Basic against the engine's users
 * ({@link EngineIdentityAuthentication}, the Tasklist login), holding their groups and the scopes of
 * their groups ({@link ApiScope#GROUP_SCOPES}). Every request needs one of them, except the web-form
 * webhook (a browser posts it; its form id, allowed origins and rate limit guard it) and
 * {@code /actuator/health}. {@link #RULES} says which scope each request needs; 401 and 403 are
 * {@code application/problem+json}. Stateless, no CSRF token (no session of its own); a browser's
 * cached Basic credentials do ride along with another site's requests, so a change a browser sent
 * from another site is refused ({@link CrossSiteWriteGuard}).
 * <p>
 * Spring Security's filter is registered for {@code /api/*} and {@code /actuator/*} only (Boot's
 * registration for every path is excluded in {@code application.yaml}): {@code /engine-rest} keeps its
 * own Basic filter, the Camunda webapps their own login, swagger stays open. Its firewall lets every
 * header and parameter through, as before: the API validates its input itself and answers with
 * problem details.
 */
@Configuration(proxyBeanMethods = false)
@SecurityScheme(name = ApiSecurity.BASIC_AUTH, type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "An engine user (the Tasklist login)")
@SecurityScheme(name = ApiSecurity.API_KEY_AUTH, type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        paramName = ApiKeys.HEADER, description = "An integrating system's API key (created by an administrator)")
public class ApiSecurity {

    public static final String BASIC_AUTH = "basicAuth";
    public static final String API_KEY_AUTH = "apiKey";
    public static final String DO_NOT_CONTACT = "/api/leads/{id}/do-not-contact";
    public static final String ERASURE = "/api/leads/{id}/erasure";
    public static final String ERASURE_BY_EMAIL = "/api/erasures";
    public static final String API_KEYS = "/api/api-keys";
    public static final String REPS = "/api/reps";

    /**
     * Who may ask for do-not-contact and erasure: administrators, and the managers of both teams, who
     * answer a lead's request (a rep records "asked not to be contacted" as a contact outcome instead).
     */
    public static final List<String> PRIVACY_GROUPS = List.of(
            org.camunda.bpm.engine.authorization.Groups.CAMUNDA_ADMIN, Groups.MARKETING_MANAGERS, Groups.SALES_MANAGERS);

    /** Who may migrate running leads to another lifecycle version: process owners and administrators. */
    public static final List<String> PROCESS_OWNER_GROUPS = List.of(
            org.camunda.bpm.engine.authorization.Groups.CAMUNDA_ADMIN, Groups.PROCESS_OWNERS);

    /** Who may change the reps' capacity, active flag and absences: sales managers and administrators. */
    public static final List<String> REP_MANAGER_GROUPS = List.of(
            org.camunda.bpm.engine.authorization.Groups.CAMUNDA_ADMIN, Groups.SALES_MANAGERS);

    private static final String CAPTURE = ApiScope.CAPTURE.authority();
    private static final String EVENTS = ApiScope.EVENTS.authority();
    private static final String READ = ApiScope.READ.authority();
    private static final String ADMIN = ApiScope.ADMIN.authority();

    /**
     * The rules, first match wins: a method (null for any) and a path pattern, and the authorities of
     * which the caller needs one (scopes {@code SCOPE_…} or group ids); an empty list lets everyone in.
     * A request no rule matches needs a login and no particular scope.
     */
    static final List<Rule> RULES = List.of(
            new Rule(HttpMethod.GET, "/actuator/health", List.of()),
            new Rule(HttpMethod.GET, "/actuator/health/**", List.of()),
            new Rule(null, "/actuator/**", List.of(ADMIN)),
            new Rule(null, "/api/webforms/**", List.of()),
            new Rule(HttpMethod.POST, DO_NOT_CONTACT, PRIVACY_GROUPS),
            new Rule(HttpMethod.POST, ERASURE, PRIVACY_GROUPS),
            new Rule(HttpMethod.POST, ERASURE_BY_EMAIL, PRIVACY_GROUPS),
            new Rule(HttpMethod.POST, "/api/migrations/dry-run", PROCESS_OWNER_GROUPS),
            new Rule(HttpMethod.POST, "/api/migrations", PROCESS_OWNER_GROUPS),
            new Rule(null, API_KEYS, List.of(ADMIN)),
            new Rule(null, API_KEYS + "/**", List.of(ADMIN)),
            new Rule(HttpMethod.GET, REPS, List.of(READ, Groups.SALES_MANAGERS, Groups.CAMUNDA_ADMIN)),
            new Rule(HttpMethod.GET, REPS + "/**", List.of(READ, Groups.SALES_MANAGERS, Groups.CAMUNDA_ADMIN)),
            new Rule(null, REPS, REP_MANAGER_GROUPS),
            new Rule(null, REPS + "/**", REP_MANAGER_GROUPS),
            new Rule(HttpMethod.POST, "/api/leads", List.of(CAPTURE)),
            new Rule(HttpMethod.POST, "/api/imports", List.of(CAPTURE)),
            new Rule(HttpMethod.GET, "/api/imports/**", List.of(CAPTURE, READ)),
            new Rule(HttpMethod.POST, "/api/engagements", List.of(EVENTS)),
            new Rule(HttpMethod.POST, "/api/leads/{id}/engagements", List.of(EVENTS)),
            new Rule(HttpMethod.GET, "/api/leads/**", List.of(READ)),
            new Rule(null, "/api/sla-breaches/**", List.of(READ)),
            new Rule(null, "/api/kpis/**", List.of(READ)));

    record Rule(HttpMethod method, String pattern, List<String> authorities) {

        RequestMatcher matcher() {
            return method == null ? PATHS.matcher(pattern) : PATHS.matcher(method, pattern);
        }

        /** Whether the rule covers this method and path (a path of the API's description, variables in braces). */
        boolean matches(HttpMethod requestMethod, String path) {
            return (method == null || method.equals(requestMethod))
                    && PathPatternParser.defaultInstance.parse(pattern).matches(PathContainer.parsePath(path));
        }

        String needs() {
            return authorities.stream().map(a -> a.startsWith(ApiScope.AUTHORITY_PREFIX)
                    ? "scope '" + a.substring(ApiScope.AUTHORITY_PREFIX.length()) + "'" : "group '" + a + "'")
                    .reduce((a, b) -> a + " or " + b).orElse("a login");
        }
    }

    // path patterns only: Spring MVC's matchers would parse the Content-Type in this filter and turn a
    // malformed one into the servlet container's error page instead of our problem details
    private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();

    private static final String UNAUTHORIZED_DETAIL =
            "Send an API key (header " + ApiKeys.HEADER + ") or log in with HTTP Basic as an engine user (the Tasklist login)";
    /**
     * A Basic login refused: the same for an unknown user, a wrong password and a right one given while
     * the user is held back after wrong ones (the engine's login delay, 3 s doubling up to 60 s), so it
     * tells nobody which users exist, and a person who typed the password right knows to wait.
     */
    static final String WRONG_LOGIN_DETAIL = "Unknown user or wrong password. After wrong passwords a user is held back"
            + " for a while (3 s, doubling up to 60 s): if the password is right, send it again in a minute";

    /** Spring Security's filter on {@code /api/*} and {@code /actuator/*} only, in place of Boot's registration for every path. */
    @Bean
    DelegatingFilterProxyRegistrationBean apiSecurityFilterRegistration() {
        DelegatingFilterProxyRegistrationBean registration =
                new DelegatingFilterProxyRegistrationBean(AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME);
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER);
        registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
        registration.addUrlPatterns("/api/*", "/actuator/*");
        return registration;
    }

    /**
     * No observation of each security filter, authentication and authorization of a request (Spring
     * Security wraps every filter of the chain in one when observations are on): 5 % of a capture's CPU
     * (docs/BENCHMARKS.md, lead capture, thirteenth run). The request itself is still timed
     * ({@code http.server.requests} under {@code /actuator/metrics}); the {@code spring.security.*} timers are gone.
     */
    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** No second validation of headers and parameters: a malformed request gets our problem details, as before. */
    @Bean
    WebSecurityCustomizer apiFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(name -> true);
        firewall.setAllowedHeaderValues(value -> true);
        firewall.setAllowedParameterNames(name -> true);
        firewall.setAllowedParameterValues(value -> true);
        return web -> web.httpFirewall(firewall);
    }

    /** Writes a problem details answer from a filter. */
    @FunctionalInterface
    interface ProblemWriter {
        void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title, String detail)
                throws IOException;
    }

    @Bean
    SecurityFilterChain apiFilterChain(HttpSecurity http, ObjectMapper json, ApiKeys keys, ApiRateLimits limits,
                                       MultipartProperties uploads, CamundaBpmProperties camunda, PublicBaseUrl base) throws Exception {
        ProblemWriter problems = (request, response, status, title, detail) -> problem(json, request, response, status, title, detail);
        AuthenticationEntryPoint unauthorized = (request, response, e) -> {
            if (e instanceof InternalAuthenticationServiceException) {
                // the users or keys could not be read (database out of reach): try again, as everywhere under /api
                response.setHeader(HttpHeaders.RETRY_AFTER, "2");
                problem(json, request, response, HttpStatus.SERVICE_UNAVAILABLE, "Busy, try again",
                        "The login could not be checked because the database was out of reach or every connection of this node was busy; nothing was stored. Send it again after 2 s");
                return;
            }
            String detail = UNAUTHORIZED_DETAIL;
            if (e instanceof BadCredentialsException) {
                detail = ApiKeyAuthentication.UNKNOWN_KEY.equals(e.getMessage()) ? ApiKeyAuthentication.UNKNOWN_KEY : WRONG_LOGIN_DETAIL;
            }
            problem(json, request, response, HttpStatus.UNAUTHORIZED, "Authentication required", detail);
        };
        AccessDeniedHandler forbidden = (request, response, e) -> problem(json, request, response, HttpStatus.FORBIDDEN,
                "Forbidden", "This request needs " + RULES.stream().filter(rule -> rule.matcher().matches(request)).findFirst()
                        .map(Rule::needs).orElse("another login"));
        http.securityMatcher(new OrRequestMatcher(PATHS.matcher("/api/**"), PATHS.matcher("/actuator/**")))
                .authorizeHttpRequests(requests -> {
                    for (Rule rule : RULES) {
                        var matched = requests.requestMatchers(rule.matcher());
                        if (rule.authorities().isEmpty()) {
                            matched.permitAll();
                        } else {
                            matched.hasAnyAuthority(rule.authorities().toArray(String[]::new));
                        }
                    }
                    requests.anyRequest().authenticated();
                })
                .addFilterBefore(new ApiKeyAuthentication.Filter(keys, unauthorized), BasicAuthenticationFilter.class)
                // first, before any credentials are checked or rate limits counted: a forged request is refused
                // for where it comes from, whoever it claims to be
                .addFilterBefore(new CrossSiteWriteGuard(problems, base), ApiKeyAuthentication.Filter.class)
                .addFilterAfter(new WebappSessionAuthentication(CamundaWebappSession.cacheTimeToLive(camunda), unauthorized),
                        BasicAuthenticationFilter.class)
                .addFilterAfter(new ApiRateLimits.Filter(limits, problems), BasicAuthenticationFilter.class)
                .addFilterAfter(new UploadSizeLimit(uploads.getMaxRequestSize().toBytes(), problems), ApiRateLimits.Filter.class)
                .httpBasic(basic -> basic.realmName("leadflow").authenticationEntryPoint(unauthorized))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
                .csrf(AbstractHttpConfigurer::disable)
                .cors(AbstractHttpConfigurer::disable) // the web-form webhook's CORS stays with Spring MVC (WebFormCors)
                .requestCache(AbstractHttpConfigurer::disable)
                // no session fixation protection here: /api never logs in through a session, it only reads the
                // webapps' one (WebappSessionAuthentication), and changing that session's id on every read made
                // the Cockpit plugin's parallel requests (and Cockpit itself) lose the login
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS)
                        .sessionFixation(fixation -> fixation.none()))
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable);
        return http.build();
    }

    private static void problem(ObjectMapper json, HttpServletRequest request, HttpServletResponse response, HttpStatus status,
                                String title, String detail) throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("about:blank"));
        problem.setInstance(URI.create(request.getRequestURI()));
        // a script's request (fetch, XHR: Sec-Fetch-Mode other than navigate) gets no Basic challenge,
        // or the browser would hold it behind a login dialog instead of handing the 401 to the script
        String fetchMode = request.getHeader("Sec-Fetch-Mode");
        if (status == HttpStatus.UNAUTHORIZED && (fetchMode == null || "navigate".equals(fetchMode))) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"leadflow\"");
        }
        response.setStatus(status.value());
        response.setContentType("application/problem+json");
        json.writeValue(response.getOutputStream(), problem);
    }
}
