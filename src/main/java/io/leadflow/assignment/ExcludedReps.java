package io.leadflow.assignment;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import org.camunda.bpm.engine.delegate.VariableScope;

import io.leadflow.lead.LeadVariables;

/** Reps who must not get this lead again (they rejected it as wrongly routed or let its SLA lapse). */
public final class ExcludedReps {

    private ExcludedReps() {
    }

    public static Set<String> of(VariableScope scope) {
        return parse(scope.getVariable(LeadVariables.EXCLUDED_REPS));
    }

    /** The reps of the variable's value (comma-separated), as read through the public API. */
    public static Set<String> parse(Object value) {
        Set<String> reps = new LinkedHashSet<>();
        if (value != null && !value.toString().isBlank()) {
            reps.addAll(Arrays.asList(value.toString().split(",")));
        }
        return reps;
    }

    public static void add(VariableScope scope, String rep) {
        Set<String> reps = of(scope);
        reps.add(rep);
        scope.setVariable(LeadVariables.EXCLUDED_REPS, String.join(",", reps));
    }
}
