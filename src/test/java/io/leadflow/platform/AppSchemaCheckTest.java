package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** A node does not start on leadflow tables a newer release has migrated; on its own or older ones it migrates as always. */
class AppSchemaCheckTest {

    @Test
    void aDatabaseMigratedByANewerRelease_isRefusedNamingTheMigrations_anUpToDateOneIsNot() {
        DriverManagerDataSource database = new DriverManagerDataSource("jdbc:h2:mem:app-schema-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=LEGACY", "sa", "");
        Flyway flyway = Flyway.configure().dataSource(database).locations("classpath:db/migration").load();
        flyway.migrate();
        AppSchemaCheck.refuseNewer(flyway); // this release's own schema: nothing to say

        // what a newer release leaves behind: a migration this build does not have
        JdbcClient.create(database).sql("""
                insert into "flyway_schema_history" ("installed_rank", "version", "description", "type", "script", "checksum",
                    "installed_by", "installed_on", "execution_time", "success")
                values (999, '999', 'from a newer release', 'SQL', 'V999__from_a_newer_release.sql', 0, 'sa', current_timestamp, 1, true)
                """).update();

        assertThatThrownBy(() -> AppSchemaCheck.refuseNewer(flyway)).isInstanceOf(AppSchemaCheck.AppSchemaException.class)
                .hasMessageStartingWith("leadflow's tables were migrated by a newer release (migrations 999)");
        FailureAnalysis analysis = new EngineSchemaFailureAnalyzer().analyze(new IllegalStateException("context failed",
                new AppSchemaCheck.AppSchemaException("leadflow's tables were migrated by a newer release (migrations 999)")));
        assertThat(analysis.getAction()).startsWith("Start the release that migrated the database");
    }
}
