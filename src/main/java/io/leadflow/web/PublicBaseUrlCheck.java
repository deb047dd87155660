package io.leadflow.web;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Says at start-up, as a WARN, when a node outside the demo profile sends links to a local address
 * ({@code leadflow.public-base-url} left at {@code http://localhost:8080}): every link in its mails and
 * webhooks would lead nowhere, and nothing else would say so.
 */
@Component
public class PublicBaseUrlCheck {

    private static final Logger LOG = LoggerFactory.getLogger(PublicBaseUrlCheck.class);
    private static final Set<String> LOCAL = Set.of("localhost", "127.0.0.1", "[::1]", "::1", "0.0.0.0");

    /** application.yaml's value when LEADFLOW_PUBLIC_BASE_URL is not set. */
    static final String DEFAULT = "http://localhost:8080";

    private final PublicBaseUrl base;
    private final Environment environment;

    public PublicBaseUrlCheck(PublicBaseUrl base, Environment environment) {
        this.base = base;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void warn() {
        problem().ifPresent(LOG::warn);
    }

    Optional<String> problem() {
        boolean demo = Arrays.asList(environment.getActiveProfiles()).contains("demo")
                || (environment.getActiveProfiles().length == 0 && Arrays.asList(environment.getDefaultProfiles()).contains("demo"));
        if (demo || !LOCAL.contains(base.publicBaseUrl().getHost())) {
            return Optional.empty();
        }
        // set to a local address on purpose (a trial, compose's default) or not set at all: each said as it is
        // (application.yaml's default is http://localhost:8080: another value, or the variable, was set)
        boolean set = environment.containsProperty("LEADFLOW_PUBLIC_BASE_URL") || !DEFAULT.equals(base.publicBaseUrl().toString());
        String why = set ? "a local address" : "LEADFLOW_PUBLIC_BASE_URL not set";
        return Optional.of("leadflow.public-base-url is " + base.publicBaseUrl() + " (" + why + "): every link in"
                + " mails and webhooks points to this machine; set it to the address people reach leadflow at");
    }
}
