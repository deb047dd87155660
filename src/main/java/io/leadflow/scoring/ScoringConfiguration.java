package io.leadflow.scoring;

import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.RepositoryService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Scoring evaluates the deployed tables without the engine's decision history (see {@link
 * DeployedScoringTables}); {@code leadflow.scoring.decision-history=true} records every scoring
 * evaluation in the engine's history again (Cockpit's decision instances), at 19 rows per
 * scoring.
 */
@Configuration(proxyBeanMethods = false)
public class ScoringConfiguration {

    @Bean
    ScoringTables scoringTables(@Value("${leadflow.scoring.decision-history:false}") boolean decisionHistory,
                                @Value("${leadflow.dmn.caching-feel-engine:true}") boolean cachingFeel,
                                DecisionService decisions, RepositoryService repository) {
        return decisionHistory ? ScoringTables.recordedBy(decisions) : new DeployedScoringTables(repository, cachingFeel);
    }
}
