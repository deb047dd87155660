package io.leadflow.capture;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The workers that run CSV imports in the background: two at a time, the rest wait their turn, so
 * imports never take the threads of the web server or of the engine's job executor. At most
 * {@code leadflow.imports.queue-capacity} imports wait; more are refused.
 */
@Configuration(proxyBeanMethods = false)
public class LeadImportExecutorConfiguration {

    public static final String EXECUTOR = "leadImportExecutor";

    @Bean(EXECUTOR)
    public ThreadPoolTaskExecutor leadImportExecutor(@Value("${leadflow.imports.queue-capacity:20}") int queueCapacity) {
        if (queueCapacity < 1) {
            // below 1 the executor hands each import straight to a thread, and none can wait: every third upload refused
            throw new IllegalArgumentException("leadflow.imports.queue-capacity must be at least 1, was " + queueCapacity);
        }
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setThreadNamePrefix("lead-import-");
        executor.setCorePoolSize(2);
        executor.setMaxPoolSize(2);
        // a bounded queue: when it is full, an upload is answered 503 with Retry-After (LeadImports.start)
        executor.setQueueCapacity(queueCapacity);
        // at shutdown running imports stop after their current row and record where (see LeadImports)
        executor.setWaitForTasksToCompleteOnShutdown(true);
        executor.setAwaitTerminationSeconds(30);
        return executor;
    }
}
