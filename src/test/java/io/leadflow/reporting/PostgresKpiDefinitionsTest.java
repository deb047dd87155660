package io.leadflow.reporting;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The KPI definitions on a fresh PostgreSQL database with the application's migrations; dropped
 * afterwards. Skipped with a message when no server runs locally, never in CI.
 */
class PostgresKpiDefinitionsTest extends KpiDefinitionsTest {

    static final String ADMIN_URL = System.getenv().getOrDefault("LEADFLOW_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres");

    private final String name = "leadflow_it_kpis_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @BeforeAll
    void database() throws SQLException {
        boolean reachable;
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "");
             Statement sql = admin.createStatement()) {
            sql.execute("create database " + name);
            reachable = true;
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw e;
            }
            reachable = false;
        }
        assumeTrue(reachable, "PostgreSQL is not running on " + ADMIN_URL + " (CI starts it; locally: see README)");
        DriverManagerDataSource pg = new DriverManagerDataSource(
                ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name, "postgres", "");
        Flyway.configure().dataSource(pg).locations("classpath:db/migration").load().migrate();
        load(JdbcClient.create(pg));
    }

    @AfterAll
    void drop() throws SQLException {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "");
             Statement sql = admin.createStatement()) {
            sql.execute("drop database if exists " + name + " with (force)");
        }
    }
}
