package io.leadflow.lead;

import java.util.Collection;
import java.util.Locale;

import org.camunda.bpm.engine.delegate.VariableScope;

import io.leadflow.web.TextRules;

/**
 * Server-side checks of what a task form submitted: the same rules as the form's own validation
 * (required, one of the offered values, at most n characters), for clients that do not run the
 * form. A refused value throws {@link InvalidTaskInputException} naming the field and the reason.
 */
public final class TaskInput {

    /**
     * The longest text a form may submit: a String process variable is stored in the engine's
     * varchar(4000) columns, and a longer one fails the whole completion (on H2 and PostgreSQL).
     */
    public static final int MAX_TEXT = 4000;

    private TaskInput() {
    }

    /** Text that must be there and not be only spaces; trimmed. */
    public static String requiredText(VariableScope scope, String field, String label, int maxLength) {
        String value = optionalText(scope, field, label, maxLength);
        if (value == null) {
            throw new InvalidTaskInputException(label, field, "is required and must not be only spaces");
        }
        return value;
    }

    /** Text that may be missing (null when missing or only spaces); trimmed. */
    public static String optionalText(VariableScope scope, String field, String label, int maxLength) {
        Object raw = scope.getVariable(field);
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof String text)) {
            throw new InvalidTaskInputException(label, field, "must be text");
        }
        if (text.length() > maxLength) {
            throw new InvalidTaskInputException(label, field, String.format(Locale.ROOT,
                    "must be at most %,d characters, was %,d", maxLength, text.length()));
        }
        return text.isBlank() ? null : text.trim();
    }

    /** One of the values the form offers. */
    public static String oneOf(VariableScope scope, String field, String label, Collection<String> allowed) {
        Object raw = scope.getVariable(field);
        String choices = String.join(", ", allowed.stream().sorted().toList());
        if (raw == null || (raw instanceof String s && s.isBlank())) {
            throw new InvalidTaskInputException(label, field, "is required, one of " + choices);
        }
        if (!allowed.contains(raw.toString())) {
            throw new InvalidTaskInputException(label, field, "must be one of " + choices
                    + ", was '" + abbreviate(raw.toString(), 40) + "'");
        }
        return raw.toString();
    }

    /** A whole number of at least {@code min}; null when missing and not required. */
    public static Integer number(VariableScope scope, String field, String label, int min, boolean required) {
        Object raw = scope.getVariable(field);
        if (raw == null || (raw instanceof String s && s.isBlank())) {
            if (required) {
                throw new InvalidTaskInputException(label, field, "is required");
            }
            return null;
        }
        int value;
        try {
            if (raw instanceof Number n) {
                if (n.doubleValue() != Math.rint(n.doubleValue())) {
                    throw new NumberFormatException();
                }
                value = Math.toIntExact(n.longValue());
            } else {
                value = Integer.parseInt(raw.toString().trim());
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidTaskInputException(label, field, "must be a whole number, was '" + abbreviate(raw.toString(), 40) + "'");
        }
        if (value < min) {
            throw new InvalidTaskInputException(label, field, "must be at least " + min + ", was " + value);
        }
        return value;
    }

    /** Refuses a present value that does not match {@code regex}; returns it unchanged. */
    public static String matching(String value, String field, String label, String regex, String reason) {
        if (value != null && !value.matches(regex)) {
            throw new InvalidTaskInputException(label, field, reason + ", was '" + abbreviate(value, 60) + "'");
        }
        return value;
    }

    /** Text cut to {@code max} characters, marked with "…" when it was cut. */
    public static String abbreviate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return TextRules.cut(text, max - 1) + "…";
    }
}
