package io.leadflow.recycling;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.micrometer.core.instrument.Metrics;
import org.springframework.stereotype.Repository;

import io.leadflow.lead.EmailAddresses;

/**
 * Table {@code lead_suppression}: the addresses that asked not to be contacted, as a salted hash
 * (HMAC-SHA-256 of the normalized email) so an erased lead's address is not kept, yet the same
 * address arriving again is recognized and refused.
 */
@Repository
public class Suppressions {

    /** Counter of submissions refused because their address asked not to be contacted, tagged by channel. */
    public static final String REFUSED_METRIC = "leadflow.capture.suppressed";

    /** The channels the metric is tagged with (a client's free-text source counts as api). */
    private static final Set<String> CHANNELS = Set.of("api", "webForm", "import", "Tasklist", "engagement");

    private final JdbcClient jdbc;
    private final SecretKeySpec salt;

    public Suppressions(JdbcClient jdbc, PrivacyProperties properties) {
        this.jdbc = jdbc;
        this.salt = new SecretKeySpec(properties.suppressionSalt().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** Counts a submission refused because its address asked not to be contacted. */
    public static void countRefused(String channel) {
        Metrics.counter(REFUSED_METRIC, "channel", CHANNELS.contains(channel) ? channel : "api").increment();
    }

    /** The salted hash of the normalized address (64 hex digits). */
    public String hash(String email) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(salt);
            return HexFormat.of().formatHex(mac.doFinal(EmailAddresses.normalize(email).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isSuppressed(String email) {
        return email != null && jdbc.sql("select count(*) from lead_suppression where email_hash = :hash")
                .param("hash", hash(email))
                .query(Long.class).single() > 0;
    }

    /**
     * Remembers the address (once; a second request for it changes nothing). Two requests for the
     * same address at once: the primary key lets one win, the other fails with a duplicate key and
     * is retried by its caller.
     */
    public void suppress(String email, String leadId, OffsetDateTime now) {
        if (isSuppressed(email)) {
            return;
        }
        jdbc.sql("insert into lead_suppression (email_hash, lead_id, suppressed_at) values (:hash, :leadId, :now)")
                .param("hash", hash(email))
                .param("leadId", leadId)
                .param("now", now)
                .update();
    }
}
