package io.leadflow.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.ProcessEngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * leadflow's history level: everything Camunda's {@code full} records except the variable details
 * ({@code ACT_HI_DETAIL}, one row for every value a variable ever had, and form property updates).
 * <p>
 * What the audit needs stays: process, activity and task instances (which step, when, who), each
 * variable's latest value ({@code ACT_HI_VARINST}), the user operation log (claims, reassignments,
 * variable changes made in Cockpit or over REST), the job log (when each SLA timer fired),
 * incidents, identity links and decisions. What goes is the engine's copy of every earlier value:
 * 28 rows per captured lead, more per task completed, each a further copy of the contact's personal
 * data. The lead's own history (scores with their reasons, stages, rejections, attempts) is kept in
 * leadflow's {@code lead_*} tables, which the lead record and the KPIs read; nothing in leadflow
 * reads variable details (docs/BENCHMARKS.md, "history without variable details").
 * <p>
 * The level itself and its plugin are {@link CamundaInternals.HistoryLevelWithoutVariableDetails}
 * (a custom history level is made of the engine's internal history API). The plugin registers the
 * level, and, before the engine checks the database, moves a database recorded at {@code full} to
 * this level and back ({@link #switchRecordedLevel}; the two record the same kinds of history except
 * details), so that an existing installation starts after the upgrade. Any other recorded level is
 * left to the engine, which refuses to start on a mismatch.
 */
public final class HistoryWithoutVariableDetails {

    /** The name for {@code camunda.bpm.history-level}. */
    public static final String NAME = "full-without-variable-details";
    /** Recorded in {@code ACT_GE_PROPERTY} ({@code historyLevel}); Camunda's own levels are 0-3. */
    public static final int ID = 13;

    private static final Logger log = LoggerFactory.getLogger(HistoryWithoutVariableDetails.class);

    private HistoryWithoutVariableDetails() {
    }

    /** Registers the level with an engine built without Spring (the level is then chosen by its {@link #NAME}). */
    public static void register(ProcessEngineConfiguration configuration) {
        CamundaInternals.HistoryLevelWithoutVariableDetails.register(configuration);
    }

    /**
     * Records {@code to} as the database's history level where it says {@code from}; a database
     * without engine tables or without a recorded level is left alone (the engine records it).
     */
    static void switchRecordedLevel(DataSource dataSource, String tablePrefix, int fromId, String fromName, int toId,
                                    String toName) {
        String table = (tablePrefix == null ? "" : tablePrefix) + "ACT_GE_PROPERTY";
        try (Connection connection = dataSource.getConnection()) {
            if (!propertyTableExists(connection, table)) {
                return;
            }
            boolean autoCommit = connection.getAutoCommit();
            int changed;
            try (PreparedStatement update = connection.prepareStatement(
                    "update " + table + " set VALUE_ = ? where NAME_ = 'historyLevel' and VALUE_ = ?")) {
                update.setString(1, Integer.toString(toId));
                update.setString(2, Integer.toString(fromId));
                changed = update.executeUpdate();
                if (!autoCommit) {
                    connection.commit();
                }
            }
            if (changed > 0) {
                log.info("History level: the database recorded '{}', it now records '{}' as configured; history "
                        + "already written stays as it is", fromName, toName);
            }
        } catch (SQLException e) {
            throw new ProcessEngineException("Could not record the history level '" + toName + "' in " + table
                    + ": " + e.getMessage(), e);
        }
    }

    private static boolean propertyTableExists(Connection connection, String table) throws SQLException {
        // a prefix may name a schema ("leadflow.ACT_GE_PROPERTY")
        int dot = table.lastIndexOf('.');
        String schema = dot < 0 ? null : table.substring(0, dot);
        String tableName = table.substring(dot + 1);
        for (boolean lowerCase : new boolean[] {false, true}) {
            try (var tables = connection.getMetaData().getTables(null,
                    schema == null ? null : lowerCase ? schema.toLowerCase(java.util.Locale.ROOT) : schema,
                    lowerCase ? tableName.toLowerCase(java.util.Locale.ROOT) : tableName, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
