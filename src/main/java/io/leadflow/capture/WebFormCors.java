package io.leadflow.capture;

import org.springframework.boot.autoconfigure.web.servlet.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadflow.web.ProblemCorsProcessor;

/**
 * CORS for the web-form webhook, per form from {@code leadflow.webforms.<formId>.allowed-origins}
 * and for that endpoint only: a browser on another origin (a preflight or the post itself) is
 * refused with 403 (problem details, {@link ProblemCorsProcessor}), so a page we do not know cannot
 * post leads through a visitor's browser.
 */
@Configuration(proxyBeanMethods = false)
public class WebFormCors implements WebMvcConfigurer {

    private final WebFormProperties properties;

    public WebFormCors(WebFormProperties properties) {
        this.properties = properties;
    }

    /** The controllers' mapping, whose CORS refusals are problem details like every other API error. */
    @Bean
    static WebMvcRegistrations problemCorsRefusals(ObjectMapper json) {
        return new WebMvcRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                RequestMappingHandlerMapping mapping = new RequestMappingHandlerMapping();
                mapping.setCorsProcessor(new ProblemCorsProcessor(json));
                return mapping;
            }
        };
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        properties.webforms().forEach((formId, form) -> registry.addMapping(WebFormController.PATH + "/" + formId)
                .allowedOrigins(form.allowedOrigins().toArray(String[]::new))
                .allowedMethods(HttpMethod.POST.name())
                .allowCredentials(false));
    }
}
