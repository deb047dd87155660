package io.leadflow.capture;

/**
 * The answer to a capture: the lead's id and readable number, whether it was new or a known lead, whether this is
 * the replay of an earlier request with the same idempotency key, and whether the address asked not
 * to be contacted (then nothing was stored and there is no id).
 */
public record CapturedLead(String leadId, String leadNumber, boolean created, String processInstanceId, boolean replayed,
                           boolean suppressed) {

    public CapturedLead(String leadId, String leadNumber, boolean created, String processInstanceId, boolean replayed) {
        this(leadId, leadNumber, created, processInstanceId, replayed, false);
    }

    /** The address asked not to be contacted: nothing was created or recorded. */
    public static CapturedLead suppressedAddress() {
        return new CapturedLead(null, null, false, null, false, true);
    }
}
