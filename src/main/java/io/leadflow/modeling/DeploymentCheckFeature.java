package io.leadflow.modeling;

import org.glassfish.jersey.internal.spi.ForcedAutoDiscoverable;

import jakarta.ws.rs.core.FeatureContext;

/**
 * Adds the {@link DeploymentCheck} to every JAX-RS application of the app ({@code /engine-rest}
 * and the REST API behind the webapps). Listed in {@code META-INF/services}, which Jersey reads for
 * every application it starts.
 */
public class DeploymentCheckFeature implements ForcedAutoDiscoverable {

    @Override
    public void configure(FeatureContext context) {
        if (!context.getConfiguration().isRegistered(DeploymentCheck.class)) {
            context.register(DeploymentCheck.class);
        }
    }
}
