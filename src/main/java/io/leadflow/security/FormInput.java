package io.leadflow.security;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks what a form submitted against the form's own rules, before the engine sees it, so a
 * refused value is a 400 naming the field (shown in Tasklist) and not an engine exception (a 500
 * over the REST API, with a stack trace in the log):
 * <ul>
 * <li>the rules form-js checks in the browser ({@code validate}): {@code required},
 *     {@code minLength}/{@code maxLength} (on the trimmed text, as form-js does: a required text of
 *     only spaces is refused), {@code min}/{@code max}, and one of the offered values of a select or
 *     radio;</li>
 * <li>the same {@code min}, {@code max}, {@code minLength} and {@code maxLength} as custom properties
 *     ({@code "properties": {"min": "0"}}, "Custom properties" in Camunda Modeler), with the same
 *     messages, and {@code properties.requiredWhen} ({@code "acceptDecision = reject"}): a field needed
 *     only for one choice. form-js ignores custom properties, so these are checked here only. They are
 *     for the fields a condition can hide: form-js 1.x keeps the error of a field that a condition then
 *     hides, and Tasklist disables "Complete" while any error is kept, so a form with a form-js rule on
 *     such a field would lock after a failed submit when the user changes the choice. The form shows the
 *     rule in its label or description; this check enforces it.</li>
 * </ul>
 * Fields that are hidden are not submitted by form-js, so only submitted values are checked, and
 * {@code requiredWhen} only when its condition holds among the submitted values. A custom rule that
 * cannot be read (a {@code min} that is not a number) fails the check with an exception naming the
 * field; the deployment check refuses such a form before ({@link #ruleProblems}).
 */
public final class FormInput {

    public record Problem(String field, String label, String reason) {
        public String text() {
            return label + " (" + field + "): " + reason;
        }
    }

    /** The rules that may be custom properties besides {@code requiredWhen}, named as in form-js's {@code validate}. */
    private static final List<String> CUSTOM_RULES = List.of("min", "max", "minLength", "maxLength");

    private FormInput() {
    }

    /** @param variables the REST body's {@code variables}: {@code {"name": {"value": …, "type": …}}} */
    public static List<Problem> check(JsonNode form, JsonNode variables) {
        List<String> malformed = ruleProblems(form);
        if (!malformed.isEmpty()) {
            throw new IllegalStateException("The form's rules cannot be checked: " + String.join("; ", malformed));
        }
        List<Problem> problems = new ArrayList<>();
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        each(form, c -> {
            String key = c.path("key").asText("");
            if (!key.isBlank() && !c.path("disabled").asBoolean(false)) {
                fields.putIfAbsent(key, c);
            }
        });
        fields.forEach((key, field) -> {
            JsonNode submitted = variables.path(key);
            String requiredWhen = field.path("properties").path("requiredWhen").asText(null);
            if (submitted.isMissingNode() && (requiredWhen == null || !holds(requiredWhen, variables))) {
                return; // not submitted: hidden, or a client that sets fewer variables (the delegate decides)
            }
            JsonNode value = submitted.path("value");
            String label = label(field, key);
            JsonNode rules = field.path("validate");
            BigDecimal minLength = rule(field, "minLength");
            BigDecimal maxLength = rule(field, "maxLength");
            BigDecimal min = rule(field, "min");
            BigDecimal max = rule(field, "max");
            boolean empty = value.isNull() || value.isMissingNode() || value.isTextual() && value.asText().strip().isEmpty();
            boolean required = rules.path("required").asBoolean(false) || requiredWhen != null && holds(requiredWhen, variables);
            if (empty) {
                if (required || value.isTextual() && !value.asText().isEmpty() && minLength != null) {
                    problems.add(new Problem(key, label, value.isTextual() && !value.asText().isEmpty()
                            ? "must not be only spaces" : requiredWhen != null && !rules.path("required").asBoolean(false)
                            ? "is required when " + requiredWhen.replace(" = ", " is ") : "is required"));
                }
                return;
            }
            if (value.isTextual()) {
                int length = value.asText().strip().length();
                if (maxLength != null && length > maxLength.intValue()) {
                    problems.add(new Problem(key, label, "must be at most " + format(maxLength) + " characters, was " + format(BigDecimal.valueOf(length))));
                }
                if (minLength != null && length < minLength.intValue()) {
                    problems.add(new Problem(key, label, "must be at least " + format(minLength) + " characters"));
                }
            }
            if (min != null || max != null) {
                BigDecimal number = number(value);
                if (number == null) {
                    problems.add(new Problem(key, label, "must be a number"));
                } else if (min != null && number.compareTo(min) < 0) {
                    problems.add(new Problem(key, label, "must be at least " + format(min)));
                } else if (max != null && number.compareTo(max) > 0) {
                    problems.add(new Problem(key, label, "must be at most " + format(max) + ", was " + format(number)));
                }
            }
            JsonNode offered = field.path("values");
            if (offered.isArray() && !offered.isEmpty() && List.of("select", "radio").contains(field.path("type").asText())) {
                boolean known = false;
                for (JsonNode option : offered) {
                    known |= option.path("value").asText().equals(value.asText());
                }
                if (!known) {
                    problems.add(new Problem(key, label, "'" + abbreviate(value.asText()) + "' is not one of the offered values"
                            + ("country".equals(key) ? " (ISO 3166 country codes such as DE, FR or US)" : "")));
                }
            }
        });
        return problems;
    }

    /**
     * What is wrong with the custom rules of a form's fields ({@code properties}), each naming the form
     * and the field: a {@code min} or {@code max} that is not a number, a {@code minLength} or
     * {@code maxLength} that is not a whole number from 0, a {@code requiredWhen} that is not
     * {@code "field = value"}, a rule set both for form-js and as a custom property. Empty: the rules
     * can be checked.
     */
    public static List<String> ruleProblems(JsonNode form) {
        List<String> problems = new ArrayList<>();
        each(form, field -> {
            String where = "form '" + form.path("id").asText() + "', field '" + field.path("key").asText() + "'";
            JsonNode properties = field.path("properties");
            for (String name : CUSTOM_RULES) {
                if (properties.has(name)) {
                    try {
                        rule(field, name);
                    } catch (IllegalArgumentException malformed) {
                        problems.add("form '" + form.path("id").asText() + "', " + malformed.getMessage());
                    }
                    if (field.path("validate").has(name)) {
                        problems.add(where + ": " + name + " is set both in validate and as a custom property; keep one");
                    }
                }
            }
            String requiredWhen = properties.path("requiredWhen").asText(null);
            if (requiredWhen != null && !requiredWhen.matches("\\s*[A-Za-z_]\\w*\\s*=\\s*[^=\\s].*")) {
                problems.add(where + ": custom property requiredWhen is '" + requiredWhen + "', not 'field = value'");
            }
        });
        return problems;
    }

    /**
     * The field's {@code min}, {@code max}, {@code minLength} or {@code maxLength}: from {@code validate}
     * (form-js checks it too), else from {@code properties} (checked here only); null: none.
     *
     * @throws IllegalArgumentException naming the field when the custom property is not a number (a whole one for a length)
     */
    static BigDecimal rule(JsonNode field, String name) {
        JsonNode validate = field.path("validate").path(name);
        if (validate.isNumber()) {
            return validate.decimalValue();
        }
        JsonNode property = field.path("properties").path(name);
        if (property.isMissingNode() || property.isNull()) {
            return null;
        }
        BigDecimal number = number(property);
        boolean length = name.endsWith("Length");
        if (number == null || length && (number.signum() < 0 || number.stripTrailingZeros().scale() > 0)) {
            throw new IllegalArgumentException("field '" + field.path("key").asText() + "': custom property " + name + " is '"
                    + property.asText() + "', not " + (length ? "a whole number from 0" : "a number"));
        }
        return number;
    }

    /** {@code "acceptDecision = reject"}: holds when that value was submitted. */
    static boolean holds(String condition, JsonNode variables) {
        String[] parts = condition.split("=", 2);
        if (parts.length != 2) {
            return false;
        }
        JsonNode value = variables.path(parts[0].strip()).path("value");
        return value.isValueNode() && !value.isNull() && value.asText().equals(parts[1].strip());
    }

    private static String label(JsonNode field, String key) {
        String label = field.path("label").asText(field.path("dateLabel").asText(""));
        return label.isBlank() ? key : label.replaceAll("\\s*\\(.*\\)$", "");
    }

    private static BigDecimal number(JsonNode value) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        try {
            return new BigDecimal(value.asText().strip());
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    private static String format(BigDecimal number) {
        return number.stripTrailingZeros().scale() <= 0
                ? String.format(Locale.ROOT, "%,d", number.toBigInteger()) : number.toPlainString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 39) + "…";
    }

    private static void each(JsonNode node, Consumer<JsonNode> visit) {
        for (JsonNode component : node.path("components")) {
            visit.accept(component);
            each(component, visit);
        }
    }
}
