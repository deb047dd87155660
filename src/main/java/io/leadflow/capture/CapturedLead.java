package io.leadflow.capture;

/** The answer to a capture: the lead's id, and whether it was new or a known lead. */
public record CapturedLead(String leadId, boolean created, String processInstanceId) {
}
