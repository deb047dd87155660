package io.leadflow.scoring;

import java.util.Map;

import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.engine.DecisionService;

/**
 * Where the scorer evaluates its DMN tables ({@code leadFit}, {@code leadFitGrade},
 * {@code engagementPoints}): always the latest deployed version of each.
 */
@FunctionalInterface
public interface ScoringTables {

    DmnDecisionResult evaluate(String decisionKey, Map<String, Object> variables);

    /** The tables for one scoring of one lead: each table's version is the same for all its evaluations. */
    default ScoringTables forOneScoring() {
        return this;
    }

    /**
     * Through the engine's decision service: every evaluation is also written to the engine's
     * decision history (an instance row, a row per input and per output at history level full).
     */
    static ScoringTables recordedBy(DecisionService decisions) {
        return (key, variables) -> decisions.evaluateDecisionByKey(key).variables(variables).evaluate();
    }
}
