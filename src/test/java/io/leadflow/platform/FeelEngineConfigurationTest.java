package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.platform.CamundaInternals.CachingFeelEngine;

/** The app's engine evaluates its decision tables with the caching FEEL engine. */
class FeelEngineConfigurationTest extends SpringIntegrationTest {

    @Autowired
    ProcessEngine engine;

    @Test
    void theAppsDecisions_areEvaluatedByTheCachingFeelEngine_withTheTablesAnswers() {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();

        assertThat(configuration.getDmnEngineConfiguration().getFeelEngine()).isInstanceOf(CachingFeelEngine.class);
        String grade = engine.getDecisionService().evaluateDecisionByKey("leadFitGrade")
                .variables(Map.of("fitScore", 30)).evaluate().getSingleEntry();
        assertThat(grade).isEqualTo("B");
    }
}
