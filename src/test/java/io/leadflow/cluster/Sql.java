package io.leadflow.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Plain JDBC on a PostgreSQL database of the checks; a new connection per call (the server may restart in between). */
final class Sql {

    /** The PostgreSQL server of the tests (CI starts it); the checks create their own database on it. */
    static final String SERVER_URL = System.getenv().getOrDefault("LEADFLOW_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres");

    final String url;

    Sql(String url) {
        this.url = url;
    }

    /** A fresh, empty database on the server at {@code serverUrl} (a URL of any database there). */
    static Sql createDatabase(String serverUrl, String purpose) throws SQLException {
        String name = "leadflow_" + purpose + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try {
            new Sql(serverUrl).execute("create database " + name);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw e;
            }
            org.junit.jupiter.api.Assumptions.abort("PostgreSQL is not running on " + serverUrl + " (CI starts it; locally: see README)");
        }
        return new Sql(serverUrl.substring(0, serverUrl.lastIndexOf('/') + 1) + name);
    }

    void dropDatabase(String serverUrl) throws SQLException {
        new Sql(serverUrl).execute("drop database if exists " + url.substring(url.lastIndexOf('/') + 1) + " with (force)");
    }

    long count(String query) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        }
    }

    List<String> strings(String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }

    int execute(String statement) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            return s.executeUpdate(statement);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "postgres", "");
    }
}
