package io.leadflow.lead;

import org.camunda.bpm.engine.BadUserRequestException;

/**
 * A value a user entered on a task form that the lead record does not accept: names the form field
 * (its label and its variable) and the reason, e.g. {@code Email (email): another lead already has
 * this address}. Thrown while the task is being completed, it rolls the completion back: the task
 * stays open and nothing is written.
 *
 * <p>It is a {@link BadUserRequestException} on purpose: the engine logs those at DEBUG, not as an
 * ERROR with a stack trace, and Tasklist shows the message as it is. (Over the REST API,
 * {@code submit-form} and {@code complete} still answer 500 for every engine exception except
 * the engine-internal {@code FormFieldValidationException}; see README, "Task forms".)
 */
public class InvalidTaskInputException extends BadUserRequestException {

    private final String field;
    private final String reason;

    public InvalidTaskInputException(String label, String field, String reason) {
        super(label + " (" + field + "): " + reason);
        this.field = field;
        this.reason = reason;
    }

    /** The variable (form field key) that was refused. */
    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
