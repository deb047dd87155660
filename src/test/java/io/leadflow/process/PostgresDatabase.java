package io.leadflow.process;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.camunda.bpm.engine.ProcessEngine;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A fresh database on the PostgreSQL server of the tests, with the application's migrations, the
 * engine's schema and the models deployed; dropped afterwards. In CI an unreachable server fails
 * the tests; on a developer machine they are skipped with a message. Tests without an engine take
 * an empty database of their own from {@link #empty(String)}.
 */
public final class PostgresDatabase {

    static final String ADMIN_URL = System.getenv().getOrDefault("LEADFLOW_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres");

    final String name;
    final ProcessTestEngine t;
    final ProcessEngine engine;

    private PostgresDatabase(String name, ProcessTestEngine t, ProcessEngine engine) {
        this.name = name;
        this.t = t;
        this.engine = engine;
    }

    static PostgresDatabase create(String purpose) throws SQLException {
        Empty database = empty(purpose);
        String name = database.name();
        HikariDataSource pg = database.pool(40);
        ProcessTestEngine t = new ProcessTestEngine("postgres-" + purpose, pg);
        t.configuration.setIdBlockSize(10_000); // like several nodes, without all threads queueing for id blocks
        ProcessEngine engine = t.startWithAllModels();
        return new PostgresDatabase(name, t, engine);
    }

    void drop() throws SQLException {
        engine.close();
        ((HikariDataSource) t.dataSource).close();
        new Empty(name, null).drop();
    }

    /**
     * Creates an empty database named after the purpose on the tests' server (user postgres), or
     * skips the calling test when no server runs (fails it in CI, where one must).
     */
    public static Empty empty(String purpose) throws SQLException {
        String name = "leadflow_it_" + purpose + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
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
        return new Empty(name, ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name);
    }

    /** A database of one test class: its name and JDBC URL (user postgres, no password). */
    public record Empty(String name, String url) {

        /** A connection pool of this size on the database, as user postgres; the caller closes it. */
        public HikariDataSource pool(int size) {
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl(url);
            pool.setUsername("postgres");
            pool.setMaximumPoolSize(size);
            return pool;
        }

        /** Drops the database, closing what is still connected to it. */
        public void drop() throws SQLException {
            try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "");
                 Statement sql = admin.createStatement()) {
                sql.execute("drop database if exists " + name + " with (force)");
            }
        }
    }
}
