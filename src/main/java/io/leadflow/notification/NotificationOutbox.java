package io.leadflow.notification;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

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

    /**
     * Gives up to {@code size} waiting rows, the oldest first, to the batch {@code batchId}; answers how
     * many it took. Nodes that open batches at the same time never share a row: the update takes only
     * rows still waiting when it writes them (the database decides).
     */
    public int openBatch(String batchId, int size) {
        return jdbc.sql("update notification_outbox set batch_id = :batch where batch_id is null and id in"
                        + " (select id from notification_outbox where batch_id is null order by created_at limit :size)")
                .param("batch", batchId).param("size", size)
                .update();
    }

    /** The batch's rows not sent yet, the oldest first. */
    public List<Row> unsent(String batchId) {
        return jdbc.sql("select id, event, channel, lead_id, message from notification_outbox"
                        + " where batch_id = :batch and sent_at is null order by created_at")
                .param("batch", batchId)
                .query((rs, n) -> new Row(rs.getString("id"), Notification.of(rs.getString("event"), rs.getString("channel"),
                        rs.getString("lead_id"), rs.getString("message"))))
                .list();
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
        return jdbc.sql("delete from notification_outbox where id in"
                        + " (select id from notification_outbox where sent_at < :cutoff limit :limit)")
                .param("cutoff", cutoff).param("limit", limit)
                .update();
    }
}
