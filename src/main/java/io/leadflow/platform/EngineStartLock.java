package io.leadflow.platform;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes build their engines one after the other. The Camunda starter creates the administrator
 * ({@code camunda.bpm.admin-user}) while the engine is built, by checking that the user is missing and
 * then inserting it, without a lock: two nodes starting together on a new database both insert it,
 * and one of them stops with a duplicate key (seen in the two-node test). On PostgreSQL a session
 * advisory lock, held on a connection of its own from before the schema check until the engine is
 * built, makes the second node wait for the first (the database decides; a node that dies releases it
 * with its connection). Elsewhere (H2, one node) it does nothing.
 */
public final class EngineStartLock implements AutoCloseable {

    /**
     * Any number other than the schema creation's (7,240,000) and the engine indexes' (7,240,001): those
     * are taken on other connections while a node starts, and a node holding this one would wait on itself.
     */
    static final long START_LOCK = 7_240_002L;

    private static final Logger log = LoggerFactory.getLogger(EngineStartLock.class);

    private Connection connection;

    private EngineStartLock(Connection connection) {
        this.connection = connection;
    }

    /** Waits until no other node is building its engine on this database, then holds the lock. */
    public static EngineStartLock acquire(DataSource dataSource) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            if (!EngineSchema.isPostgres(connection)) {
                connection.close();
                return new EngineStartLock(null);
            }
            try (Statement sql = connection.createStatement()) {
                sql.execute("select pg_advisory_lock(" + START_LOCK + ")");
            }
            return new EngineStartLock(connection);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new EngineSchemaException("The database is out of reach or refused the engine start lock ("
                    + e.getSQLState() + ": " + e.getMessage() + ")", e);
        }
    }

    /** Lets the next node build its engine; once is enough, later calls do nothing. */
    @Override
    public synchronized void close() {
        if (connection == null) {
            return;
        }
        try (Statement sql = connection.createStatement()) {
            sql.execute("select pg_advisory_unlock(" + START_LOCK + ")");
        } catch (SQLException e) {
            log.warn("Engine start lock not released ({}); closing its connection releases it", e.getMessage());
        } finally {
            closeQuietly(connection);
            connection = null;
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the lock goes with the connection
            }
        }
    }
}
