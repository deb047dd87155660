package io.leadflow.capture;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadflow.security.FormInput;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

/**
 * The start form "Lead captured" checked with the API's own rules ({@link LeadCaptureRequest}) before
 * a process starts, so Tasklist answers a bad entry with the form's labels ("Phone (phone): may contain
 * only digits…") as a 400, not with an engine exception naming a record component.
 */
public final class CaptureFormCheck {

    public static final String FORM_ID = "capture-lead";

    /** Record component → form field key and label. */
    private static final Map<String, String[]> FIELDS = Map.ofEntries(
            Map.entry("email", new String[] {"email", "Email"}),
            Map.entry("firstName", new String[] {"firstName", "First name"}),
            Map.entry("lastName", new String[] {"lastName", "Last name"}),
            Map.entry("phone", new String[] {"phone", "Phone"}),
            Map.entry("company", new String[] {"companyName", "Company"}),
            Map.entry("jobTitle", new String[] {"jobTitle", "Job title"}),
            Map.entry("role", new String[] {"role", "Role"}),
            Map.entry("industry", new String[] {"industry", "Industry"}),
            Map.entry("companySize", new String[] {"companySize", "Company size"}),
            Map.entry("country", new String[] {"country", "Country"}),
            Map.entry("source", new String[] {"source", "Source"}),
            Map.entry("campaign", new String[] {"campaign", "Campaign"}));

    private static final class Holder {
        static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
        static final Validator VALIDATOR = FACTORY.getValidator();
    }

    private CaptureFormCheck() {
    }

    public static List<FormInput.Problem> check(JsonNode variables) {
        JsonNode size = variables.path("companySize").path("value");
        Integer companySize = size.canConvertToInt() && (size.isIntegralNumber() || size.isTextual() && size.asText().matches("\\d{1,9}"))
                ? Integer.valueOf(size.asInt()) : null;
        LeadCaptureRequest request = new LeadCaptureRequest(text(variables, "email"), text(variables, "firstName"),
                text(variables, "lastName"), text(variables, "phone"), text(variables, "companyName"), text(variables, "jobTitle"),
                text(variables, "role"), text(variables, "industry"), companySize, text(variables, "country"),
                text(variables, "source") == null ? "manual" : text(variables, "source"), text(variables, "campaign"));
        return Holder.VALIDATOR.validate(request).stream()
                .map(v -> {
                    String[] field = FIELDS.getOrDefault(v.getPropertyPath().toString(),
                            new String[] {v.getPropertyPath().toString(), v.getPropertyPath().toString()});
                    return new FormInput.Problem(field[0], field[1], v.getMessage());
                })
                .sorted(Comparator.comparing(FormInput.Problem::text))
                .toList();
    }

    private static String text(JsonNode variables, String key) {
        JsonNode value = variables.path(key).path("value");
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }
}
