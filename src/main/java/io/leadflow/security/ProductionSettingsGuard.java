package io.leadflow.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Outside the {@code demo} profile (the default of {@code ./mvnw spring-boot:run}) and the tests,
 * leadflow refuses to start with demo settings: demo users, a default or missing admin password,
 * an engine that changes its own schema. The one line it fails with names every such setting.
 * Runs after the configuration files are read, before any bean (so before the engine creates its
 * admin user).
 */
public class ProductionSettingsGuard implements EnvironmentPostProcessor, Ordered {

    /** Profiles that may run with demo settings; any other profile makes them an error. */
    static final Set<String> DEMO_PROFILES = Set.of("demo", "test");
    static final Set<String> DEMO_PASSWORDS = Set.of("", "admin", "demo");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        List<String> problems = problems(environment);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("leadflow refuses to start with profiles " + profiles(environment) + ": "
                    + String.join("; ", problems));
        }
    }

    /** What is wrong with these settings for the profiles they run with; empty when nothing is. */
    static final String DEMO_SUPPRESSION_SALT = "leadflow-dev-salt-not-for-production";
    static final int MIN_SALT_LENGTH = 16;
    /**
     * The demo profile's API key, printed in the README: refused here outside the demo profiles, and
     * refused by {@link ApiKeys#authenticate} whenever {@code leadflow.demo.api-key} is not set to it.
     */
    static final String DEMO_API_KEY = "lf_demo-key-not-for-production";

    public static List<String> problems(Environment environment) {
        List<String> profiles = profiles(environment);
        if (DEMO_PROFILES.containsAll(profiles)) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        if (environment.getProperty("leadflow.demo.users", Boolean.class, false)) {
            problems.add("leadflow.demo.users is true (demo users with password 'demo' are for the demo profile only)");
        }
        String admin = environment.getProperty("camunda.bpm.admin-user.id", "");
        String password = environment.getProperty("camunda.bpm.admin-user.password", "");
        if (!admin.isBlank() && DEMO_PASSWORDS.contains(password.strip())) {
            problems.add("camunda.bpm.admin-user.password is " + (password.isBlank() ? "missing" : "a demo password")
                    + " (set LEADFLOW_ADMIN_PASSWORD)");
        }
        if (!"false".equalsIgnoreCase(environment.getProperty("camunda.bpm.database.schema-update", "true").strip())) {
            problems.add("camunda.bpm.database.schema-update must be false (create the engine schema with Camunda's SQL scripts)");
        }
        String salt = environment.getProperty("leadflow.privacy.suppression-salt", "").strip();
        if (salt.length() < MIN_SALT_LENGTH || salt.equals(DEMO_SUPPRESSION_SALT)) {
            problems.add("leadflow.privacy.suppression-salt is " + (salt.isEmpty() ? "missing" : salt.equals(DEMO_SUPPRESSION_SALT)
                    ? "the demo value" : "shorter than " + MIN_SALT_LENGTH + " characters") + " (set LEADFLOW_SUPPRESSION_SALT)");
        }
        if (!environment.getProperty("leadflow.demo.api-key", "").isBlank()) {
            problems.add("leadflow.demo.api-key is set (the demo API key, printed in the README, is for the demo profile only)");
        }
        return problems;
    }

    static List<String> profiles(Environment environment) {
        String[] active = environment.getActiveProfiles();
        return Arrays.asList(active.length > 0 ? active : environment.getDefaultProfiles());
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files and their profiles are read
    }
}
