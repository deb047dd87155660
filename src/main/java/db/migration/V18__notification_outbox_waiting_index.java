package db.migration;

import java.sql.Connection;
import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import io.leadflow.platform.EngineSchema;

/**
 * The notification outbox's waiting rows in the order batches take them
 * ({@code notification/NotificationOutbox}): an index of only the rows no batch has taken yet, so a
 * batch reads the oldest hundred and stops, however many wait and whatever the planner statistics
 * say. The index on {@code (batch_id, created_at)} cannot give that order for {@code batch_id is
 * null}: PostgreSQL read and sorted every waiting row for each batch.
 *
 * <p>PostgreSQL only; H2 (the demo) has no partial indexes, and its outbox is small. Built in the
 * migration's transaction, not {@code concurrently}: Flyway holds a transaction open on PostgreSQL
 * while it migrates, which a concurrent build waits for forever. The build reads the outbox once (30
 * days of sent rows) and holds off new notifications meanwhile: 0.1 s for 600,000 rows (20,000
 * notifications a day) on the benchmarks' 2-core machine. The index holds only the waiting rows.
 */
public class V18__notification_outbox_waiting_index extends BaseJavaMigration {

    private static final String INDEX = "create index notification_outbox_waiting on notification_outbox (created_at) where batch_id is null";

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (!EngineSchema.isPostgres(connection)) {
            return;
        }
        try (Statement sql = connection.createStatement()) {
            sql.execute(INDEX);
        }
    }
}
