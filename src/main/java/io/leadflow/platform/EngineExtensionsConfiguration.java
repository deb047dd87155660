package io.leadflow.platform;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes leadflow's history level {@value HistoryWithoutVariableDetails#NAME} known to the engine (a
 * process engine plugin, picked up by the Camunda starter); {@code camunda.bpm.history-level} chooses it.
 * And the engine's ids: {@link NodeUniqueIds} replaces the starter's default generator. And its
 * entity manager checks the id of each row it inserts without describing the row first ({@link IdCheckWithoutToString}).
 */
@Configuration(proxyBeanMethods = false)
public class EngineExtensionsConfiguration {

    @Bean
    HistoryWithoutVariableDetails.Plugin historyWithoutVariableDetailsPlugin() {
        return new HistoryWithoutVariableDetails.Plugin();
    }

    @Bean
    IdCheckWithoutToString.Plugin idCheckWithoutToStringPlugin() {
        return new IdCheckWithoutToString.Plugin();
    }

    @Bean
    NodeUniqueIds nodeUniqueIds() {
        return new NodeUniqueIds();
    }
}
