package io.leadflow.security;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadflow.web.TextRules;

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

    /**
     * The longest text a form may submit, whatever its form says: the engine keeps a text variable in a
     * column of 4,000 characters, and PostgreSQL refuses a longer one (a 500, nothing saved).
     */
    static final int ENGINE_TEXT_LIMIT = 4_000;
    /** Control characters ({@link io.leadflow.web.TextRules#CONTROL_CHARACTER}); PostgreSQL refuses a NUL in text. */
    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile(io.leadflow.web.TextRules.CONTROL_CHARACTER);
    /** The same, but a text area's line breaks and tabs are its own. */
    private static final java.util.regex.Pattern MULTI_LINE_CONTROL = java.util.regex.Pattern.compile(
            "(?![\\n\\r\\t])" + io.leadflow.web.TextRules.CONTROL_CHARACTER);

    /** The rules that may be custom properties besides {@code requiredWhen}, named as in form-js's {@code validate}. */
    private static final List<String> CUSTOM_RULES = List.of("min", "max", "minLength", "maxLength");

    private FormInput() {
    }

    /** @param variables the REST body's {@code variables}: {@code {"name": {"value": …, "type": …}}} */
    public static List<Problem> check(JsonNode form, JsonNode variables) {
        return check(form, variables, java.util.Set.of());
    }

    /**
     * @param variables the REST body's {@code variables}: {@code {"name": {"value": …, "type": …}}}
     * @param alreadySet the variables the task's scope has already (a form shows them prefilled, and a
     *                   client that leaves one out keeps its value): a required field left out is refused
     *                   only when it is not among them
     */
    public static List<Problem> check(JsonNode form, JsonNode variables, java.util.Set<String> alreadySet) {
        return check(form, variables, alreadySet, null);
    }

    /**
     * @param now the time in the agreement's zone, for a date field that disallows passed dates (form-js's
     *            {@code disallowPassedDates}, which only the browser's date picker kept): it must be its day
     *            or later; null: not checked
     */
    public static List<Problem> check(JsonNode form, JsonNode variables, java.util.Set<String> alreadySet, java.time.ZonedDateTime now) {
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
            JsonNode rules = field.path("validate");
            String label = label(field, key);
            if (submitted.isMissingNode() && rules.path("required").asBoolean(false) && !alreadySet.contains(key)) {
                // form-js always sends a field it shows, and a field with a form-js rule is never hidden
                // (the model checks): a client that leaves a required one out would reach the model without it
                problems.add(new Problem(key, label, "is required"));
                return;
            }
            if (submitted.isMissingNode() && (requiredWhen == null || !holds(requiredWhen, variables))) {
                return; // not submitted: hidden, or not needed for this choice (the delegate decides)
            }
            JsonNode value = submitted.path("value");
            BigDecimal minLength = rule(field, "minLength");
            BigDecimal maxLength = rule(field, "maxLength");
            BigDecimal min = rule(field, "min");
            BigDecimal max = rule(field, "max");
            boolean empty = value.isNull() || value.isMissingNode() || value.isTextual() && blank(value.asText());
            boolean required = rules.path("required").asBoolean(false) || requiredWhen != null && holds(requiredWhen, variables);
            if (empty) {
                if (required || value.isTextual() && !value.asText().isEmpty() && minLength != null) {
                    problems.add(new Problem(key, label, value.isTextual() && !value.asText().isEmpty()
                            ? "must not be only spaces" : requiredWhen != null && !rules.path("required").asBoolean(false)
                            ? "is required when " + condition(requiredWhen, fields) : "is required"));
                }
                return;
            }
            String type = field.path("type").asText();
            if (value.isTextual()) {
                String text = value.asText();
                if (text.length() > ENGINE_TEXT_LIMIT) {
                    problems.add(new Problem(key, label, String.format(Locale.ROOT,
                            "must be at most %,d characters (what the engine stores in a text variable), was %,d", ENGINE_TEXT_LIMIT, text.length())));
                    return;
                }
                if (("textarea".equals(type) ? MULTI_LINE_CONTROL : CONTROL).matcher(text).find()) {
                    problems.add(new Problem(key, label, io.leadflow.web.TextRules.NO_CONTROL_CHARACTERS_MESSAGE));
                    return;
                }
            }
            if ("checkbox".equals(type) && !value.isBoolean() && !List.of("true", "false").contains(value.asText())) {
                problems.add(new Problem(key, label, "must be true or false"));
                return;
            }
            if ("datetime".equals(type)) {
                String dateProblem = dateProblem(field.path("subtype").asText("datetime"), value.asText(),
                        field.path("disallowPassedDates").asBoolean(false) ? now : null);
                if (dateProblem != null) {
                    problems.add(new Problem(key, label, dateProblem));
                    return;
                }
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
            if ("number".equals(field.path("type").asText()) && field.path("decimalDigits").canConvertToInt()) {
                // form-js rounds in the browser only; a client sends what it likes
                int digits = field.path("decimalDigits").asInt();
                BigDecimal number = number(value);
                if (number != null && number.stripTrailingZeros().scale() > digits) {
                    problems.add(new Problem(key, label, digits == 0 ? "must be a whole number, was " + value.asText()
                            : "must have at most " + digits + " decimal places, was " + value.asText()));
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
     * The fields a condition can hide (a {@code conditional} of their own or of a group around them)
     * that carry a form-js rule ({@code validate}), each as {@code "key [rules]"}: form-js 1.x keeps such
     * a field's error once the condition hides it, and Tasklist keeps "Complete" disabled while any
     * error is kept. Such a rule belongs in a custom property. The model checks hold the repository's
     * forms to it, the deployment check a form deployed from Modeler.
     */
    public static List<String> lockingRules(JsonNode form) {
        return lockingRules(form.path("components"), false);
    }

    private static List<String> lockingRules(JsonNode components, boolean hideable) {
        List<String> found = new ArrayList<>();
        for (JsonNode component : components) {
            boolean hidden = hideable || component.hasNonNull("conditional");
            List<String> rules = new ArrayList<>();
            component.path("validate").fields().forEachRemaining(rule -> {
                if (!rule.getValue().isNull() && !rule.getValue().equals(com.fasterxml.jackson.databind.node.BooleanNode.FALSE)) {
                    rules.add(rule.getKey());
                }
            });
            if (hidden && !rules.isEmpty()) {
                found.add(component.path("key").asText(component.path("id").asText()) + " " + rules);
            }
            found.addAll(lockingRules(component.path("components"), hidden));
        }
        return found;
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

    /** Only spaces of any kind, no-break spaces included (which {@link String#strip()} keeps). */
    static boolean blank(String text) {
        return text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
    }

    /**
     * What is wrong with a date field's value, or null: a form-js date ({@code 2027-03-01}, a time
     * after it allowed) or date-time with offset ({@code 2026-12-01T09:00:00+01:00}), from 1970 to 9999,
     * and not a day before {@code notBefore}'s (null: any day).
     */
    static String dateProblem(String subtype, String text, java.time.ZonedDateTime notBefore) {
        try {
            java.time.LocalDate day;
            if ("date".equals(subtype)) {
                if (!text.matches("\\d{4}-\\d{2}-\\d{2}(T.*)?")) {
                    return "must be a date like 2027-03-01";
                }
                day = java.time.LocalDate.parse(text.substring(0, 10));
            } else {
                java.time.OffsetDateTime time = java.time.OffsetDateTime.parse(text);
                day = notBefore == null ? time.toLocalDate() : time.atZoneSameInstant(notBefore.getZone()).toLocalDate();
            }
            if (day.getYear() < 1970 || day.getYear() > 9999) {
                return "must be a date from 1970 to 9999";
            }
            return notBefore != null && day.isBefore(notBefore.toLocalDate())
                    ? "must be today (" + notBefore.toLocalDate() + ") or later, not a day that has passed" : null;
        } catch (java.time.format.DateTimeParseException notADate) {
            return "date".equals(subtype) ? "must be a date like 2027-03-01" : "must be a date and time with offset like 2026-12-01T09:00:00+01:00";
        }
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

    /**
     * {@code "acceptDecision = reject"} in the form's words, as the user chose it: {@code Decision is "Reject"}
     * (the field's label and the option's; the key and the value where the form has none).
     */
    static String condition(String requiredWhen, Map<String, JsonNode> fields) {
        String[] parts = requiredWhen.split("=", 2);
        if (parts.length != 2) {
            return requiredWhen;
        }
        String key = parts[0].strip();
        String value = parts[1].strip();
        JsonNode field = fields.get(key);
        if (field == null) {
            return key + " is " + value;
        }
        String option = value;
        for (JsonNode choice : field.path("values")) {
            if (value.equals(choice.path("value").asText())) {
                option = choice.path("label").asText(value);
            }
        }
        return label(field, key) + " is \"" + option + "\"";
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
        return text.length() <= 40 ? text : TextRules.cut(text, 39) + "…";
    }

    private static void each(JsonNode node, Consumer<JsonNode> visit) {
        for (JsonNode component : node.path("components")) {
            visit.accept(component);
            each(component, visit);
        }
    }
}
