package io.leadflow.capture;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

import io.leadflow.sla.EngineClock;

/**
 * Idempotency keys of capture requests; the primary key makes a key count once across nodes. A key
 * is the caller's own (the API key's name or the user): another caller sending the same key neither
 * gets the first caller's answer replayed nor is refused for it. The row's key is the SHA-256 of the
 * caller and the key, 64 hex characters, so a key of up to 200 characters still fits.
 */
@Repository
public class IdempotencyKeys {

    record Entry(String fingerprint, String leadId, boolean createdLead) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyKeys.class);

    private final JdbcClient jdbc;
    private final EngineClock clock;
    private final Duration retention;

    public IdempotencyKeys(JdbcClient jdbc, EngineClock clock,
                           @Value("${leadflow.capture.idempotency-key-retention:P7D}") Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("leadflow.capture.idempotency-key-retention must be a time longer than zero, was " + retention);
        }
        this.jdbc = jdbc;
        this.clock = clock;
        this.retention = retention;
    }

    /**
     * Forgets keys older than the retention, every hour on every node (a delete another node has done
     * finds nothing): a client retries within minutes, and a capture after that is answered as the
     * known email it is (200, the same lead), so the table does not grow by a row per capture forever.
     */
    @Scheduled(initialDelayString = "PT10M", fixedDelayString = "PT1H")
    public void removeExpired() {
        try {
            int removed = removeOlderThan(clock.nowUtc().minus(retention));
            if (removed > 0) {
                LOG.info("Idempotency keys older than {}: {} removed", retention, removed);
            }
        } catch (RuntimeException e) {
            LOG.warn("Idempotency keys could not be removed; the next run tries again", e);
        }
    }

    int removeOlderThan(OffsetDateTime before) {
        return jdbc.sql("delete from idempotency_key where created_at < :before").param("before", before).update();
    }

    Optional<Entry> find(String caller, String key) {
        return jdbc.sql("select fingerprint, lead_id, created_lead from idempotency_key where idem_key = :key")
                .param("key", stored(caller, key))
                .query((rs, n) -> new Entry(rs.getString(1), rs.getString(2), rs.getBoolean(3)))
                .optional();
    }

    void insert(String caller, String key, String fingerprint, String leadId, boolean createdLead, OffsetDateTime now) {
        jdbc.sql("""
                insert into idempotency_key (idem_key, fingerprint, lead_id, created_lead, created_at)
                values (:key, :fingerprint, :leadId, :created, :now)
                """)
                .param("key", stored(caller, key))
                .param("fingerprint", fingerprint)
                .param("leadId", leadId)
                .param("created", createdLead)
                .param("now", now)
                .update();
    }

    /** The row's key: the caller and its key, hashed together (a caller's name never contains a line break). */
    static String stored(String caller, String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((caller + "\n" + key).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException everyJvmHasIt) {
            throw new IllegalStateException(everyJvmHasIt);
        }
    }
}
