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
 * <li>the rules form-js checks in the browser: {@code required}, {@code minLength}/{@code maxLength}
 *     (on the trimmed text, as form-js does: a required text of only spaces is refused),
 *     {@code min}/{@code max}, and one of the offered values of a select or radio;</li>
 * <li>{@code properties.requiredWhen} ({@code "acceptDecision = reject"}): a field that is needed only
 *     for one choice. Such a field carries no {@code required} for form-js, because form-js 1.x keeps
 *     the error of a field that a condition then hides, and Tasklist disables "Complete" while any error
 *     is kept: a form that shows a field only for one choice would lock after a failed submit when the
 *     user changes the choice. The form shows it; this check (and the delegate) requires it.</li>
 * </ul>
 * Fields that are hidden are not submitted by form-js, so only submitted values are checked, and
 * {@code requiredWhen} only when its condition holds among the submitted values.
 */
public final class FormInput {

    public record Problem(String field, String label, String reason) {
        public String text() {
            return label + " (" + field + "): " + reason;
        }
    }

    private FormInput() {
    }

    /** @param variables the REST body's {@code variables}: {@code {"name": {"value": …, "type": …}}} */
    public static List<Problem> check(JsonNode form, JsonNode variables) {
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
            boolean empty = value.isNull() || value.isMissingNode() || value.isTextual() && value.asText().strip().isEmpty();
            boolean required = rules.path("required").asBoolean(false) || requiredWhen != null && holds(requiredWhen, variables);
            if (empty) {
                if (required || value.isTextual() && !value.asText().isEmpty() && rules.has("minLength")) {
                    problems.add(new Problem(key, label, value.isTextual() && !value.asText().isEmpty()
                            ? "must not be only spaces" : requiredWhen != null && !rules.path("required").asBoolean(false)
                            ? "is required when " + requiredWhen.replace(" = ", " is ") : "is required"));
                }
                return;
            }
            if (value.isTextual()) {
                String text = value.asText();
                int length = text.strip().length();
                if (rules.has("maxLength") && length > rules.path("maxLength").asInt()) {
                    problems.add(new Problem(key, label, String.format(Locale.ROOT, "must be at most %,d characters, was %,d",
                            rules.path("maxLength").asInt(), length)));
                }
                if (rules.has("minLength") && length < rules.path("minLength").asInt()) {
                    problems.add(new Problem(key, label, "must be at least " + rules.path("minLength").asInt() + " characters"));
                }
            }
            if (rules.has("min") || rules.has("max")) {
                BigDecimal number = number(value);
                if (number == null) {
                    problems.add(new Problem(key, label, "must be a number"));
                } else if (rules.has("min") && number.compareTo(rules.path("min").decimalValue()) < 0) {
                    problems.add(new Problem(key, label, "must be at least " + format(rules.path("min").decimalValue())));
                } else if (rules.has("max") && number.compareTo(rules.path("max").decimalValue()) > 0) {
                    problems.add(new Problem(key, label, "must be at most " + format(rules.path("max").decimalValue())
                            + ", was " + format(number)));
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
