package io.leadflow.notification;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.leadflow.sla.EngineClock;

/**
 * Sends the outbox's notifications in batches: every {@code leadflow.notifications.batch-interval}
 * (PT0.5S) each node gives up to {@code leadflow.notifications.batch-size} (100) waiting rows to a new
 * batch, a "Send notification" instance with only the batch's id, started in the same transaction;
 * its job sends them ({@link SendNotificationDelegate}). A wave of SLA timers thus costs one instance
 * and one job per hundred notifications instead of one each (docs/BENCHMARKS.md: the instances were
 * more than half of a 10,000-timer wave). Batches open while they fill, so a burst is taken at once.
 * The database decides which node takes a row ({@link NotificationOutbox#openBatch}). Sent rows older
 * than the notification process's history (30 days) are removed here too.
 */
@Component
public class NotificationBatches {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationBatches.class);

    /** The batch instance's one variable. */
    public static final String BATCH_ID = "batchId";

    static final Duration KEEP_SENT = Duration.ofDays(30);
    private static final Duration CLEANUP_EVERY = Duration.ofMinutes(1);

    private final NotificationOutbox outbox;
    private final RuntimeService runtime;
    private final TransactionTemplate transactions;
    private final EngineClock clock;
    private final int size;
    private volatile OffsetDateTime nextCleanup = OffsetDateTime.MIN;

    public NotificationBatches(NotificationOutbox outbox, RuntimeService runtime, TransactionTemplate transactions, EngineClock clock,
                               @Value("${leadflow.notifications.batch-size:100}") int size,
                               @Value("${leadflow.notifications.batch-interval:PT0.5S}") String interval) {
        io.leadflow.platform.SettingFailureAnalyzer.interval("leadflow.notifications.batch-interval", interval);
        if (size < 1 || size > 1000) {
            throw new IllegalArgumentException("leadflow.notifications.batch-size must be 1 to 1000, was " + size);
        }
        this.outbox = outbox;
        this.runtime = runtime;
        this.transactions = transactions;
        this.clock = clock;
        this.size = size;
    }

    @Scheduled(initialDelayString = "${leadflow.notifications.batch-interval:PT0.5S}",
            fixedDelayString = "${leadflow.notifications.batch-interval:PT0.5S}")
    public void check() {
        try {
            openBatches();
            removeOldSent();
        } catch (RuntimeException e) {
            LOG.warn("Notifications could not be given to batches; the next check tries again", e);
        }
    }

    /** Opens batches while there are waiting notifications; answers how many it opened. */
    public int openBatches() {
        int opened = 0;
        int taken;
        do {
            taken = transactions.execute(status -> openBatch());
            if (taken > 0) {
                opened++;
            }
        } while (taken == size);
        return opened;
    }

    private int openBatch() {
        String batch = UUID.randomUUID().toString();
        int taken = outbox.openBatch(batch, size);
        if (taken > 0) {
            runtime.startProcessInstanceByKey(Notifications.PROCESS, Map.of(BATCH_ID, batch));
            LOG.debug("Notification batch {}: {} notifications", batch, taken);
        }
        return taken;
    }

    private void removeOldSent() {
        OffsetDateTime now = clock.nowUtc();
        if (now.isBefore(nextCleanup)) {
            return;
        }
        nextCleanup = now.plus(CLEANUP_EVERY);
        int removed;
        do {
            removed = outbox.removeSentBefore(now.minus(KEEP_SENT), 1000);
        } while (removed == 1000);
    }
}
