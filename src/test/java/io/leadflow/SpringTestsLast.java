package io.leadflow;

import java.util.Comparator;

import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Runs the tests on the Spring context after all others, keeping the order otherwise.
 *
 * <p>The engine clock is JVM-global ({@code ClockUtil}). Process tests move it on purpose, on an
 * engine whose job executor is off; the Spring context's engine has its job executor on, and once
 * started it runs until the JVM ends. Were a process test to move the clock after that, the Spring
 * engine would fire its timers early or lock its jobs for days. Running the Spring tests last means
 * no clock-moving test ever shares the JVM with a running job executor; tests on the Spring context
 * themselves must not move the clock ({@link SpringIntegrationTest} checks it).
 * Set as {@code junit.jupiter.testclass.order.default} in {@code junit-platform.properties}.
 */
public class SpringTestsLast implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        // List.sort is stable: within each group the default order stays
        context.getClassDescriptors().sort(Comparator.comparing(
                descriptor -> SpringIntegrationTest.class.isAssignableFrom(descriptor.getTestClass())));
    }
}
