package io.leadflow.web;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where people reach leadflow ({@code leadflow.public-base-url}, e.g. {@code https://leads.example.com}):
 * every link leadflow sends (mails, webhooks) starts with it, whatever address the node listens on
 * behind a proxy. Default {@code http://localhost:8080}, right only on a developer's machine.
 */
@ConfigurationProperties("leadflow")
public record PublicBaseUrl(@DefaultValue("http://localhost:8080") URI publicBaseUrl) {

    public PublicBaseUrl {
        if (publicBaseUrl == null || !publicBaseUrl.isAbsolute() || publicBaseUrl.getHost() == null
                || !("http".equals(publicBaseUrl.getScheme()) || "https".equals(publicBaseUrl.getScheme()))) {
            throw new IllegalArgumentException("leadflow.public-base-url must be an absolute http(s) address such as "
                    + "https://leads.example.com, was '" + publicBaseUrl + "'");
        }
    }

    /** The base with {@code path} appended: {@code link("/camunda/app/tasklist/default/")}. */
    public String link(String path) {
        String base = publicBaseUrl.toString().replaceAll("/+$", "");
        return base + (path.startsWith("/") ? path : "/" + path);
    }
}
