package io.leadflow.capture;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A CSV import as {@code GET /api/imports/{id}} shows it: how far it got, what it created, and the
 * first {@value LeadImportRepository#MAX_ERRORS} rejected rows with the reason.
 */
public record LeadImport(
        String id,
        String fileName,
        Status status,
        int rowsRead,
        int created,
        int duplicates,
        int rejected,
        int suppressed,
        List<RowError> errors,
        String failure,
        OffsetDateTime startedAt,
        OffsetDateTime finishedAt,
        /** the caller who uploaded it ({@code api-key:<id>}, {@code user:<id>}); null for imports from before it was kept */
        @JsonIgnore String startedBy) {

    public enum Status {
        /** accepted; waits for a free import worker (two run at a time) */
        QUEUED,
        /** rows are being read */
        RUNNING,
        /** every row was read; rejected rows are listed, the others imported or counted as duplicates */
        DONE,
        /**
         * the file could not be read to its end, or the node importing it stopped (see {@code failure});
         * rows before that point stay imported
         */
        FAILED;

        /** Whether the import may still change: queued or running. */
        public boolean open() {
            return this == QUEUED || this == RUNNING;
        }
    }

    LeadImport withErrors(List<RowError> rowErrors) {
        return new LeadImport(id, fileName, status, rowsRead, created, duplicates, rejected, suppressed, List.copyOf(rowErrors),
                failure, startedAt, finishedAt, startedBy);
    }

    /**
     * A rejected row: its number as a spreadsheet shows it (the header is row 1), the column at fault
     * ({@code null} when the row as a whole failed) and why.
     */
    public record RowError(long row, String field, String reason) {
    }

    /** Counters of a running import; {@code suppressed}: rows whose address asked not to be contacted (not imported). */
    public record Counts(int rowsRead, int created, int duplicates, int rejected, int suppressed) {
    }
}
