package io.leadflow.platform;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes leadflow's history level {@value HistoryWithoutVariableDetails#NAME} known to the engine (a
 * process engine plugin, picked up by the Camunda starter); {@code camunda.bpm.history-level} chooses it.
 * And the engine's ids: {@link NodeUniqueIds} replaces the starter's default generator. And its
 * entity manager checks the id of each row it inserts without describing the row first
 * ({@link CamundaInternals.IdCheckWithoutToString}). And its authorization checks take the user's groups
 * as they are instead of scanning the authorization table for them in every command
 * ({@link CamundaInternals.AuthorizationsWithoutGroupScan}; {@code leadflow.authorizations.skip-group-scan=false}
 * leaves the engine's own). And it runs no scripts ({@link CamundaInternals.NoScripts}). And only a
 * task's assignee, or anyone when nobody is, completes it ({@link io.leadflow.security.OnlyTheAssigneeCompletes}
 * on every user task, {@link CamundaInternals.EveryUserTask}).
 * <p>
 * Each bean's type is a class of {@link CamundaInternals}: the starter finds plugins and the id
 * generator by their engine-internal types ({@code ProcessEnginePlugin}, {@code IdGenerator}), so
 * the bean methods declare the types that implement them.
 */
@Configuration(proxyBeanMethods = false)
public class EngineExtensionsConfiguration {

    @Bean
    CamundaInternals.HistoryLevelWithoutVariableDetails.Plugin historyWithoutVariableDetailsPlugin() {
        return new CamundaInternals.HistoryLevelWithoutVariableDetails.Plugin();
    }

    @Bean
    CamundaInternals.IdCheckWithoutToString.Plugin idCheckWithoutToStringPlugin() {
        return new CamundaInternals.IdCheckWithoutToString.Plugin();
    }

    @Bean
    @ConditionalOnProperty(name = "leadflow.authorizations.skip-group-scan", havingValue = "true", matchIfMissing = true)
    CamundaInternals.AuthorizationsWithoutGroupScan.Plugin authorizationsWithoutGroupScanPlugin() {
        return new CamundaInternals.AuthorizationsWithoutGroupScan.Plugin();
    }

    @Bean
    CamundaInternals.NoScripts.Plugin noScriptsPlugin() {
        return new CamundaInternals.NoScripts.Plugin();
    }

    /** Only a task's assignee (or anyone, when nobody is) completes it, checked in the engine's own transaction. */
    @Bean
    CamundaInternals.EveryUserTask.Plugin onlyTheAssigneeCompletesPlugin() {
        return new CamundaInternals.EveryUserTask.Plugin(org.camunda.bpm.engine.delegate.TaskListener.EVENTNAME_COMPLETE,
                new io.leadflow.security.OnlyTheAssigneeCompletes());
    }

    /** A job failing in a way no retry mends ({@link NotRetryable}: a webhook's 4xx) is an incident at once. */
    @Bean
    CamundaInternals.NoRetriesForRefusals.Plugin noRetriesForRefusalsPlugin() {
        return new CamundaInternals.NoRetriesForRefusals.Plugin();
    }

    /** A job the full job pool turns away runs in the acquisition thread, never left locked for the next acquisition. */
    @Bean
    CamundaInternals.RejectedJobsRunHere.Plugin rejectedJobsRunHerePlugin() {
        return new CamundaInternals.RejectedJobsRunHere.Plugin();
    }

    @Bean
    CamundaInternals.NodeUniqueIdGenerator nodeUniqueIds() {
        return new CamundaInternals.NodeUniqueIdGenerator(new NodeUniqueIds());
    }
}
