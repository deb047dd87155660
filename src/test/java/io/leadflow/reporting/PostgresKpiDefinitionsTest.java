package io.leadflow.reporting;

import java.sql.SQLException;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.leadflow.process.PostgresDatabase;

/**
 * The KPI definitions on a fresh PostgreSQL database ({@link PostgresDatabase#empty}) with the
 * application's migrations, each KPI through {@link KpiPlanning} as in the app; dropped afterwards.
 * Skipped with a message when no server runs locally, never in CI.
 */
class PostgresKpiDefinitionsTest extends KpiDefinitionsTest {

    private PostgresDatabase.Empty database;

    @BeforeAll
    void database() throws SQLException {
        database = PostgresDatabase.empty("kpis");
        DriverManagerDataSource pg = new DriverManagerDataSource(database.url(), "postgres", "");
        Flyway.configure().dataSource(pg).locations("classpath:db/migration").load().migrate();
        // as the app runs them: each KPI in a transaction of its own with the planner setting
        load(JdbcClient.create(pg), new KpiPlanning(pg, new DataSourceTransactionManager(pg), 1.1));
    }

    @AfterAll
    void drop() throws SQLException {
        if (database != null) {
            database.drop();
        }
    }
}
