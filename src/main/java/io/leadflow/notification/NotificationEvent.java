package io.leadflow.notification;

/** Why someone is told about a lead. */
public enum NotificationEvent {
    LEAD_ASSIGNED, SLA_REMINDER, SLA_BREACH
}
