package io.leadflow.sla;

import java.time.OffsetDateTime;

/** A missed SLA deadline: which lead, which task, whose desk it was on. */
public record SlaBreach(String leadId, String sla, String taskKey, String taskName, OffsetDateTime deadline,
                        OffsetDateTime breachedAt, String assignee) {
}
