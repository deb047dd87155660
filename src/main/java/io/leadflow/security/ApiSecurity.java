package io.leadflow.security;

import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;

import jakarta.servlet.DispatcherType;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.AbstractSecurityWebApplicationInitializer;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Who may call what under {@code /api}: HTTP Basic against the engine's users
 * ({@link EngineIdentityAuthentication}), stateless, no CSRF (no browser session to ride on),
 * 401 and 403 as {@code application/problem+json}. Spring Security's filter is registered for
 * {@code /api/*} only (Boot's registration for every path is excluded in {@code application.yaml}):
 * {@code /engine-rest} keeps its own Basic filter, the Camunda webapps their own login, and
 * swagger, actuator and everything else stay exactly as they were. Its firewall lets every
 * header and parameter through, as before: the API validates its input itself and answers with
 * problem details.
 * <p>
 * Today only the endpoints in {@link #SECURED} need a login (the do-not-contact and erasure
 * requests, for {@link #PRIVACY_GROUPS}); every other {@code /api} path is open as before. To make
 * {@code /api} authenticated by default, change the last rule ({@code anyRequest().permitAll()}) to
 * {@code authenticated()} and list the open ones (the web-form webhook) in a permitAll rule.
 */
@Configuration(proxyBeanMethods = false)
@SecurityScheme(name = ApiSecurity.BASIC_AUTH, type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "An engine user (the Tasklist login)")
public class ApiSecurity {

    public static final String BASIC_AUTH = "basicAuth";
    public static final String DO_NOT_CONTACT = "/api/leads/{id}/do-not-contact";
    public static final String ERASURE = "/api/leads/{id}/erasure";
    public static final String ERASURE_BY_EMAIL = "/api/erasures";

    /**
     * Who may ask for do-not-contact and erasure: administrators, and the managers of both teams, who
     * answer a lead's request (a rep records "asked not to be contacted" as a contact outcome instead).
     */
    public static final List<String> PRIVACY_GROUPS = List.of(
            org.camunda.bpm.engine.authorization.Groups.CAMUNDA_ADMIN, Groups.MARKETING_MANAGERS, Groups.SALES_MANAGERS);

    /** Who may migrate running leads to another lifecycle version: process owners and administrators. */
    public static final List<String> PROCESS_OWNER_GROUPS = List.of(
            org.camunda.bpm.engine.authorization.Groups.CAMUNDA_ADMIN, Groups.PROCESS_OWNERS);

    /** The {@code /api} requests that need a login, and the groups allowed. */
    static final List<SecuredEndpoint> SECURED = List.of(
            new SecuredEndpoint(HttpMethod.POST, DO_NOT_CONTACT, PRIVACY_GROUPS),
            new SecuredEndpoint(HttpMethod.POST, ERASURE, PRIVACY_GROUPS),
            new SecuredEndpoint(HttpMethod.POST, ERASURE_BY_EMAIL, PRIVACY_GROUPS),
            new SecuredEndpoint(HttpMethod.POST, "/api/migrations/dry-run", PROCESS_OWNER_GROUPS),
            new SecuredEndpoint(HttpMethod.POST, "/api/migrations", PROCESS_OWNER_GROUPS));

    record SecuredEndpoint(HttpMethod method, String pattern, List<String> groups) {
    }

    /** Spring Security's filter on {@code /api/*} only, in place of Boot's registration for every path. */
    @Bean
    DelegatingFilterProxyRegistrationBean apiSecurityFilterRegistration() {
        DelegatingFilterProxyRegistrationBean registration =
                new DelegatingFilterProxyRegistrationBean(AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME);
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER);
        registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
        registration.addUrlPatterns("/api/*");
        return registration;
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

    @Bean
    SecurityFilterChain apiFilterChain(HttpSecurity http, ObjectMapper json) throws Exception {
        // path patterns only: Spring MVC's matchers would parse the Content-Type in this filter and turn a
        // malformed one into the servlet container's error page instead of our problem details
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(paths.matcher("/api/**"))
                .authorizeHttpRequests(requests -> {
                    for (SecuredEndpoint endpoint : SECURED) {
                        requests.requestMatchers(paths.matcher(endpoint.method(), endpoint.pattern()))
                                .hasAnyAuthority(endpoint.groups().toArray(String[]::new));
                    }
                    requests.anyRequest().permitAll();
                })
                .httpBasic(basic -> basic.realmName("leadflow")
                        .authenticationEntryPoint((request, response, e) -> problem(json, request, response, HttpStatus.UNAUTHORIZED,
                                "Authentication required", "Log in with HTTP Basic as an engine user (the Tasklist login)")))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> problem(json, request, response, HttpStatus.UNAUTHORIZED,
                                "Authentication required", "Log in with HTTP Basic as an engine user (the Tasklist login)"))
                        .accessDeniedHandler((request, response, e) -> problem(json, request, response, HttpStatus.FORBIDDEN,
                                "Forbidden", "Only members of " + PRIVACY_GROUPS + " may do this")))
                .csrf(AbstractHttpConfigurer::disable)
                .cors(AbstractHttpConfigurer::disable) // the web-form webhook's CORS stays with Spring MVC (WebFormCors)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
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
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"leadflow\"");
        }
        response.setStatus(status.value());
        response.setContentType("application/problem+json");
        json.writeValue(response.getOutputStream(), problem);
    }
}
