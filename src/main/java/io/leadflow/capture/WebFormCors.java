package io.leadflow.capture;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * CORS for the web-form webhook, per form from {@code leadflow.webforms.<formId>.allowed-origins}
 * and for that endpoint only: a browser on another origin (a preflight or the post itself) is
 * refused with 403, so a page we do not know cannot post leads through a visitor's browser.
 */
@Configuration(proxyBeanMethods = false)
public class WebFormCors implements WebMvcConfigurer {

    private final WebFormProperties properties;

    public WebFormCors(WebFormProperties properties) {
        this.properties = properties;
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        properties.webforms().forEach((formId, form) -> registry.addMapping(WebFormController.PATH + "/" + formId)
                .allowedOrigins(form.allowedOrigins().toArray(String[]::new))
                .allowedMethods(HttpMethod.POST.name())
                .allowCredentials(false));
    }
}
