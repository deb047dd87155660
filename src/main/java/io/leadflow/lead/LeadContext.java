package io.leadflow.lead;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.VariableScope;

/**
 * Copies what the forms show about a lead from the record into process variables. The record is
 * the source: the variables are a copy for the forms and Tasklist's columns, made when a person is
 * about to work on the lead (its user tasks, {@link LeadTaskListener}) and when a form changed the
 * record ("Fix lead data"). A lead that waits in nurture, as most leads do, has no contact data in
 * the engine's tables.
 */
public final class LeadContext {

    private LeadContext() {
    }

    /**
     * The contact data and the score's explanation as the record has them now, written only where a
     * variable is missing or differs: a task that comes round again with nothing changed writes nothing.
     */
    public static void showLead(VariableScope scope, Lead lead) {
        shown(lead).forEach((name, value) -> {
            if (!scope.hasVariable(name) || !Objects.equals(scope.getVariable(name), value)) {
                scope.setVariable(name, value);
            }
        });
    }

    private static Map<String, Object> shown(Lead lead) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put(LeadVariables.LEAD_ID, lead.id());
        shown.put(LeadVariables.CONTACT_NAME, lead.contactName());
        shown.put(LeadVariables.FIRST_NAME, lead.firstName());
        shown.put(LeadVariables.LAST_NAME, lead.lastName());
        shown.put(LeadVariables.EMAIL, lead.email());
        shown.put(LeadVariables.PHONE, lead.phone());
        shown.put(LeadVariables.COMPANY_NAME, lead.company());
        shown.put(LeadVariables.JOB_TITLE, lead.jobTitle());
        shown.put(LeadVariables.ROLE, lead.role());
        shown.put(LeadVariables.INDUSTRY, lead.industry());
        shown.put(LeadVariables.COMPANY_SIZE, lead.companySize());
        shown.put(LeadVariables.COUNTRY, lead.country());
        shown.put(LeadVariables.SOURCE, lead.source());
        shown.put(LeadVariables.SCORE_EXPLANATION, lead.scoreExplanation());
        return shown;
    }

    /** How many attempts {@link #describeAttempts} lists, and how much of each note. */
    public static final int ATTEMPTS_SHOWN = 5;
    public static final int NOTE_SHOWN = 300;

    /** Outcomes as the Contact lead form names them ("by phone: no answer", not "noAnswer"). */
    static final java.util.Map<String, String> OUTCOMES = java.util.Map.of(
            "connected", "connected", "noAnswer", "no answer", "voicemail", "left a voicemail",
            "wrongNumber", "wrong number", "doNotContact", "asked not to be contacted");

    /**
     * A readable list of the latest attempts, newest last, for the forms. Bounded however many
     * attempts and however long their notes (at most about 2,000 characters): the last
     * {@value #ATTEMPTS_SHOWN} attempts, each note cut to {@value #NOTE_SHOWN} characters with "…".
     * The whole notes stay in the lead record (table lead_attempt, GET /api/leads/{id}).
     */
    public static String describeAttempts(List<LeadRepository.AttemptRow> attempts, java.time.ZoneId zone) {
        if (attempts.isEmpty()) {
            return "No attempts yet.";
        }
        int hidden = Math.max(0, attempts.size() - ATTEMPTS_SHOWN);
        String shown = attempts.subList(hidden, attempts.size()).stream()
                .map(a -> "#" + a.attemptNumber() + " " + a.attemptedAt().atZoneSameInstant(zone).toLocalDate() + " by " + a.channel() + ": "
                        + OUTCOMES.getOrDefault(a.outcome(), a.outcome()) + (a.note() == null || a.note().isBlank() ? ""
                        : " (" + TaskInput.abbreviate(a.note().strip(), NOTE_SHOWN) + ")"))
                .collect(Collectors.joining("\n"));
        return hidden == 0 ? shown
                : hidden + (hidden == 1 ? " earlier attempt" : " earlier attempts") + " not shown (see the lead record)\n" + shown;
    }

    /**
     * The lead this step works on: the {@code leadId} variable, held against the process's business
     * key, which the app gives every lead process (the lead's number; the lead id for a lifecycle
     * started before lead numbers). A model may set variables but not a business key: a process
     * deployed to run the app's steps on another lead (a timer start and {@code
     * execution.setVariable('leadId', …)}, which overwrote a lead's contact data) fails here, as an
     * incident, instead of changing that lead.
     */
    public static String leadId(DelegateExecution execution, LeadRepository leads) {
        String leadId = text(execution, LeadVariables.LEAD_ID);
        if (leadId != null) {
            requireOwn(execution, leadId, () -> leads.findNumber(leadId).orElse(null));
        }
        return leadId;
    }

    /**
     * The lead this step works on, read once and held against the business key as {@link #leadId}
     * holds it (a step that reads the lead anyway does not read its number a second time); empty when
     * the process names no lead, or names one without a row under its own id as key.
     */
    public static java.util.Optional<Lead> lead(DelegateExecution execution, LeadRepository leads) {
        String leadId = text(execution, LeadVariables.LEAD_ID);
        if (leadId == null) {
            return java.util.Optional.empty();
        }
        java.util.Optional<Lead> lead = leads.findById(leadId);
        requireOwn(execution, leadId, () -> lead.map(Lead::number).orElse(null));
        return lead;
    }

    private static void requireOwn(DelegateExecution execution, String leadId, java.util.function.Supplier<String> number) {
        String key = execution.getProcessBusinessKey();
        if (leadId.equals(key) || (key != null && key.equals(number.get()))) {
            return;
        }
        throw new ProcessEngineException("Lead " + leadId + " is not the lead of this process (business key " + key
                + "): a step works only on the lead whose process it is in");
    }

    public static String text(VariableScope scope, String name) {
        Object value = scope.getVariable(name);
        return value == null ? null : value.toString();
    }

    public static Integer integer(VariableScope scope, String name) {
        Object value = scope.getVariable(name);
        if (value == null || (value instanceof String s && s.isBlank())) {
            return null;
        }
        if (value instanceof Number n) {
            return n.intValue();
        }
        return Integer.valueOf(value.toString().trim());
    }

    public static boolean flag(VariableScope scope, String name) {
        Object value = scope.getVariable(name);
        return value instanceof Boolean b ? b : value != null && Boolean.parseBoolean(value.toString());
    }
}
