package io.leadflow.assignment;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.leadflow.lead.InvalidTaskInputException;
import io.leadflow.lead.LeadVariables;
import io.leadflow.security.CurrentUser;
import io.leadflow.web.InvalidFieldsException;
import io.leadflow.web.NotFoundException;
import io.leadflow.web.InvalidFieldsException.FieldProblem;

/**
 * "Apply rep availability change" (process "Manage rep availability", started by a sales manager
 * from Tasklist): an absence, or capacity and active, applied through {@link RepAvailability} as
 * the API does. Bad input fails the start with a message naming each field; nothing is written.
 */
@Component("applyRepAvailabilityChangeDelegate")
public class ApplyRepAvailabilityChangeDelegate implements JavaDelegate {

    public static final String CHANGE_ABSENCE = "absence";
    public static final String CHANGE_SETTINGS = "settings";

    /** The form's field names, to say which field is wrong in the form's words. */
    private static final Map<String, String> FORM_FIELDS = Map.of(
            "from", LeadVariables.ABSENCE_FROM, "to", LeadVariables.ABSENCE_TO, "reason", LeadVariables.ABSENCE_REASON,
            "capacity", LeadVariables.REP_CAPACITY, "active", LeadVariables.REP_ACTIVE);

    private static final Logger LOG = LoggerFactory.getLogger(ApplyRepAvailabilityChangeDelegate.class);

    private final RepAvailability availability;

    public ApplyRepAvailabilityChangeDelegate(RepAvailability availability) {
        this.availability = availability;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String rep = text(execution.getVariable(LeadVariables.REP_ID));
        String change = text(execution.getVariable(LeadVariables.AVAILABILITY_CHANGE));
        String by = CurrentUser.id(execution);
        List<FieldProblem> problems = new ArrayList<>();
        if (rep == null) {
            problems.add(new FieldProblem(LeadVariables.REP_ID, "is required (the rep's user id, e.g. sam)"));
        }
        if (!CHANGE_ABSENCE.equals(change) && !CHANGE_SETTINGS.equals(change)) {
            problems.add(new FieldProblem(LeadVariables.AVAILABILITY_CHANGE, "must be '" + CHANGE_ABSENCE + "' or '" + CHANGE_SETTINGS + "'"));
        }
        OffsetDateTime from = instant(execution.getVariable(LeadVariables.ABSENCE_FROM), LeadVariables.ABSENCE_FROM, problems);
        OffsetDateTime to = instant(execution.getVariable(LeadVariables.ABSENCE_TO), LeadVariables.ABSENCE_TO, problems);
        Integer capacity = number(execution.getVariable(LeadVariables.REP_CAPACITY), problems);
        // "keep" (the form's default) or nothing leaves the rep as they are: a checkbox that was ticked by
        // default reactivated a deactivated rep whenever the capacity was changed
        Boolean active = RepAvailabilityFormCheck.active(execution.getVariable(LeadVariables.REP_ACTIVE));
        refuse(problems);
        try {
            if (CHANGE_ABSENCE.equals(change)) {
                var absence = availability.addAbsence(rep, from, to, text(execution.getVariable(LeadVariables.ABSENCE_REASON)), by);
                LOG.info("Rep {} is absent from {} to {} (entered by {} in Tasklist)", rep, absence.from(), absence.to(), by);
            } else {
                var settings = availability.update(rep, capacity, active, by);
                LOG.info("Rep {}: capacity {}, active {} (set by {} in Tasklist)", rep, settings.capacity(), settings.active(), by);
            }
        } catch (InvalidFieldsException e) {
            refuse(e.errors().stream().map(p -> new FieldProblem(FORM_FIELDS.getOrDefault(p.field(), p.field()), p.reason())).toList());
        } catch (NotFoundException unknown) {
            refuse(List.of(new FieldProblem(LeadVariables.REP_ID, "is no sales rep of the rotation, was '" + rep + "'")));
        }
    }

    /** A refusal as Tasklist shows it, one line naming the first field (the others follow it), the engine logging it at DEBUG. */
    private static void refuse(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidTaskInputException("Rep availability", problems.get(0).field(),
                    String.join("; ", problems.stream().map(p -> (p == problems.get(0) ? "" : p.field() + " ") + p.reason()).toList()));
        }
    }

    private static String text(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString().strip();
    }

    private static OffsetDateTime instant(Object value, String field, List<FieldProblem> problems) {
        String text = text(value);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            problems.add(new FieldProblem(field, "must be a date and time with offset, e.g. 2026-12-01T09:00+01:00, was '" + text + "'"));
            return null;
        }
    }

    private static Integer number(Object value, List<FieldProblem> problems) {
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        try {
            return value instanceof Number n ? Math.toIntExact(n.longValue()) : Integer.valueOf(value.toString().strip());
        } catch (ArithmeticException | NumberFormatException e) {
            problems.add(new FieldProblem(LeadVariables.REP_CAPACITY, "must be a whole number, was '" + value + "'"));
            return null;
        }
    }
}
