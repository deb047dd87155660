package io.leadflow.capture;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.leadflow.web.TextRules;

/** Tables {@code lead_import} and {@code lead_import_error}: the progress of CSV imports. */
@Repository
public class LeadImportRepository {

    /** Rejected rows kept per import; the count of rejected rows goes on. */
    public static final int MAX_ERRORS = 100;

    /** The statuses of an import that may still change. */
    private static final List<String> OPEN = Arrays.stream(LeadImport.Status.values()).filter(LeadImport.Status::open)
            .map(Enum::name).toList();

    private final JdbcClient jdbc;

    public LeadImportRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A new import, QUEUED; {@code startedBy}: the caller who uploaded it ({@link io.leadflow.security.Caller}). */
    public void insert(String id, String fileName, String startedBy, OffsetDateTime now) {
        jdbc.sql("""
                insert into lead_import (id, file_name, status, rows_read, leads_created, duplicates, rejected,
                                         started_at, updated_at, started_by)
                values (:id, :fileName, :status, 0, 0, 0, 0, :now, :now, :startedBy)
                """)
                .param("id", id)
                .param("fileName", fileName)
                .param("startedBy", startedBy)
                .param("status", LeadImport.Status.QUEUED.name())
                .param("now", now)
                .update();
    }

    /**
     * A worker took a queued import: it is RUNNING from now on.
     *
     * @return false when the import is no longer queued (it was ended meanwhile) and must not run
     */
    public boolean markRunning(String id, OffsetDateTime now) {
        return jdbc.sql("update lead_import set status = :running, updated_at = :now where id = :id and status = :queued")
                .param("running", LeadImport.Status.RUNNING.name())
                .param("queued", LeadImport.Status.QUEUED.name())
                .param("now", now)
                .param("id", id)
                .update() == 1;
    }

    /** Stores the counts so far and the rejected rows found since the last call. */
    public void progress(String id, LeadImport.Counts counts, List<LeadImport.RowError> newErrors, OffsetDateTime now) {
        jdbc.sql("""
                update lead_import set rows_read = :rowsRead, leads_created = :created, duplicates = :duplicates,
                       rejected = :rejected, suppressed = :suppressed, updated_at = :now
                where id = :id
                """)
                .param("rowsRead", counts.rowsRead())
                .param("created", counts.created())
                .param("duplicates", counts.duplicates())
                .param("rejected", counts.rejected())
                .param("suppressed", counts.suppressed())
                .param("now", now)
                .param("id", id)
                .update();
        for (LeadImport.RowError error : newErrors) {
            jdbc.sql("insert into lead_import_error (import_id, csv_row, field_name, reason) values (:id, :row, :field, :reason)")
                    .param("id", id)
                    .param("row", error.row())
                    .param("field", error.field())
                    .param("reason", TextRules.cut(error.reason(), 500))
                    .update();
        }
    }

    /** Ends a queued or running import as DONE or FAILED; an import that has ended already stays as it is. */
    public void finish(String id, LeadImport.Status status, String failure, OffsetDateTime now) {
        jdbc.sql("""
                update lead_import set status = :status, failure = :failure, finished_at = :now, updated_at = :now
                where id = :id and status in (:open)
                """)
                .param("status", status.name())
                .param("failure", TextRules.cut(failure, 1000))
                .param("now", now)
                .param("id", id)
                .param("open", OPEN)
                .update();
    }

    /**
     * Refreshes {@code updated_at} of the queued or running imports among these (the ones this node holds), so
     * that no node's sweep takes them for orphans.
     *
     * @return how many were refreshed
     */
    public int touch(Collection<String> ids, OffsetDateTime now) {
        if (ids.isEmpty()) {
            return 0;
        }
        return jdbc.sql("update lead_import set updated_at = :now where id in (:ids) and status in (:open)")
                .param("now", now)
                .param("ids", ids)
                .param("open", OPEN)
                .update();
    }

    /** Queued or running imports not updated since {@code cutoff}, oldest first. */
    public List<StaleImport> openNotUpdatedSince(OffsetDateTime cutoff) {
        return jdbc.sql("select id, rows_read from lead_import where status in (:open) and updated_at < :cutoff order by updated_at, id")
                .param("open", OPEN)
                .param("cutoff", cutoff)
                .query((rs, n) -> new StaleImport(rs.getString("id"), rs.getInt("rows_read")))
                .list();
    }

    /**
     * Ends a queued or running import as FAILED unless it was updated since {@code cutoff}: a heartbeat or a
     * progress stored after the sweep read it wins, and of several nodes' sweeps only one fails it.
     *
     * @return whether this call failed it
     */
    public boolean failIfNotUpdatedSince(String id, OffsetDateTime cutoff, String failure, OffsetDateTime now) {
        return jdbc.sql("""
                update lead_import set status = :failed, failure = :failure, finished_at = :now, updated_at = :now
                where id = :id and status in (:open) and updated_at < :cutoff
                """)
                .param("failed", LeadImport.Status.FAILED.name())
                .param("failure", TextRules.cut(failure, 1000))
                .param("now", now)
                .param("id", id)
                .param("open", OPEN)
                .param("cutoff", cutoff)
                .update() == 1;
    }

    /** A queued or running import that was not updated for a while, and the rows it had read by its last update. */
    public record StaleImport(String id, int rowsRead) {
    }

    /** Forgets an import that never started (refused because the queue was full). */
    public void delete(String id) {
        jdbc.sql("delete from lead_import where id = :id").param("id", id).update();
    }

    public Optional<LeadImport> find(String id) {
        return jdbc.sql("select * from lead_import where id = :id")
                .param("id", id)
                .query((rs, n) -> new LeadImport(
                        rs.getString("id"),
                        rs.getString("file_name"),
                        LeadImport.Status.valueOf(rs.getString("status")),
                        rs.getInt("rows_read"),
                        rs.getInt("leads_created"),
                        rs.getInt("duplicates"),
                        rs.getInt("rejected"),
                        rs.getInt("suppressed"),
                        List.of(),
                        rs.getString("failure"),
                        rs.getObject("started_at", OffsetDateTime.class),
                        rs.getObject("finished_at", OffsetDateTime.class),
                        rs.getString("started_by")))
                .optional()
                .map(found -> found.withErrors(errors(id)));
    }

    private List<LeadImport.RowError> errors(String id) {
        return jdbc.sql("""
                select csv_row, field_name, reason from lead_import_error where import_id = :id order by csv_row, id
                """)
                .param("id", id)
                .query((rs, n) -> new LeadImport.RowError(rs.getLong("csv_row"), rs.getString("field_name"),
                        rs.getString("reason")))
                .list();
    }
}
