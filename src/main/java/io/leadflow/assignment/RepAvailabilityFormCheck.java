package io.leadflow.assignment;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadflow.lead.LeadVariables;
import io.leadflow.security.FormInput;
import io.leadflow.web.InvalidFieldsException.FieldProblem;

/**
 * The start form "Manage rep availability" held to the rules of {@link RepAvailability} before a
 * process starts, so Tasklist answers in the form's words with a 400: a rep leadflow does not know,
 * an absence that ends before it begins or lasts longer than a year, a settings change that changes
 * nothing. Checked inside the engine they were a 500 ("Cannot instantiate process definition …")
 * and an ERROR with its stack trace for a typo in a name.
 */
@Component
public class RepAvailabilityFormCheck {

    public static final String FORM_ID = "rep-availability";

    /** The rules' fields → the form's key and label. */
    private static final Map<String, String[]> FIELDS = Map.of(
            "from", new String[] {LeadVariables.ABSENCE_FROM, "Out of office from"},
            "to", new String[] {LeadVariables.ABSENCE_TO, "Back on"},
            "reason", new String[] {LeadVariables.ABSENCE_REASON, "Reason"},
            "capacity", new String[] {LeadVariables.REP_CAPACITY, "Capacity"},
            "active", new String[] {LeadVariables.REP_ACTIVE, "Takes leads"});

    private final RepAvailability availability;

    public RepAvailabilityFormCheck(RepAvailability availability) {
        this.availability = availability;
    }

    /** @param variables the start's {@code variables}: {@code {"name": {"value": …}}}, already held to the form's own rules */
    public List<FormInput.Problem> check(JsonNode variables) {
        List<FormInput.Problem> problems = new ArrayList<>();
        String rep = text(variables.path(LeadVariables.REP_ID).path("value"));
        if (rep != null && !availability.knows(rep)) {
            problems.add(new FormInput.Problem(LeadVariables.REP_ID, "Sales rep",
                    "is no sales rep of the rotation (a user of the group sales), was '" + rep + "'"));
        }
        String change = text(variables.path(LeadVariables.AVAILABILITY_CHANGE).path("value"));
        List<FieldProblem> rules = List.of();
        if (ApplyRepAvailabilityChangeDelegate.CHANGE_ABSENCE.equals(change)) {
            rules = availability.absenceProblems(instant(variables.path(LeadVariables.ABSENCE_FROM).path("value")),
                    instant(variables.path(LeadVariables.ABSENCE_TO).path("value")),
                    text(variables.path(LeadVariables.ABSENCE_REASON).path("value")));
        } else if (ApplyRepAvailabilityChangeDelegate.CHANGE_SETTINGS.equals(change)) {
            JsonNode capacity = variables.path(LeadVariables.REP_CAPACITY).path("value");
            rules = availability.settingsProblems(capacity.isNumber() ? Integer.valueOf(capacity.intValue()) : null,
                    active(variables.path(LeadVariables.REP_ACTIVE).path("value")));
        }
        for (FieldProblem rule : rules) {
            String[] field = FIELDS.getOrDefault(rule.field(), new String[] {rule.field(), rule.field()});
            problems.add(new FormInput.Problem(field[0], field[1], inTheFormsWords(rule.reason())));
        }
        return problems;
    }

    /** The rules' reasons name the API's fields; the form has labels. */
    static String inTheFormsWords(String reason) {
        return reason.replace("after from", "after Out of office from").replace("(active false)", "(Takes leads: No)")
                .replace("give capacity or active (or both)", "give a capacity or change whether the rep takes leads (or both)");
    }

    /** The form's choice ({@code keep}, {@code yes}, {@code no}), or a true/false: null leaves the rep as they are. */
    static Boolean active(Object value) {
        Object choice = value instanceof JsonNode node ? (node.isBoolean() ? Boolean.valueOf(node.booleanValue()) : node.isTextual() ? node.textValue() : null)
                : value;
        if (choice instanceof Boolean flag) {
            return flag;
        }
        if (choice == null) {
            return null;
        }
        return switch (choice.toString().strip()) {
            case "yes", "true" -> Boolean.TRUE;
            case "no", "false" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static String text(JsonNode value) {
        return value.isValueNode() && !value.isNull() && !value.asText().isBlank() ? value.asText().strip() : null;
    }

    private static OffsetDateTime instant(JsonNode value) {
        try {
            return text(value) == null ? null : OffsetDateTime.parse(text(value));
        } catch (DateTimeParseException unreadable) {
            return null; // the form's date rule names it
        }
    }
}
