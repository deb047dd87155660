package io.leadflow.security;

import java.io.IOException;

import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

import io.leadflow.platform.CamundaInternals;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code /engine-rest} answers only to engine users (HTTP Basic), as Modeler deploys and tools expect. */
@Configuration
public class EngineRestAuthentication {

    @Bean
    public FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestBasicAuth() {
        FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
        registration.setName("leadflow-engine-rest-basic-auth");
        registration.addInitParameter("authentication-provider", CamundaInternals.REST_BASIC_AUTHENTICATION_PROVIDER);
        registration.addUrlPatterns("/engine-rest/*");
        return registration;
    }

    /**
     * The headers the webapps and {@code /api} send, on {@code /engine-rest} too: no answer of it is
     * read as another type than it says (a deployment's resource, served with the type its name says),
     * framed by another page, or allowed to run scripts or load anything.
     */
    @Bean
    public FilterRegistrationBean<OncePerRequestFilter> engineRestSecurityHeaders() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                response.setHeader("X-Content-Type-Options", "nosniff");
                response.setHeader("X-Frame-Options", "DENY");
                response.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox");
                chain.doFilter(request, response);
            }
        });
        registration.setName("leadflow-engine-rest-security-headers");
        registration.addUrlPatterns("/engine-rest/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
