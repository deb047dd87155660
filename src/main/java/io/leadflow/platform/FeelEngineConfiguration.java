package io.leadflow.platform;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The DMN tables are evaluated by {@link CamundaInternals.CachingFeelEngine}: the engine's FEEL, each
 * expression parsed once (a process engine plugin, picked up by the Camunda starter).
 * {@code leadflow.dmn.caching-feel-engine=false} falls back to the engine's default (to compare).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "leadflow.dmn.caching-feel-engine", havingValue = "true", matchIfMissing = true)
public class FeelEngineConfiguration {

    @Bean
    CamundaInternals.CachingFeelEngine.Plugin cachingFeelEnginePlugin() {
        return new CamundaInternals.CachingFeelEngine.Plugin();
    }
}
