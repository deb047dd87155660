package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.leadflow.process.PostgresDatabase;

/** The indexes leadflow adds to the engine's job table, on PostgreSQL, without Spring. */
class EngineIndexesTest {

    /** The job executor's acquisition, as the engine's mapping writes it for PostgreSQL (7.24). */
    static final String ACQUISITION = """
            select RES.ID_, RES.REV_, RES.DUEDATE_, RES.PROCESS_INSTANCE_ID_, RES.EXCLUSIVE_ from ACT_RU_JOB RES
            where (RES.RETRIES_ > 0) and (RES.DUEDATE_ is null or RES.DUEDATE_ <= now())
              and (RES.LOCK_OWNER_ is null or RES.LOCK_EXP_TIME_ < now()) and RES.SUSPENSION_STATE_ = 1
              and ((RES.EXCLUSIVE_ = true and not exists(select J2.ID_ from ACT_RU_JOB J2
                    where J2.PROCESS_INSTANCE_ID_ = RES.PROCESS_INSTANCE_ID_ and (J2.EXCLUSIVE_ = true)
                    and (J2.LOCK_OWNER_ is not null and J2.LOCK_EXP_TIME_ >= now()))) or RES.EXCLUSIVE_ = false)
            LIMIT 3 OFFSET 0""";

    PostgresDatabase.Empty database;
    HikariDataSource dataSource;

    @BeforeEach
    void engineSchema() throws Exception {
        database = PostgresDatabase.empty("indexes");
        dataSource = database.pool(4);
        new EngineSchema(dataSource, true).ensure();
    }

    @AfterEach
    void drop() throws Exception {
        if (dataSource != null) {
            dataSource.close();
            database.drop();
        }
    }

    @Test
    void twoNodesStartingTogether_makeTheIndexOnce_andALaterStartLeavesIt() throws Exception {
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            // twenty first starts of two nodes released together: without the lock, PostgreSQL's two
            // "create index if not exists" of one name collide (a duplicate key in its catalog)
            for (int round = 0; round < 20; round++) {
                try (Connection c = dataSource.getConnection(); Statement sql = c.createStatement()) {
                    sql.execute("drop index if exists leadflow_idx_job_duedate");
                    sql.execute("drop index if exists leadflow_idx_job_lock_exp");
                }
                CyclicBarrier together = new CyclicBarrier(2);
                Callable<Void> start = () -> {
                    together.await(10, TimeUnit.SECONDS);
                    EngineIndexes.ensure(dataSource);
                    return null;
                };
                for (Future<Void> node : nodes.invokeAll(List.of(start, start))) {
                    node.get();
                }
                assertThat(indexesOfTheJobTable()).as("round %d", round).containsOnlyOnce("leadflow_idx_job_duedate", "leadflow_idx_job_lock_exp");
            }
        } finally {
            nodes.shutdown();
        }
        EngineIndexes.ensure(dataSource);

        assertThat(indexesOfTheJobTable()).containsOnlyOnce("leadflow_idx_job_duedate", "leadflow_idx_job_lock_exp");
    }

    @Test
    void withTwoHundredThousandTimersNotDue_theAcquisitionReadsTheIndexes_notTheWholeTable_quietAndInAWave() throws Exception {
        EngineIndexes.ensure(dataSource);
        try (Connection c = dataSource.getConnection(); Statement sql = c.createStatement()) {
            // the timers of 100,000 nurtured leads, due in a month and later; three jobs due now
            sql.executeUpdate("""
                    insert into ACT_RU_JOB (ID_, REV_, TYPE_, RETRIES_, DUEDATE_, PROCESS_INSTANCE_ID_, EXCLUSIVE_, SUSPENSION_STATE_, HANDLER_TYPE_, PRIORITY_)
                    select 'timer-' || n, 1, 'timer', 3, now() + interval '30 days' + n * interval '1 second', 'pi-' || (n / 2), true, 1,
                           'timer-intermediate-transition', 0
                    from generate_series(1, 200000) n""");
            sql.executeUpdate("""
                    insert into ACT_RU_JOB (ID_, REV_, TYPE_, RETRIES_, DUEDATE_, PROCESS_INSTANCE_ID_, EXCLUSIVE_, SUSPENSION_STATE_, HANDLER_TYPE_, PRIORITY_)
                    select 'due-' || n, 1, 'timer', 3, now() - interval '1 minute', 'due-pi-' || n, true, 1, 'timer-transition', 0
                    from generate_series(1, 3) n""");
            sql.execute("analyze ACT_RU_JOB");

            assertThat(plan(sql)).as("the plan with 3 jobs due").contains("leadflow_idx_job_duedate").doesNotContain("Seq Scan on act_ru_job");
            List<String> due = new ArrayList<>();
            try (ResultSet rows = sql.executeQuery(ACQUISITION)) {
                while (rows.next()) {
                    due.add(rows.getString("ID_"));
                }
            }
            assertThat(due).containsExactlyInAnyOrder("due-1", "due-2", "due-3");

            // a wave: 10,000 timers due at once, two jobs running now on some node. The acquisition skips
            // the exclusive jobs of instances with a job locked now; PostgreSQL finds those instances once
            // per acquisition, and without the lock-time index it read all 210,000 rows for them
            sql.executeUpdate("update ACT_RU_JOB set DUEDATE_ = now() - interval '1 minute' where ID_ like 'timer-%'"
                    + " and cast(substr(ID_, 7) as integer) <= 10000");
            sql.executeUpdate("update ACT_RU_JOB set LOCK_OWNER_ = 'node-b', LOCK_EXP_TIME_ = now() + interval '5 minutes'"
                    + " where ID_ in ('timer-7', 'timer-9')");
            sql.execute("analyze ACT_RU_JOB");

            assertThat(plan(sql)).as("the plan in a wave").contains("leadflow_idx_job_duedate", "leadflow_idx_job_lock_exp")
                    .doesNotContain("Seq Scan on act_ru_job");
        }
    }

    private static String plan(Statement sql) throws Exception {
        List<String> plan = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery("explain " + ACQUISITION)) {
            while (rows.next()) {
                plan.add(rows.getString(1));
            }
        }
        return String.join("\n", plan);
    }

    private List<String> indexesOfTheJobTable() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement sql = c.createStatement();
             ResultSet rows = sql.executeQuery("select indexname from pg_indexes where tablename = 'act_ru_job'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }
}
