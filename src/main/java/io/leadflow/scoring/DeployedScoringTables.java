package io.leadflow.scoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DecisionDefinition;

import io.leadflow.platform.CamundaInternals.CachingFeelEngine;

/**
 * The scoring tables evaluated without the engine's decision history: the latest deployed version of
 * each table (looked up for every scoring, so a table deployed from Modeler applies to the next
 * lead at once; an import looks them up once, when it starts), parsed once per deployed version,
 * evaluated by a DMN engine of its own with the same FEEL. The lead record keeps what the history
 * would have explained — every rule that gave points, with its reason ({@code lead_score_reason},
 * the lead record's score explanation) — so a capture writes 19 fewer rows (three decision
 * instances with their inputs and outputs). The MQL decision, a business rule task of the
 * lifecycle, stays in the engine's history.
 */
public class DeployedScoringTables implements ScoringTables {

    /** Deployed versions are immutable; a bound keeps many redeploys from growing the cache forever. */
    static final int MAX_CACHED_VERSIONS = 1_000;
    /** The tables the scorer evaluates, as the explanation names them. */
    static final List<String> SCORING_TABLES = List.of("leadFit", "leadFitGrade", "engagementPoints");

    private final RepositoryService repository;
    private final DmnEngine dmn;
    private final Map<String, DmnDecision> parsed = new ConcurrentHashMap<>();

    public DeployedScoringTables(RepositoryService repository, boolean cachingFeel) {
        this.repository = repository;
        this.dmn = CachingFeelEngine.dmnEngine(cachingFeel);
    }

    @Override
    public DmnDecisionResult evaluate(String decisionKey, Map<String, Object> variables) {
        return dmn.evaluateDecision(latest(decisionKey), variables);
    }

    /**
     * Looks the latest version of every table up now, in one query: one lookup per table cost a
     * capture three of the engine's decision queries, and an import one query per row.
     */
    @Override
    public ScoringTables pinned() {
        Map<String, DecisionDefinition> latestByKey = new HashMap<>();
        repository.createDecisionDefinitionQuery().withoutTenantId().latestVersion().list()
                .forEach(definition -> latestByKey.put(definition.getKey(), definition));
        return new Pinned(latestByKey);
    }

    /** The versions of one moment; read-only after construction, so it serves several threads. */
    private final class Pinned implements ScoringTables {

        private final Map<String, DecisionDefinition> latestByKey;

        Pinned(Map<String, DecisionDefinition> latestByKey) {
            this.latestByKey = latestByKey;
        }

        @Override
        public DmnDecisionResult evaluate(String decisionKey, Map<String, Object> variables) {
            DecisionDefinition definition = latestByKey.get(decisionKey);
            // parsed when used: another table deployed beside them is none of the scoring's business
            return dmn.evaluateDecision(definition != null ? parsed(definition) : latest(decisionKey), variables);
        }

        @Override
        public ScoringTables pinned() {
            return this;
        }

        @Override
        public String versions() {
            List<String> versions = new ArrayList<>();
            for (String key : SCORING_TABLES) {
                DecisionDefinition definition = latestByKey.get(key);
                if (definition != null) {
                    versions.add(key + " version " + definition.getVersion()
                            + (definition.getVersionTag() == null ? "" : " (" + definition.getVersionTag() + ")"));
                }
            }
            return versions.isEmpty() ? null : String.join(", ", versions);
        }
    }

    private DmnDecision latest(String decisionKey) {
        DecisionDefinition latest = repository.createDecisionDefinitionQuery().decisionDefinitionKey(decisionKey)
                .withoutTenantId().latestVersion().singleResult();
        if (latest == null) {
            throw new IllegalStateException("No decision '" + decisionKey + "' is deployed");
        }
        return parsed(latest);
    }

    private DmnDecision parsed(DecisionDefinition definition) {
        DmnDecision decision = parsed.get(definition.getId());
        if (decision == null) {
            if (parsed.size() >= MAX_CACHED_VERSIONS) {
                parsed.clear();
            }
            decision = dmn.parseDecision(definition.getKey(), repository.getDmnModelInstance(definition.getId()));
            parsed.put(definition.getId(), decision);
        }
        return decision;
    }
}
