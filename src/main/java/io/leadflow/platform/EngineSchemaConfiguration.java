package io.leadflow.platform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Where the engine does not manage its own schema ({@code camunda.bpm.database.schema-update: false},
 * every profile but the demo), the schema is checked, or created with
 * {@code --leadflow.schema.create-engine-schema=true}, before the engine is configured; and nodes
 * build their engines one at a time ({@link EngineStartLock}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "camunda.bpm.database.schema-update", havingValue = "false")
public class EngineSchemaConfiguration {

    static final String BEAN = "engineSchema";

    /** Held from before the schema check until the engine is built ({@link EngineStartLock}). */
    @Bean(destroyMethod = "close")
    EngineStartLock engineStartLock(DataSource dataSource) {
        return EngineStartLock.acquire(dataSource);
    }

    /** The next node may build its engine once this one's is built (its administrator created). */
    @Bean
    static BeanPostProcessor releaseEngineStartLock(ObjectProvider<EngineStartLock> lock) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof ProcessEngine) {
                    lock.ifAvailable(EngineStartLock::close);
                }
                return bean;
            }
        };
    }

    @Bean(BEAN)
    EngineSchema engineSchema(DataSource dataSource, Environment environment, EngineStartLock startLock) { // taken first
        EngineSchema schema = new EngineSchema(dataSource,
                environment.getProperty(EngineSchema.CREATE_OPTION, Boolean.class, false));
        schema.ensure();
        return schema;
    }

    /**
     * The engine's configuration (and so the engine) waits for the schema check, and so do leadflow's
     * own migrations: on a database without the engine's schema a node stopped only after Flyway had
     * created leadflow's tables, leaving a half-made database behind.
     */
    @Bean
    static BeanFactoryPostProcessor engineAfterSchemaCheck() {
        return beanFactory -> {
            List<String> waiting = new ArrayList<>(Arrays.asList(beanFactory.getBeanNamesForType(ProcessEngineConfiguration.class, true, false)));
            waiting.addAll(Arrays.asList(beanFactory.getBeanNamesForType(FlywayMigrationInitializer.class, true, false)));
            for (String name : waiting) {
                BeanDefinition definition = beanFactory.getBeanDefinition(name);
                String[] dependsOn = definition.getDependsOn() == null ? new String[0] : definition.getDependsOn();
                if (!Arrays.asList(dependsOn).contains(BEAN)) {
                    definition.setDependsOn(Stream.concat(Arrays.stream(dependsOn), Stream.of(BEAN)).toArray(String[]::new));
                }
            }
        };
    }
}
