package io.leadflow.platform;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import org.camunda.bpm.engine.ProcessEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Indexes leadflow adds to the engine's tables for queries the engine itself runs all the time and
 * that Camunda's scripts leave unindexed. Made at every start when missing (after the engine, so
 * its tables exist whoever created them), under a lock on PostgreSQL so that nodes starting
 * together make each once.
 *
 * <p>{@code ACT_RU_JOB (DUEDATE_)}: the job executor asks several times a second for jobs that are
 * due ({@code DUEDATE_ is null or DUEDATE_ <= now}). Every nurtured lead keeps two timers in that
 * table, so at 100,000 open leads it holds about 200,000 jobs that are not due, and without this
 * index each acquisition read all of them (a sequential scan: 85–110 ms of database CPU on the
 * benchmark machine, against 0.05 ms with it). Each acquisition takes at most 3 jobs, so that scan
 * capped a node at a few dozen jobs a second whatever the wave.
 *
 * <p>{@code ACT_RU_JOB (LOCK_EXP_TIME_)}: the same acquisition skips an exclusive job whose process
 * instance has another exclusive job locked right now ({@code not exists (… LOCK_OWNER_ is not null
 * and LOCK_EXP_TIME_ >= now)}). PostgreSQL answers that subquery once per acquisition, as the set of
 * instances with a locked job, and without an index it read the whole job table for it: 18 ms at
 * 106,000 jobs, in every acquisition that finds a due job (a wave: one per three jobs). With the
 * index it reads the few jobs locked now (0.3 ms). Jobs not locked have no lock time, so the index
 * stays small.
 */
@Component
public class EngineIndexes implements InitializingBean {

    /** Names start with LEADFLOW_ so that they never meet one of Camunda's (ACT_IDX_…). */
    static final List<String> INDEXES = List.of(
            "create index if not exists LEADFLOW_IDX_JOB_DUEDATE on ACT_RU_JOB (DUEDATE_)",
            "create index if not exists LEADFLOW_IDX_JOB_LOCK_EXP on ACT_RU_JOB (LOCK_EXP_TIME_)");

    /** Any number other than the schema creation's; nodes that start together queue on it. */
    private static final long LOCK = 7_240_001L;

    private static final Logger log = LoggerFactory.getLogger(EngineIndexes.class);

    private final DataSource dataSource;

    /** Takes the engine only to be made after it: its tables exist by then. */
    public EngineIndexes(ProcessEngine engine, DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void afterPropertiesSet() throws SQLException {
        ensure(dataSource);
    }

    /** Creates the indexes that are missing, in one transaction. */
    public static void ensure(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement sql = connection.createStatement()) {
                if (EngineSchema.isPostgres(connection)) {
                    sql.execute("select pg_advisory_xact_lock(" + LOCK + ")");
                }
                for (String index : INDEXES) {
                    sql.execute(index);
                }
                connection.commit();
                log.debug("Engine indexes in place: {}", INDEXES);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }
}
