package io.leadflow.platform;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * leadflow's own tables are migrated by Flyway at every start, and a node refuses to start on a
 * database a newer release has migrated: Flyway only warned ("Schema has a version (20) that is
 * newer than the latest available migration (19)") and an older node then wrote rows the newer
 * schema may read otherwise. A rolling upgrade stops the old nodes before it starts the new ones.
 */
@Configuration(proxyBeanMethods = false)
public class AppSchemaCheck {

    @Bean
    FlywayMigrationStrategy refuseNewerSchema() {
        return flyway -> {
            refuseNewer(flyway);
            flyway.migrate();
        };
    }

    static void refuseNewer(Flyway flyway) {
        String newer = Arrays.stream(flyway.info().all())
                .filter(migration -> migration.getState() == MigrationState.FUTURE_SUCCESS || migration.getState() == MigrationState.FUTURE_FAILED)
                .map(MigrationInfo::getVersion).map(String::valueOf).collect(Collectors.joining(", "));
        if (!newer.isEmpty()) {
            throw new AppSchemaException("leadflow's tables were migrated by a newer release (migrations " + newer
                    + ") than this node's: it would write rows that release may read otherwise");
        }
    }

    /** The database's leadflow tables are newer than this build. */
    public static class AppSchemaException extends IllegalStateException {

        public AppSchemaException(String message) {
            super(message);
        }
    }
}
