package io.leadflow.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;

import io.leadflow.process.PostgresDatabase;

/**
 * The outbox's statements in a wave on PostgreSQL, without Spring: a running installation's table of
 * sent rows, analyzed, so the planner statistics say hardly any row waits; then 15,000 rows wait at
 * once, as in a wave of SLA timers, before autovacuum could analyze again. Each batch must read about
 * the hundred rows it takes, not every waiting row: before V18 and the statements by primary key a
 * batch read and sorted all 15,000 and compared them with its own hundred, 1.5 million comparisons
 * (docs/BENCHMARKS.md, "SLA timer wave", seventeenth run).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationOutboxPlansTest {

    /** Far above the hundred rows a batch takes, far below the 15,000 waiting. */
    static final long ROWS_FOR_A_BATCH = 1_000;

    PostgresDatabase.Empty database;
    HikariDataSource pool;
    JdbcClient jdbc;
    NotificationOutbox outbox;
    TransactionTemplate transactions;

    @BeforeAll
    void aRunningInstallationInAWave() throws SQLException {
        database = PostgresDatabase.empty("outbox");
        pool = database.pool(4);
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(pool);
        outbox = new NotificationOutbox(jdbc);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
        // 30 days of sent rows in batches of a hundred, analyzed
        jdbc.sql("""
                insert into notification_outbox (id, event, channel, lead_id, lead_number, message, created_at, batch_id, sent_at)
                select 'sent-' || n, 'SLA_REMINDER', 'webhook', 'lead-' || n, null, '{"text": "a reminder"}',
                       now() - interval '30 days' + n * interval '2 minutes', 'old-batch-' || (n / 100),
                       now() - interval '30 days' + n * interval '2 minutes' + interval '1 second'
                from generate_series(1, 20000) n""").update();
        jdbc.sql("analyze notification_outbox").update();
        // the wave: 15,000 rows wait; no analyze since
        jdbc.sql("""
                insert into notification_outbox (id, event, channel, lead_id, lead_number, message, created_at)
                select 'wave-' || lpad(n::text, 5, '0'), 'SLA_BREACH', 'webhook', 'lead-' || n, null, '{"text": "a breach"}',
                       now() + n * interval '1 millisecond'
                from generate_series(1, 15000) n""").update();
    }

    @AfterAll
    void drop() throws SQLException {
        if (pool != null) {
            pool.close();
            database.drop();
        }
    }

    @Test
    void aBatchTakesTheHundredOldestWaitingRows_readingAboutAHundred_andSendsThemInOrder() throws Exception {
        assertThat(rowsRead(NotificationOutbox.TAKE_WAITING.replace(":size", "100")))
                .as("rows read to take a batch's rows while 15,000 wait").isLessThan(ROWS_FOR_A_BATCH);

        int taken = transactions.execute(status -> outbox.openBatch("batch-1", 100));

        assertThat(taken).isEqualTo(100);
        List<String> oldestWaiting = jdbc.sql("select id from notification_outbox where id like 'wave-%' order by created_at limit 100")
                .query(String.class).list();
        assertThat(jdbc.sql("select id from notification_outbox where batch_id = 'batch-1' order by created_at").query(String.class).list())
                .isEqualTo(oldestWaiting);
        assertThat(rowsRead(NotificationOutbox.BATCH_ROWS.replace(":batch", "'batch-1'")))
                .as("rows read to read a batch's rows while 14,900 wait").isLessThan(ROWS_FOR_A_BATCH);
        assertThat(outbox.unsent("batch-1")).extracting(NotificationOutbox.Row::id).isEqualTo(oldestWaiting);

        // the batch's job failed after sending forty: its retry sends the other sixty
        outbox.sent(oldestWaiting.subList(0, 40), OffsetDateTime.now(ZoneOffset.UTC));
        assertThat(outbox.unsent("batch-1")).extracting(NotificationOutbox.Row::id).isEqualTo(oldestWaiting.subList(40, 100));
        assertThat(outbox.unsent("batch-1").get(0).notification().event()).isEqualTo(NotificationEvent.SLA_BREACH);
    }

    @Test
    void aBatchIsOpenedInATransaction_elseItsRowsWouldNotStayLocked() {
        long waiting = waiting();

        assertThatThrownBy(() -> outbox.openBatch("batch-without-transaction", 100))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction");
        assertThat(waiting()).isEqualTo(waiting);
    }

    @Test
    void sentRowsOlderThanTheCutoffLeave_waitingAndNewerOnesStay() {
        long waiting = waiting();
        long sentInTheFirstWeek = jdbc.sql("select count(*) from notification_outbox where sent_at < now() - interval '23 days'")
                .query(Long.class).single();

        int removed = 0;
        int batch;
        do {
            batch = outbox.removeSentBefore(OffsetDateTime.now(ZoneOffset.UTC).minusDays(23), 1000);
            removed += batch;
        } while (batch == 1000);

        assertThat(sentInTheFirstWeek).isBetween(4000L, 6000L);
        assertThat(removed).isEqualTo(sentInTheFirstWeek);
        assertThat(jdbc.sql("select count(*) from notification_outbox where sent_at < now() - interval '23 days'").query(Long.class).single())
                .isZero();
        assertThat(waiting()).isEqualTo(waiting);
    }

    long waiting() {
        return jdbc.sql("select count(*) from notification_outbox where batch_id is null").query(Long.class).single();
    }

    /**
     * The rows the statement reads, run in a transaction that is rolled back: what its scans return
     * (per loop) and what their filters and joins drop. Not buffers: rows written one after the other
     * share their pages, so a plan that reads 15,000 of them touches only a few hundred.
     */
    long rowsRead(String statement) throws Exception {
        String json = transactions.execute(status -> {
            String plan = jdbc.sql("explain (analyze, format json) " + statement).query(String.class).single();
            status.setRollbackOnly();
            return plan;
        });
        return rowsRead(new ObjectMapper().readTree(json).get(0).get("Plan"));
    }

    static long rowsRead(JsonNode node) {
        long rows = node.path("Rows Removed by Filter").asLong() + node.path("Rows Removed by Join Filter").asLong()
                + node.path("Rows Removed by Index Recheck").asLong();
        if (node.path("Node Type").asText().endsWith("Scan")) {
            rows += node.path("Actual Rows").asLong() * node.path("Actual Loops").asLong();
        }
        for (JsonNode child : node.path("Plans")) {
            rows += rowsRead(child);
        }
        return rows;
    }
}
