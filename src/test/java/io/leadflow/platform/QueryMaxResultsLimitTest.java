package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.Test;

/** The wrapper reads the engine's query limit, which the webapps' engine API adds to their unbounded lists. */
class QueryMaxResultsLimitTest {

    static ProcessEngine engine(Integer limit) {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
                .createStandaloneInMemProcessEngineConfiguration()
                .setJdbcUrl("jdbc:h2:mem:query-limit-" + System.nanoTime()).setJobExecutorActivate(false);
        configuration.setProcessEngineName("query-limit-" + System.nanoTime());
        if (limit != null) {
            configuration.setQueryMaxResultsLimit(limit);
        }
        return configuration.buildProcessEngine();
    }

    @Test
    void theConfiguredLimit_orNoLimitAtAll() {
        ProcessEngine limited = engine(50);
        ProcessEngine unlimited = engine(null);
        try {
            assertThat(CamundaInternals.queryMaxResultsLimit(limited)).isEqualTo(50);
            assertThat(CamundaInternals.queryMaxResultsLimit(unlimited)).isEqualTo(Integer.MAX_VALUE);
        } finally {
            limited.close();
            unlimited.close();
        }
    }
}
