package io.leadflow.notification;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The notifications waiting to be sent, table {@code notification_outbox} (V17): a row per message,
 * written in the transaction of the step that asks for it (so only a committed step notifies
 * anybody), taken by a batch ({@link NotificationBatches}) and marked sent by the batch's job.
 */
@Repository
public class NotificationOutbox {

    /** A waiting or sent message; its id is the notification's id (webhook {@code Idempotency-Key}, mail {@code Message-ID}). */
    public record Row(String id, Notification notification) {
    }

    private final JdbcClient jdbc;

    public NotificationOutbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Queues the notification. */
    public void add(Notification n, OffsetDateTime now) {
        String id = UUID.randomUUID().toString();
        jdbc.sql("insert into notification_outbox (id, event, channel, lead_id, lead_number, message, created_at)"
                        + " values (:id, :event, :channel, :leadId, :leadNumber, :message, :now)")
                .param("id", id).param("event", n.event().name()).param("channel", n.channel())
                .param("leadId", n.leadId()).param("leadNumber", n.leadNumber()).param("message", n.message())
                .param("now", now)
                .update();
    }

    /*
     * Every statement below finds its rows by an index whatever the planner statistics say, and then
     * acts on them by primary key. The statistics of a running installation describe a table of sent
     * rows with hardly any waiting; in a wave of SLA timers thousands wait within seconds, long before
     * autovacuum analyzes the table again. Statements whose plan depended on that estimate read every
     * waiting row for each batch: a batch's unsent rows went through the sent_at index over all unsent
     * rows (16-24 ms per batch, 3.5-5.3 s of PostgreSQL in a 10,000-timer wave), and opening a batch joined
     * the rows no batch had taken with its own subquery (330 ms per batch when 15,000 waited, as after
     * the nodes were down). docs/BENCHMARKS.md, "SLA timer wave", seventeenth run.
     */

    /**
     * The oldest waiting rows, locked; rows that another node's batch is taking are skipped. PostgreSQL
     * reads them in order from V18's index of the waiting rows and stops at {@code size}.
     */
    static final String TAKE_WAITING =
            "select id from notification_outbox where batch_id is null order by created_at limit :size for update skip locked";
    /** The rows taken, by primary key. */
    static final String MARK_BATCH = "update notification_outbox set batch_id = :batch where id in (:ids)";
    /** A batch's rows, sent or not, in order: by the index on (batch_id, created_at). */
    static final String BATCH_ROWS =
            "select id, event, channel, lead_id, message, sent_at from notification_outbox where batch_id = :batch order by created_at";
    /** Sent rows before the cutoff, by the index on sent_at. */
    static final String SENT_BEFORE = "select id from notification_outbox where sent_at < :cutoff limit :limit";

    /**
     * Gives up to {@code size} waiting rows, the oldest first, to the batch {@code batchId}; answers how
     * many it took. Nodes that open batches at the same time never share a row: the database locks the
     * rows a batch takes until its transaction ends, and the other nodes skip them. Runs in the caller's
     * transaction, which starts the batch's instance too ({@link NotificationBatches}).
     */
    public int openBatch(String batchId, int size) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("A notification batch is opened in a transaction: the rows it takes stay locked until its instance is started");
        }
        List<String> ids = jdbc.sql(TAKE_WAITING).param("size", size).query(String.class).list();
        if (ids.isEmpty()) {
            return 0;
        }
        return jdbc.sql(MARK_BATCH).param("batch", batchId).param("ids", ids).update();
    }

    /** The batch's rows not sent yet, the oldest first. */
    public List<Row> unsent(String batchId) {
        List<Row> unsent = new ArrayList<>();
        jdbc.sql(BATCH_ROWS).param("batch", batchId).query(rs -> {
            if (rs.getObject("sent_at") == null) {
                unsent.add(new Row(rs.getString("id"), Notification.of(rs.getString("event"), rs.getString("channel"),
                        rs.getString("lead_id"), rs.getString("message"))));
            }
        });
        return unsent;
    }

    /** Marks the batch's sent rows, in one statement. */
    public void sent(Collection<String> ids, OffsetDateTime now) {
        if (!ids.isEmpty()) {
            jdbc.sql("update notification_outbox set sent_at = :now where id in (:ids)").param("ids", ids).param("now", now).update();
        }
    }

    /** The row whose send failed leaves the outbox: a notification instance of its own retries it. */
    public void remove(String id) {
        jdbc.sql("delete from notification_outbox where id = :id").param("id", id).update();
    }

    /** The lead's notifications, sent or waiting (erasure); answers how many. */
    public int removeForLead(String leadId) {
        return jdbc.sql("delete from notification_outbox where lead_id = :leadId").param("leadId", leadId).update();
    }

    /** Sent rows older than {@code cutoff}, at most {@code limit} at a time; answers how many went. */
    public int removeSentBefore(OffsetDateTime cutoff, int limit) {
        List<String> ids = jdbc.sql(SENT_BEFORE).param("cutoff", cutoff).param("limit", limit).query(String.class).list();
        return ids.isEmpty() ? 0 : jdbc.sql("delete from notification_outbox where id in (:ids)").param("ids", ids).update();
    }
}
