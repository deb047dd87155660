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
    }

    /** A readable list of the attempts so far, newest last, for the forms. */
    public static String describeAttempts(List<LeadRepository.AttemptRow> attempts) {
        if (attempts.isEmpty()) {
            return "No attempts yet.";
        }
        return attempts.stream()
                .map(a -> "#" + a.attemptNumber() + " " + a.attemptedAt().toLocalDate() + " by " + a.channel() + ": "
                        + a.outcome() + (a.note() == null || a.note().isBlank() ? "" : " (" + a.note() + ")"))
                .collect(Collectors.joining("\n"));
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
