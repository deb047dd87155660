package io.leadflow.scoring;

import java.util.Map;

import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.engine.DecisionService;

/**
 * Where the scorer evaluates its DMN tables ({@code leadFit}, {@code leadFitGrade},
 * {@code engagementPoints}): the latest deployed version of each, or, through {@link #pinned()},
 * the versions that were latest when it was called.
 */
@FunctionalInterface
public interface ScoringTables {

    DmnDecisionResult evaluate(String decisionKey, Map<String, Object> variables);

    /**
     * The tables at the versions deployed now: every evaluation through the result uses the same
     * version of each table, from any thread. The scorer takes one per scoring (one lookup of the
     * versions, all three tables of the same moment); an import takes one for all its rows. Tables
     * that cannot be pinned return themselves.
     */
    default ScoringTables pinned() {
        return this;
    }

    /**
     * Which version of each scoring table these are, for the lead record's explanation ("leadFit
     * version 3 (2026.12)"): after a table changes, a lead scored before still says which rules gave
     * its points. Null when not known (tables looked up at each evaluation).
     */
    default String versions() {
        return null;
    }

    /**
     * Through the engine's decision service: every evaluation is also written to the engine's
     * decision history (an instance row, a row per input and per output at history level full).
     */
    static ScoringTables recordedBy(DecisionService decisions) {
        return (key, variables) -> decisions.evaluateDecisionByKey(key).variables(variables).evaluate();
    }
}
