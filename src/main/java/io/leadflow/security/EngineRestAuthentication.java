package io.leadflow.security;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * {@code /engine-rest} answers only to engine users (HTTP Basic), as Modeler deploys and tools expect;
 * then the {@link TaskWorkGuard} checks task work on it and on the REST API behind Tasklist.
 */
@Configuration
public class EngineRestAuthentication {

    @Bean
    public FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestBasicAuth() {
        FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
        registration.setName("leadflow-engine-rest-basic-auth");
        registration.addInitParameter("authentication-provider",
                "org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider");
        registration.addUrlPatterns("/engine-rest/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 10);
        return registration;
    }

    /**
     * After the authentication filters (matched after them: the webapps' authentication filter is
     * registered with "match after" too, by the Camunda starter, before this bean's).
     */
    @Bean
    public FilterRegistrationBean<TaskWorkGuard> taskWorkGuard(ObjectProvider<ProcessEngine> engine) {
        FilterRegistrationBean<TaskWorkGuard> registration = new FilterRegistrationBean<>(new TaskWorkGuard(() -> {
            ProcessEngine e = engine.getObject();
            return new TaskWorkGuard.Engine(e.getTaskService(), e.getFormService(), e.getRepositoryService(),
                    e.getIdentityService(), e.getAuthorizationService());
        }));
        registration.setName("leadflow-task-work-guard");
        registration.addUrlPatterns("/engine-rest/*", "/camunda/api/engine/*");
        registration.setMatchAfter(true);
        registration.setOrder(Ordered.LOWEST_PRECEDENCE);
        return registration;
    }
}
