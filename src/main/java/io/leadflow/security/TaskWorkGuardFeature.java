package io.leadflow.security;

import org.glassfish.jersey.internal.spi.ForcedAutoDiscoverable;

import jakarta.ws.rs.core.FeatureContext;

/**
 * Adds the {@link TaskWorkGuard} (and the {@link WebappQueryLimit}, {@link EngineRestErrors}) to every JAX-RS application of the app: {@code /engine-rest} and
 * the REST API behind Tasklist. Listed in {@code META-INF/services}, which Jersey reads for every
 * application it starts.
 */
public class TaskWorkGuardFeature implements ForcedAutoDiscoverable {

    @Override
    public void configure(FeatureContext context) {
        if (!context.getConfiguration().isRegistered(TaskWorkGuard.class)) {
            context.register(TaskWorkGuard.class);
        }
        if (!context.getConfiguration().isRegistered(WebappQueryLimit.class)) {
            context.register(WebappQueryLimit.class); // acts on the webapps' engine API only
        }
        if (!context.getConfiguration().isRegistered(EngineRestErrors.class)) {
            context.register(EngineRestErrors.class);
        }
    }
}
