package io.leadflow.lead;

import java.util.List;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.delegate.VariableScope;

/** Copies what the forms show about a lead from the record into process variables. */
public final class LeadContext {

    private LeadContext() {
    }

    public static void putContactData(VariableScope scope, Lead lead) {
        scope.setVariable(LeadVariables.LEAD_ID, lead.id());
        scope.setVariable(LeadVariables.CONTACT_NAME, lead.contactName());
        scope.setVariable(LeadVariables.FIRST_NAME, lead.firstName());
        scope.setVariable(LeadVariables.LAST_NAME, lead.lastName());
        scope.setVariable(LeadVariables.EMAIL, lead.email());
        scope.setVariable(LeadVariables.PHONE, lead.phone());
        scope.setVariable(LeadVariables.COMPANY_NAME, lead.company());
        scope.setVariable(LeadVariables.JOB_TITLE, lead.jobTitle());
        scope.setVariable(LeadVariables.ROLE, lead.role());
        scope.setVariable(LeadVariables.INDUSTRY, lead.industry());
        scope.setVariable(LeadVariables.COMPANY_SIZE, lead.companySize());
        scope.setVariable(LeadVariables.COUNTRY, lead.country());
        scope.setVariable(LeadVariables.SOURCE, lead.source());
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
    public static String describeAttempts(List<LeadRepository.AttemptRow> attempts) {
        if (attempts.isEmpty()) {
            return "No attempts yet.";
        }
        int hidden = Math.max(0, attempts.size() - ATTEMPTS_SHOWN);
        String shown = attempts.subList(hidden, attempts.size()).stream()
                .map(a -> "#" + a.attemptNumber() + " " + a.attemptedAt().toLocalDate() + " by " + a.channel() + ": "
                        + OUTCOMES.getOrDefault(a.outcome(), a.outcome()) + (a.note() == null || a.note().isBlank() ? ""
                        : " (" + TaskInput.abbreviate(a.note().strip(), NOTE_SHOWN) + ")"))
                .collect(Collectors.joining("\n"));
        return hidden == 0 ? shown
                : hidden + (hidden == 1 ? " earlier attempt" : " earlier attempts") + " not shown (see the lead record)\n" + shown;
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
