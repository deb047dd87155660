package io.leadflow.notification;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.value.BytesValue;
import org.camunda.bpm.engine.variable.value.TypedValue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One notification about a lead, as the outbox keeps it ({@link NotificationOutbox}: event, channel,
 * lead id and the rest of the message as one JSON value) and as a "Send notification" instance of its
 * own carries it when its send failed (the lead's number is its business key too): three variables
 * that Cockpit and queries can filter on ({@code event}, {@code channel}, {@code leadId}) and the
 * message as one JSON value ({@code notification}). The contact's name and company are not stored at
 * all: the sender reads them from the lead record, so an erased lead is never named afterwards (see
 * {@link #withContact}). Nor are the recipients' addresses while it waits in the outbox: it names
 * the users and groups it is for ({@code to}), and the sender reads their addresses when it sends
 * ({@link Recipients}); {@code recipients} are those addresses once read (an instance of its own
 * keeps them, so each retry goes to the same people).
 */
public record Notification(NotificationEvent event, String channel, String leadId, String leadNumber, String contactName,
                           String companyName,
                           String taskId, String taskName, OffsetDateTime deadline, String assignee, String sla,
                           boolean repeated, List<String> recipients, Addressees to) {

    /** Whom a waiting notification is for: engine users and groups, read as addresses when it is sent. */
    public record Addressees(List<String> users, List<String> groups) {

        public Addressees {
            users = List.copyOf(users);
            groups = List.copyOf(groups);
        }

        boolean isEmpty() {
            return users.isEmpty() && groups.isEmpty();
        }
    }

    /** A notification whose recipients' addresses are known already. */
    public Notification(NotificationEvent event, String channel, String leadId, String leadNumber, String contactName,
                        String companyName, String taskId, String taskName, OffsetDateTime deadline, String assignee,
                        String sla, boolean repeated, List<String> recipients) {
        this(event, channel, leadId, leadNumber, contactName, companyName, taskId, taskName, deadline, assignee, sla, repeated,
                recipients, null);
    }

    public static final String EMAIL = "email";
    public static final String WEBHOOK = "webhook";

    /** Variables of the instance; the first three are plain values for queries. */
    public static final String EVENT = "event";
    public static final String CHANNEL = "channel";
    public static final String LEAD_ID = "leadId";
    /** The rest of the message, JSON (bytes when longer than the engine's string column). */
    public static final String MESSAGE = "notification";

    /** The engine's text column of a variable holds 4,000 characters; a longer message goes into a byte array. */
    static final int MAX_TEXT = 4000;

    private static final ObjectMapper JSON = new ObjectMapper();

    public Map<String, Object> toVariables() {
        String text = message();
        Map<String, Object> vars = new HashMap<>();
        vars.put(EVENT, event.name());
        vars.put(CHANNEL, channel);
        vars.put(LEAD_ID, leadId);
        vars.put(MESSAGE, text.length() <= MAX_TEXT ? Variables.stringValue(text)
                : Variables.byteArrayValue(text.getBytes(StandardCharsets.UTF_8)));
        return vars;
    }

    /** Everything but event, channel and lead id, as JSON: the {@code notification} variable, the outbox's {@code message}. */
    String message() {
        ObjectNode message = JSON.createObjectNode();
        message.put("leadNumber", leadNumber);
        message.put("taskId", taskId);
        message.put("taskName", taskName);
        message.put("deadline", deadline == null ? null : deadline.toInstant().toString());
        message.put("assignee", assignee);
        message.put("sla", sla);
        message.put("repeated", repeated);
        ArrayNode addresses = message.putArray("recipients");
        recipients.forEach(addresses::add);
        if (to != null) {
            ArrayNode users = message.putArray("users");
            to.users().forEach(users::add);
            ArrayNode groups = message.putArray("groups");
            to.groups().forEach(groups::add);
        }
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The message as stored; instances started before it was one value carry its parts as separate variables. */
    static Notification fromVariables(VariableScope scope) {
        TypedValue stored = scope.getVariableTyped(MESSAGE);
        if (stored == null || stored.getValue() == null) {
            return fromSeparateVariables(scope);
        }
        String text = stored instanceof BytesValue bytes ? new String(bytes.getValue(), StandardCharsets.UTF_8)
                : (String) stored.getValue();
        return of((String) scope.getVariable(EVENT), (String) scope.getVariable(CHANNEL), (String) scope.getVariable(LEAD_ID), text);
    }

    /** A notification from its event, channel, lead id and {@link #message()}, as the outbox or an instance keeps them. */
    static Notification of(String event, String channel, String leadId, String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Notification message of lead " + leadId + " is not JSON", e);
        }
        String deadline = text(message, "deadline");
        // written before the recipients were read when sending: their addresses, and no users or groups
        Addressees to = message.has("users") || message.has("groups")
                ? new Addressees(texts(message, "users"), texts(message, "groups")) : null;
        return new Notification(
                NotificationEvent.valueOf(event),
                channel,
                leadId,
                text(message, "leadNumber"), null, null,
                text(message, "taskId"), text(message, "taskName"),
                deadline == null ? null : OffsetDateTime.ofInstant(java.time.Instant.parse(deadline), ZoneOffset.UTC),
                text(message, "assignee"), text(message, "sla"),
                message.path("repeated").asBoolean(false), texts(message, "recipients"), to);
    }

    private static List<String> texts(JsonNode message, String field) {
        List<String> values = new ArrayList<>();
        message.path(field).forEach(v -> values.add(v.asText()));
        return List.copyOf(values);
    }

    private static String text(JsonNode message, String field) {
        JsonNode value = message.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Instances started by an earlier release: one variable per part, the contact's name among them. */
    private static Notification fromSeparateVariables(VariableScope scope) {
        Date deadline = (Date) scope.getVariable("deadline");
        String recipients = (String) scope.getVariable("recipients");
        return new Notification(
                NotificationEvent.valueOf((String) scope.getVariable(EVENT)),
                (String) scope.getVariable(CHANNEL),
                (String) scope.getVariable(LEAD_ID),
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

    /** The contact as the lead record has it now (null after erasure: the message says "an erased contact"). */
    Notification withContact(String name, String company) {
        return new Notification(event, channel, leadId, leadNumber, name, company, taskId, taskName, deadline,
                assignee, sla, repeated, recipients, to);
    }

    Notification forChannel(String otherChannel) {
        return new Notification(event, otherChannel, leadId, leadNumber, contactName, companyName, taskId, taskName, deadline,
                assignee, sla, repeated, recipients, to);
    }

    /** With the addresses its users and groups have now: what is sent, and what an instance of its own keeps. */
    Notification withRecipients(List<String> addresses) {
        return new Notification(event, channel, leadId, leadNumber, contactName, companyName, taskId, taskName, deadline,
                assignee, sla, repeated, List.copyOf(addresses), null);
    }
}
