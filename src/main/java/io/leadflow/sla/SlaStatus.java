package io.leadflow.sla;

import java.time.Instant;

/** Where an open task stands against its SLA: the same points at which the reminder and the escalation fire. */
public enum SlaStatus {
    ON_TIME, AT_RISK, BREACHED;

    /**
     * @param reminderAt when the reminder fires (the agreed share of the deadline's business time)
     * @param due        the deadline (null: no SLA, always on time)
     * @param now        the engine's now
     */
    public static SlaStatus of(Instant reminderAt, Instant due, Instant now) {
        if (due == null) {
            return ON_TIME;
        }
        if (!now.isBefore(due)) {
            return BREACHED;
        }
        return now.isBefore(reminderAt) ? ON_TIME : AT_RISK;
    }
}
