package io.leadflow.notification;

import java.net.URI;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.leadflow.web.PublicBaseUrl;

/**
 * Where notifications go. Email goes out when {@code spring.mail.host} is set (otherwise every
 * notification is written to the log only); the webhook when {@code webhook-url} is set. Links start
 * with {@code leadflow.public-base-url} ({@link PublicBaseUrl}); {@code tasklist-url} overrides the
 * Tasklist address alone, for a Tasklist served elsewhere.
 */
@ConfigurationProperties("leadflow.notifications")
public record NotificationProperties(
        @DefaultValue("leadflow@localhost") String from,
        String tasklistUrl,
        URI webhookUrl,
        @DefaultValue({"salesManagers", "marketingManagers"}) List<String> repeatedBreachGroups) {

    public NotificationProperties {
        if (webhookUrl != null && (!webhookUrl.isAbsolute() || webhookUrl.getHost() == null
                || !("http".equals(webhookUrl.getScheme()) || "https".equals(webhookUrl.getScheme())))) {
            // the HTTP client fails every notification's call to anything else, each one ending as an incident
            throw new IllegalArgumentException("leadflow.notifications.webhook-url must be an absolute http(s) address, was '"
                    + webhookUrl + "'");
        }
    }

    /** Tasklist under the public base URL, unless {@code tasklist-url} names another address. */
    public String tasklist(PublicBaseUrl base) {
        return tasklistUrl != null && !tasklistUrl.isBlank() ? tasklistUrl : base.link("/camunda/app/tasklist/default/");
    }

    /** The Tasklist link that opens this task. */
    public String taskLink(PublicBaseUrl base, String taskId) {
        return taskId == null ? tasklist(base) : tasklist(base) + "#/?task=" + taskId;
    }
}
