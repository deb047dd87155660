package io.leadflow.capture;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

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

    private final JdbcClient jdbc;

    public IdempotencyKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
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
