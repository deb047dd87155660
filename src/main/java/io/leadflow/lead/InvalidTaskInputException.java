package io.leadflow.lead;

import org.camunda.bpm.engine.BadUserRequestException;

/**
 * A value a user entered on a task form that the lead record does not accept: names the form field
 * (its label and its variable) and the reason, e.g. {@code Email (email): another lead already has
 * this address}. Thrown while the task is being completed, it rolls the completion back: the task
 * stays open and nothing is written.
 *
 * <p>It is a {@link BadUserRequestException} on purpose: the engine logs those at DEBUG, not as an
 * ERROR with a stack trace, and Tasklist shows the message as it is. Over the REST API,
 * {@code submit-form} and {@code complete} answer 500 for every engine exception except the
 * engine-internal {@code FormFieldValidationException}; its {@link #CODE} turns that into 400.
 */
public class InvalidTaskInputException extends BadUserRequestException {

    private final String field;
    private final String reason;

    /**
     * Its exception code (a custom one: the engine keeps codes from 20000 on): the REST API's answer
     * carries it, and {@code EngineRestErrors} answers 400 for it instead of 500.
     */
    public static final int CODE = 22400;

    public InvalidTaskInputException(String label, String field, String reason) {
        super(label + " (" + field + "): " + reason);
        setCode(CODE);
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
