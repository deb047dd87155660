package io.leadflow.platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * The engine's tables, made by Camunda's own SQL scripts (in camunda-engine's jar under
 * {@code org/camunda/bpm/engine/db/create/}), never by the engine's schema update. Before the
 * engine starts, {@link #ensure()} checks that they exist in the version those bundled scripts
 * create (the engine itself only notices missing tables, not an old schema: {@code ACT_GE_PROPERTY}
 * says {@code schema.version = fox} in every 7.x, the real version is in {@code ACT_GE_SCHEMA_LOG});
 * with {@code create} it runs the scripts when the tables are missing, under a lock so that nodes
 * starting together create them once.
 */
public class EngineSchema {

    /** Camunda's order: the engine's tables first, the others refer to them. */
    static final List<String> COMPONENTS = List.of("engine", "history", "identity", "case.engine", "case.history",
            "decision.engine", "decision.history");

    static final String CREATE_OPTION = "leadflow.schema.create-engine-schema";

    private static final Pattern SCRIPT_VERSION = Pattern.compile(
            "insert into ACT_GE_SCHEMA_LOG\\s+values \\('0', CURRENT_TIMESTAMP, '([^']+)'\\)", Pattern.CASE_INSENSITIVE);

    /** Any number; nodes that create the schema at the same time queue on it. */
    private static final long CREATE_LOCK = 7_240_000L;

    private static final Logger log = LoggerFactory.getLogger(EngineSchema.class);

    private final DataSource dataSource;
    private final boolean create;

    public EngineSchema(DataSource dataSource, boolean create) {
        this.dataSource = dataSource;
        this.create = create;
    }

    /** Returns the schema's version, after creating it when asked; throws {@link EngineSchemaException} when it cannot be used. */
    public String ensure() {
        String url = "the database";
        try (Connection connection = dataSource.getConnection()) {
            url = connection.getMetaData().getURL();
            String database = databaseType(connection);
            String expected = expectedVersion(database);
            if (create && !tablesPresent(connection)) {
                createSchema(connection, database);
            }
            Optional<String> installed = installedVersion(connection);
            if (installed.isEmpty()) {
                throw new EngineSchemaException("The Camunda engine schema is missing in " + url
                        + ": create it once by starting with --" + CREATE_OPTION + "=true (or run the scripts "
                        + scriptPath(database, "*") + " of camunda-engine-" + expected + ".jar), then start again");
            }
            if (!installed.get().equals(expected)) {
                throw new EngineSchemaException("The Camunda engine schema in " + url + " is version " + installed.get()
                        + ", this leadflow needs " + expected + ": run Camunda's upgrade scripts org/camunda/bpm/engine/db/upgrade/"
                        + database + "_engine_*.sql from " + installed.get() + " to " + expected
                        + " (camunda-engine-" + expected + ".jar), then start again");
            }
            return installed.get();
        } catch (SQLException e) {
            throw new EngineSchemaException("The database " + url + " is out of reach or refused the schema check ("
                    + e.getSQLState() + ": " + e.getMessage() + ")", e);
        }
    }

    private void createSchema(Connection connection, String database) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            if (database.equals("postgres")) {
                try (Statement sql = connection.createStatement()) {
                    sql.execute("select pg_advisory_xact_lock(" + CREATE_LOCK + ")");
                }
            }
            if (!tablesPresent(connection)) { // another node may have created them while this one waited
                for (String component : COMPONENTS) {
                    ScriptUtils.executeSqlScript(connection, new ClassPathResource(scriptPath(database, component)));
                }
                log.info("Created the Camunda engine schema {} with Camunda's scripts {}", expectedVersion(database),
                        scriptPath(database, "*"));
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    static String scriptPath(String database, String component) {
        return "org/camunda/bpm/engine/db/create/activiti." + database + ".create." + component + ".sql";
    }

    /** The version the bundled create scripts write into {@code ACT_GE_SCHEMA_LOG}: the engine's own. */
    static String expectedVersion(String database) {
        try (InputStream in = new ClassPathResource(scriptPath(database, "engine")).getInputStream()) {
            Matcher version = SCRIPT_VERSION.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (!version.find()) {
                throw new IllegalStateException("No schema version in " + scriptPath(database, "engine"));
            }
            return version.group(1);
        } catch (IOException e) {
            throw new IllegalStateException("Camunda has no create scripts for database type " + database, e);
        }
    }

    /**
     * Whether the connection is to PostgreSQL, where leadflow runs statements H2 does not have (the
     * engine indexes' lock, the start lock, task-list planning, migration V18's partial index).
     */
    public static boolean isPostgres(Connection connection) throws SQLException {
        return databaseType(connection).equals("postgres");
    }

    /** Whether the data source is PostgreSQL, asked on a connection of its own. */
    public static boolean isPostgres(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return isPostgres(connection);
        }
    }

    /** Camunda's name of the database type, as in its script names: {@code postgres} or {@code h2}. */
    static String databaseType(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return "postgres";
        }
        if (product.contains("h2")) {
            return "h2";
        }
        throw new EngineSchemaException("leadflow runs on PostgreSQL (or H2 in the demo), not on " + product);
    }

    static boolean tablesPresent(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        for (String table : new String[] {"act_ge_property", "ACT_GE_PROPERTY"}) {
            try (ResultSet tables = meta.getTables(connection.getCatalog(), connection.getSchema(), table, new String[] {"TABLE"})) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The latest version in {@code ACT_GE_SCHEMA_LOG} (each upgrade script adds a row); empty without engine tables. */
    static Optional<String> installedVersion(Connection connection) throws SQLException {
        if (!tablesPresent(connection)) {
            return Optional.empty();
        }
        try (Statement sql = connection.createStatement()) {
            sql.setMaxRows(1);
            try (ResultSet row = sql.executeQuery("select VERSION_ from ACT_GE_SCHEMA_LOG order by cast(ID_ as integer) desc")) {
                return Optional.of(row.next() ? row.getString(1) : "unknown (ACT_GE_SCHEMA_LOG is empty)");
            }
        }
    }
}
