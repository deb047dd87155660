package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import com.zaxxer.hikari.HikariDataSource;

/** The engine schema check on a fresh PostgreSQL database, without Spring. */
class EngineSchemaTest {

    static final String ADMIN_URL = System.getenv().getOrDefault("LEADFLOW_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres");

    String name;
    HikariDataSource dataSource;

    @BeforeEach
    void createEmptyDatabase() throws SQLException {
        name = "leadflow_schema_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        boolean reachable;
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", ""); Statement sql = admin.createStatement()) {
            sql.execute("create database " + name);
            reachable = true;
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw e;
            }
            reachable = false;
        }
        assumeTrue(reachable, "PostgreSQL is not running on " + ADMIN_URL + " (CI starts it; locally: see README)");
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name);
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(4);
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        if (dataSource != null) {
            dataSource.close();
            try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", ""); Statement sql = admin.createStatement()) {
                sql.execute("drop database if exists " + name + " with (force)");
            }
        }
    }

    @Test
    void givenAnEmptyDatabase_whenANodeStartsWithoutTheCreateOption_thenItStopsWithOneLineNamingWhatToRun() {
        assertThatThrownBy(() -> new EngineSchema(dataSource, false).ensure())
                .isInstanceOf(EngineSchemaException.class)
                .hasMessageContaining("The Camunda engine schema is missing in jdbc:postgresql://")
                .hasMessageContaining("--leadflow.schema.create-engine-schema=true")
                .hasMessageContaining("org/camunda/bpm/engine/db/create/activiti.postgres.create.*.sql")
                .hasMessageNotContaining("\n");
    }

    @Test
    void givenAnEmptyDatabase_whenTwoNodesStartWithTheCreateOptionAtOnce_thenTheSchemaIsCreatedOnceInTheEnginesVersion() throws Exception {
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        Callable<String> start = () -> new EngineSchema(dataSource, true).ensure();
        List<Future<String>> versions = nodes.invokeAll(List.of(start, start));
        nodes.shutdown();

        assertThat(versions.get(0).get()).isEqualTo(EngineSchema.expectedVersion("postgres")).isEqualTo("7.24.0");
        assertThat(versions.get(1).get()).isEqualTo("7.24.0");
        try (Connection c = dataSource.getConnection(); Statement sql = c.createStatement();
             var rows = sql.executeQuery("select count(*) from act_ge_schema_log")) {
            rows.next();
            assertThat(rows.getInt(1)).as("schema log rows: created once").isEqualTo(1);
        }
        assertThat(new EngineSchema(dataSource, false).ensure()).as("a later start only checks").isEqualTo("7.24.0");
    }

    @Test
    void givenTheSchemaOfAnOlderCamunda_whenANodeStarts_thenItStopsNamingTheUpgradeScripts() throws SQLException {
        new EngineSchema(dataSource, true).ensure();
        try (Connection c = dataSource.getConnection(); Statement sql = c.createStatement()) {
            sql.executeUpdate("update act_ge_schema_log set version_ = '7.23.0'");
        }

        assertThatThrownBy(() -> new EngineSchema(dataSource, true).ensure())
                .isInstanceOf(EngineSchemaException.class)
                .hasMessageContaining("is version 7.23.0, this leadflow needs 7.24.0")
                .hasMessageContaining("org/camunda/bpm/engine/db/upgrade/postgres_engine_*.sql");
    }

    @Test
    void givenTwoNodesStartingTogether_whenTheFirstHoldsTheStartLock_thenTheSecondWaitsUntilItsEngineIsBuilt() throws Exception {
        EngineStartLock first = EngineStartLock.acquire(dataSource);
        var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> EngineStartLock.acquire(dataSource));
        try {
            Thread.sleep(500);
            assertThat(second).as("the second node waits").isNotDone();

            first.close();
            first.close(); // once is enough

            try (EngineStartLock acquired = second.get(10, java.util.concurrent.TimeUnit.SECONDS)) {
                assertThat(acquired).as("the second node builds its engine then").isNotNull();
            }
        } finally {
            first.close();
            second.cancel(true);
        }
    }

    @Test
    void givenANodeHoldingTheStartLock_whenTheEngineIndexesAreMade_thenTheyDoNotWaitForIt() throws Exception {
        new EngineSchema(dataSource, true).ensure();
        try (EngineStartLock held = EngineStartLock.acquire(dataSource)) {
            var indexes = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    EngineIndexes.ensure(dataSource);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                indexes.get(10, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                indexes.cancel(true);
            }
        }
    }

    @Test
    void givenAnEmptyDatabase_whenTheAppStartsWithoutTheCreateOption_thenItStopsBeforeMakingItsOwnTables() throws SQLException {
        org.springframework.boot.SpringApplication app = new org.springframework.boot.SpringApplication(io.leadflow.LeadflowApplication.class);

        assertThatThrownBy(() -> app.run("--spring.profiles.active=postgres", "--spring.datasource.url=" + dataSource.getJdbcUrl(),
                "--spring.datasource.username=postgres", "--spring.datasource.password=", "--server.port=0",
                "--camunda.bpm.admin-user.password=schema-test-admin-password", "--camunda.bpm.job-execution.enabled=false",
                "--leadflow.privacy.suppression-salt=schema-test-suppression-salt", "--spring.main.banner-mode=off"))
                .hasStackTraceContaining("The Camunda engine schema is missing");

        try (Connection connection = dataSource.getConnection();
             java.sql.ResultSet tables = connection.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
            assertThat(tables.next()).as("no table of leadflow's, nor Flyway's history: the database stays empty").isFalse();
        }
    }

    @Test
    void givenAStartThatFailsOnTheSchema_whenSpringBootReportsIt_thenTheReportIsTheOneLine() {
        FailureAnalysis own = new EngineSchemaFailureAnalyzer().analyze(
                new BeanCreationException("engineSchema", new EngineSchemaException("The Camunda engine schema is missing in x")));
        FailureAnalysis engines = new EngineSchemaFailureAnalyzer().analyze(new BeanCreationException("processEngine",
                new IllegalStateException("ENGINE-03057 There are no Camunda tables in the database. Hint: ...")));

        assertThat(own.getDescription()).isEqualTo("The Camunda engine schema is missing in x");
        assertThat(engines.getDescription()).contains("The Camunda engine schema is missing", "ENGINE-03057");
        assertThat(engines.getAction()).contains("--leadflow.schema.create-engine-schema=true");
        assertThat(new EngineSchemaFailureAnalyzer().analyze(new IllegalStateException("something else"))).isNull();
    }
}
