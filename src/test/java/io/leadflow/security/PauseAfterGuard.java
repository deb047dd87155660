package io.leadflow.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.glassfish.jersey.internal.spi.ForcedAutoDiscoverable;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.FeatureContext;

/**
 * Tests only: a request to the engine's REST API with header {@value #HEADER} waits, after the
 * {@link TaskWorkGuard} let it through and before the engine runs it, until the test releases it,
 * so a test can change the task in between (what a colleague's request can do by chance).
 * Requests without the header pass untouched.
 */
@Priority(Priorities.USER + 500)
public class PauseAfterGuard implements ContainerRequestFilter, ForcedAutoDiscoverable {

    static final String HEADER = "X-Test-Pause-After-Guard";

    private static final Map<String, CountDownLatch> ARRIVED = new ConcurrentHashMap<>();
    private static final Map<String, CountDownLatch> RELEASED = new ConcurrentHashMap<>();

    /** Prepares a pause named {@code name}: a request sent with the header and this value waits in it. */
    static void prepare(String name) {
        ARRIVED.put(name, new CountDownLatch(1));
        RELEASED.put(name, new CountDownLatch(1));
    }

    static boolean awaitArrival(String name) throws InterruptedException {
        return ARRIVED.get(name).await(30, TimeUnit.SECONDS);
    }

    static void release(String name) {
        RELEASED.get(name).countDown();
    }

    @Override
    public void configure(FeatureContext context) {
        if (!context.getConfiguration().isRegistered(PauseAfterGuard.class)) {
            context.register(PauseAfterGuard.class);
        }
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String name = request.getHeaderString(HEADER);
        if (name == null || !RELEASED.containsKey(name)) {
            return;
        }
        ARRIVED.get(name).countDown();
        try {
            RELEASED.get(name).await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
