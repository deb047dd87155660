package io.leadflow.security;

import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.leadflow.platform.CamundaInternals;

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
}
