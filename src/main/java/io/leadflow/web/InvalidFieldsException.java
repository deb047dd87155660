package io.leadflow.web;

import java.util.List;

/**
 * Input that breaks the agreed rules, found outside Spring MVC's own binding (a web form mapped to
 * our fields, a CSV header): answered as 400 problem details listing every bad field.
 */
public class InvalidFieldsException extends RuntimeException {

    private final String title;
    private final transient List<FieldProblem> errors;

    public InvalidFieldsException(String title, String detail, List<FieldProblem> errors) {
        super(detail);
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public String title() {
        return title;
    }

    public List<FieldProblem> errors() {
        return errors;
    }

    /** One bad field, named as the client named it, and why it is bad. */
    public record FieldProblem(String field, String reason) {
    }
}
