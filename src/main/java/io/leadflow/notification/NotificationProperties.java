package io.leadflow.notification;

import java.net.URI;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where notifications go. Email goes out when {@code spring.mail.host} is set (otherwise every
 * notification is written to the log only); the webhook when {@code webhook-url} is set.
 */
@ConfigurationProperties("leadflow.notifications")
public record NotificationProperties(
        @DefaultValue("leadflow@localhost") String from,
        @DefaultValue("http://localhost:8080/camunda/app/tasklist/default/") String tasklistUrl,
        URI webhookUrl,
        @DefaultValue({"salesManagers", "marketingManagers"}) List<String> repeatedBreachGroups) {

    /** The Tasklist link that opens this task. */
    public String taskLink(String taskId) {
        return taskId == null ? tasklistUrl : tasklistUrl + "#/?task=" + taskId;
    }
}
