package io.leadflow.platform;

/**
 * A failure that trying again cannot mend (a webhook receiver that refuses the notification with a 4xx):
 * the job that met it gets no retries left, so its incident shows in Cockpit at once instead of after
 * the model's retry cycle ({@link CamundaInternals.NoRetriesForRefusals}). Retrying it from Cockpit, once
 * its cause is mended, works as for any incident.
 */
public interface NotRetryable {
}
