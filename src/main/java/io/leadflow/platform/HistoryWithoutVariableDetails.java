package io.leadflow.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.AbstractHistoryLevel;
import org.camunda.bpm.engine.impl.history.HistoryLevel;
import org.camunda.bpm.engine.impl.history.event.HistoryEventType;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
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
 * This class is the one place that uses the engine's internal history API (its documented
 * extension point for custom history levels). Its {@link Plugin} registers the level, and, before
 * the engine checks the database, moves a database recorded at {@code full} to this level and back
 * (the two record the same kinds of history except details), so that an existing installation
 * starts after the upgrade. Any other recorded level is left to the engine, which refuses to start
 * on a mismatch.
 */
public final class HistoryWithoutVariableDetails extends AbstractHistoryLevel {

    /** The name for {@code camunda.bpm.history-level}. */
    public static final String NAME = "full-without-variable-details";
    /** Recorded in {@code ACT_GE_PROPERTY} ({@code historyLevel}); Camunda's own levels are 0-3. */
    public static final int ID = 13;

    public static final HistoryWithoutVariableDetails LEVEL = new HistoryWithoutVariableDetails();

    private static final Logger log = LoggerFactory.getLogger(HistoryWithoutVariableDetails.class);

    private HistoryWithoutVariableDetails() {
    }

    @Override
    public int getId() {
        return ID;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean isHistoryEventProduced(HistoryEventType eventType, Object entity) {
        return eventType != HistoryEventTypes.VARIABLE_INSTANCE_UPDATE_DETAIL
                && eventType != HistoryEventTypes.FORM_PROPERTY_UPDATE;
    }

    /** Registers the level with an engine built without Spring (the level is then chosen by its {@link #NAME}). */
    public static void register(org.camunda.bpm.engine.ProcessEngineConfiguration configuration) {
        ((ProcessEngineConfigurationImpl) configuration).getProcessEnginePlugins().add(new Plugin());
    }

    /**
     * Registers the level with the engine (picked up by the Camunda starter as a bean; {@link #register}
     * for an engine built without Spring).
     */
    public static class Plugin extends AbstractProcessEnginePlugin {

        @Override
        public void preInit(ProcessEngineConfigurationImpl configuration) {
            List<HistoryLevel> custom = configuration.getCustomHistoryLevels() == null
                    ? new ArrayList<>() : new ArrayList<>(configuration.getCustomHistoryLevels());
            if (!custom.contains(LEVEL)) {
                custom.add(LEVEL);
            }
            configuration.setCustomHistoryLevels(custom);
        }

        @Override
        public void postInit(ProcessEngineConfigurationImpl configuration) {
            HistoryLevel configured = configuration.getHistoryLevel();
            if (configured == null) {
                return; // "auto": the engine takes what the database says
            }
            if (configured.equals(LEVEL)) {
                switchRecordedLevel(configuration, HistoryLevel.HISTORY_LEVEL_FULL, LEVEL);
            } else if (configured.equals(HistoryLevel.HISTORY_LEVEL_FULL)) {
                switchRecordedLevel(configuration, LEVEL, HistoryLevel.HISTORY_LEVEL_FULL);
            }
        }
    }

    /**
     * Records {@code to} as the database's history level where it says {@code from}; a database
     * without engine tables or without a recorded level is left alone (the engine records it).
     */
    static void switchRecordedLevel(ProcessEngineConfigurationImpl configuration, HistoryLevel from, HistoryLevel to) {
        DataSource dataSource = configuration.getDataSource();
        String table = (configuration.getDatabaseTablePrefix() == null ? "" : configuration.getDatabaseTablePrefix())
                + "ACT_GE_PROPERTY";
        try (Connection connection = dataSource.getConnection()) {
            if (!propertyTableExists(connection, table)) {
                return;
            }
            boolean autoCommit = connection.getAutoCommit();
            int changed;
            try (PreparedStatement update = connection.prepareStatement(
                    "update " + table + " set VALUE_ = ? where NAME_ = 'historyLevel' and VALUE_ = ?")) {
                update.setString(1, Integer.toString(to.getId()));
                update.setString(2, Integer.toString(from.getId()));
                changed = update.executeUpdate();
                if (!autoCommit) {
                    connection.commit();
                }
            }
            if (changed > 0) {
                log.info("History level: the database recorded '{}', it now records '{}' as configured; history "
                        + "already written stays as it is", from.getName(), to.getName());
            }
        } catch (SQLException e) {
            throw new ProcessEngineException("Could not record the history level '" + to.getName() + "' in " + table
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
