package io.leadflow.capture;

/**
 * The answer to a capture: the lead's id, whether it was new or a known lead, and whether this is
 * the replay of an earlier request with the same idempotency key.
 */
public record CapturedLead(String leadId, boolean created, String processInstanceId, boolean replayed) {
}
