package io.leadflow.capture;

import java.time.OffsetDateTime;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Idempotency keys of capture requests; the primary key makes a key count once across nodes. */
@Repository
public class IdempotencyKeys {

    record Entry(String fingerprint, String leadId, boolean createdLead) {
    }

    private final JdbcClient jdbc;

    public IdempotencyKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Entry> find(String key) {
        return jdbc.sql("select fingerprint, lead_id, created_lead from idempotency_key where idem_key = :key")
                .param("key", key)
                .query((rs, n) -> new Entry(rs.getString(1), rs.getString(2), rs.getBoolean(3)))
                .optional();
    }

    void insert(String key, String fingerprint, String leadId, boolean createdLead, OffsetDateTime now) {
        jdbc.sql("""
                insert into idempotency_key (idem_key, fingerprint, lead_id, created_lead, created_at)
                values (:key, :fingerprint, :leadId, :created, :now)
                """)
                .param("key", key)
                .param("fingerprint", fingerprint)
                .param("leadId", leadId)
                .param("created", createdLead)
                .param("now", now)
                .update();
    }
}
