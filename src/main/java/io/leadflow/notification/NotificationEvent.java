package io.leadflow.notification;

/** Why someone is told about a lead. */
public enum NotificationEvent {
    LEAD_ASSIGNED, SLA_REMINDER, SLA_BREACH,
    /** No sales rep is left for the lead: a sales manager must assign it by hand. */
    ASSIGNMENT_NEEDED
}
