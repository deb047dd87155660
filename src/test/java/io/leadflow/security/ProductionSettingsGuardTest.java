package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.env.MockEnvironment;

/** The start-up guard, without starting the app: settings as Spring would see them per profile. */
class ProductionSettingsGuardTest {

    static MockEnvironment demoSettings(String... activeProfiles) {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("leadflow.demo.users", "true")
                .withProperty("camunda.bpm.admin-user.id", "admin")
                .withProperty("camunda.bpm.admin-user.password", "admin")
                .withProperty("camunda.bpm.database.schema-update", "true")
                .withProperty("leadflow.privacy.suppression-salt", "leadflow-dev-salt-not-for-production");
        environment.setDefaultProfiles("demo");
        environment.setActiveProfiles(activeProfiles);
        return environment;
    }

    @Test
    void withoutAProfile_theDemoProfileRuns_withItsDemoSettings() {
        assertThat(ProductionSettingsGuard.problems(demoSettings())).isEmpty();
        assertThat(ProductionSettingsGuard.problems(demoSettings("test", "demo"))).isEmpty();
    }

    @Test
    void thePostgresProfile_withDemoSettings_refusesToStart_namingEverySettingInOneLine() {
        var environment = demoSettings("postgres");

        assertThatThrownBy(() -> new ProductionSettingsGuard().postProcessEnvironment(environment, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("\n")
                .hasMessageContaining("[postgres]")
                .hasMessageContaining("leadflow.demo.users")
                .hasMessageContaining("camunda.bpm.admin-user.password is a demo password")
                .hasMessageContaining("camunda.bpm.database.schema-update must be false")
                .hasMessageContaining("leadflow.privacy.suppression-salt is the demo value");
    }

    @Test
    void demoSettings_areRefusedEvenWhenTheDemoProfileRunsWithAnother() {
        assertThat(ProductionSettingsGuard.problems(demoSettings("postgres", "demo"))).hasSize(4);
    }

    @Test
    void aMissingOrDemoAdminPassword_isRefused() {
        for (String password : new String[] {"", "  ", "demo", "admin"}) {
            var environment = demoSettings("postgres").withProperty("leadflow.demo.users", "false")
                    .withProperty("camunda.bpm.database.schema-update", "false")
                    .withProperty("leadflow.privacy.suppression-salt", "a-suppression-salt-from-the-vault")
                    .withProperty("camunda.bpm.admin-user.password", password);
            assertThat(ProductionSettingsGuard.problems(environment)).singleElement().asString()
                    .startsWith("camunda.bpm.admin-user.password is");
        }
    }

    @Test
    void aMissingShortOrDemoSuppressionSalt_isRefused() {
        for (String salt : new String[] {"", "short", "leadflow-dev-salt-not-for-production"}) {
            var environment = demoSettings("postgres").withProperty("leadflow.demo.users", "false")
                    .withProperty("camunda.bpm.database.schema-update", "false")
                    .withProperty("camunda.bpm.admin-user.password", "a long secret from the vault")
                    .withProperty("leadflow.privacy.suppression-salt", salt);
            assertThat(ProductionSettingsGuard.problems(environment)).singleElement().asString()
                    .startsWith("leadflow.privacy.suppression-salt is").endsWith("(set LEADFLOW_SUPPRESSION_SALT)");
        }
    }

    @Test
    void theDemoApiKey_runsInTheDemoProfile_andIsRefusedInAnyOther() {
        assertThat(ProductionSettingsGuard.problems(demoSettings("test", "demo")
                .withProperty("leadflow.demo.api-key", ProductionSettingsGuard.DEMO_API_KEY))).isEmpty();

        var environment = demoSettings("postgres").withProperty("leadflow.demo.users", "false")
                .withProperty("camunda.bpm.database.schema-update", "false")
                .withProperty("camunda.bpm.admin-user.password", "a long secret from the vault")
                .withProperty("leadflow.privacy.suppression-salt", "another long secret from the vault")
                .withProperty("leadflow.demo.api-key", ProductionSettingsGuard.DEMO_API_KEY);
        assertThat(ProductionSettingsGuard.problems(environment)).singleElement().asString()
                .startsWith("leadflow.demo.api-key is set");
    }

    @Test
    void productionSettings_start() {
        var environment = demoSettings("postgres").withProperty("leadflow.demo.users", "false")
                .withProperty("camunda.bpm.database.schema-update", "false")
                .withProperty("camunda.bpm.admin-user.password", "a long secret from the vault")
                .withProperty("leadflow.privacy.suppression-salt", "another long secret from the vault");
        assertThat(ProductionSettingsGuard.problems(environment)).isEmpty();
        new ProductionSettingsGuard().postProcessEnvironment(environment, null);
    }

    /** The shipped application.yaml and application-postgres.yaml, layered as Spring layers them. */
    static StandardEnvironment shippedPostgresSettings(Map<String, Object> variables) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.setActiveProfiles("postgres");
        var sources = environment.getPropertySources();
        sources.addFirst(new MapPropertySource("environment variables of this test", variables));
        YamlPropertySourceLoader yaml = new YamlPropertySourceLoader();
        for (PropertySource<?> source : yaml.load("base", new ClassPathResource("application.yaml"))) {
            sources.addLast(source);
        }
        for (PropertySource<?> source : yaml.load("postgres", new ClassPathResource("application-postgres.yaml"))) {
            sources.addAfter("environment variables of this test", source);
        }
        return environment;
    }

    @Test
    void theShippedPostgresProfile_needsTheAdminPasswordFromTheEnvironment() throws IOException {
        String salt = "a-suppression-salt-from-the-vault";
        assertThat(ProductionSettingsGuard.problems(shippedPostgresSettings(Map.of("LEADFLOW_ADMIN_PASSWORD", "", "LEADFLOW_SUPPRESSION_SALT", salt))))
                .containsExactly("camunda.bpm.admin-user.password is missing (set LEADFLOW_ADMIN_PASSWORD)");
        assertThat(ProductionSettingsGuard.problems(shippedPostgresSettings(Map.of("LEADFLOW_ADMIN_PASSWORD", "demo", "LEADFLOW_SUPPRESSION_SALT", salt))))
                .containsExactly("camunda.bpm.admin-user.password is a demo password (set LEADFLOW_ADMIN_PASSWORD)");
        assertThat(ProductionSettingsGuard.problems(shippedPostgresSettings(Map.of("LEADFLOW_ADMIN_PASSWORD", "s3cret-from-the-vault"))))
                .containsExactly("leadflow.privacy.suppression-salt is missing (set LEADFLOW_SUPPRESSION_SALT)");
        assertThat(ProductionSettingsGuard.problems(shippedPostgresSettings(Map.of("LEADFLOW_ADMIN_PASSWORD", "s3cret-from-the-vault", "LEADFLOW_SUPPRESSION_SALT", salt))))
                .isEmpty();
    }
}
