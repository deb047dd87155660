package io.leadflow.notification;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.delegate.VariableScope;

/**
 * One notification about a lead, as the "Send notification" process carries it in its variables
 * (the lead's number is its business key too).
 */
public record Notification(NotificationEvent event, String channel, String leadId, String leadNumber, String contactName,
                           String companyName,
                           String taskId, String taskName, OffsetDateTime deadline, String assignee, String sla,
                           boolean repeated, List<String> recipients) {

    public static final String EMAIL = "email";
    public static final String WEBHOOK = "webhook";

    Map<String, Object> toVariables() {
        Map<String, Object> vars = new java.util.HashMap<>();
        vars.put("event", event.name());
        vars.put("channel", channel);
        vars.put("leadId", leadId);
        vars.put("leadNumber", leadNumber);
        vars.put("contactName", contactName);
        vars.put("companyName", companyName);
        vars.put("taskId", taskId);
        vars.put("taskName", taskName);
        vars.put("deadline", deadline == null ? null : Date.from(deadline.toInstant()));
        vars.put("assignee", assignee);
        vars.put("sla", sla);
        vars.put("repeated", repeated);
        vars.put("recipients", String.join(",", recipients));
        return vars;
    }

    static Notification fromVariables(VariableScope scope) {
        Date deadline = (Date) scope.getVariable("deadline");
        String recipients = (String) scope.getVariable("recipients");
        return new Notification(
                NotificationEvent.valueOf((String) scope.getVariable("event")),
                (String) scope.getVariable("channel"),
                (String) scope.getVariable("leadId"),
                (String) scope.getVariable("leadNumber"),
                (String) scope.getVariable("contactName"),
                (String) scope.getVariable("companyName"),
                (String) scope.getVariable("taskId"),
                (String) scope.getVariable("taskName"),
                deadline == null ? null : OffsetDateTime.ofInstant(deadline.toInstant(), ZoneOffset.UTC),
                (String) scope.getVariable("assignee"),
                (String) scope.getVariable("sla"),
                Boolean.TRUE.equals(scope.getVariable("repeated")),
                recipients == null || recipients.isBlank() ? List.of() : List.of(recipients.split(",")));
    }

    Notification forChannel(String otherChannel) {
        return new Notification(event, otherChannel, leadId, leadNumber, contactName, companyName, taskId, taskName, deadline,
                assignee, sla, repeated, recipients);
    }
}
