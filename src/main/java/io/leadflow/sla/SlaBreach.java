package io.leadflow.sla;

import java.time.OffsetDateTime;

/**
 * A missed SLA deadline: which lead, which task, whose desk it was on; {@code completedAt} when the task
 * was done after its deadline before the deadline's timer ran (null: the timer recorded it).
 */
public record SlaBreach(String leadId, String sla, String taskKey, String taskName, OffsetDateTime deadline,
                        OffsetDateTime breachedAt, String assignee, OffsetDateTime completedAt) {

    /** A breach the deadline's timer recorded. */
    public SlaBreach(String leadId, String sla, String taskKey, String taskName, OffsetDateTime deadline,
                     OffsetDateTime breachedAt, String assignee) {
        this(leadId, sla, taskKey, taskName, deadline, breachedAt, assignee, null);
    }
}
