package io.leadflow.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.PreDestroy;

import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.leadflow.capture.LeadImport.Counts;
import io.leadflow.capture.LeadImport.RowError;
import io.leadflow.capture.LeadImport.Status;
import io.leadflow.sla.EngineClock;
import io.leadflow.web.InvalidFieldsException.FieldProblem;

/**
 * CSV imports of leads. The upload is stored in a temporary file and its header checked, then the
 * rows are read one by one in the background: each row is validated like a JSON capture and
 * captured in its own transaction (new email → lead and lifecycle, known email → duplicate, an
 * address that asked not to be contacted → suppressed, source {@code import}), so a bad row never
 * loses the good ones. Logs and the stored failure name rows and exception types, never a row's
 * values (personal data): the full exception is logged at DEBUG. Progress is stored every
 * {@value #PROGRESS_EVERY} rows.
 */
@Service
public class LeadImports {

    static final String SOURCE = LeadRegistration.NO_ENGAGEMENT_SOURCE;
    static final int PROGRESS_EVERY = 100;

    private static final Logger log = LoggerFactory.getLogger(LeadImports.class);

    private final LeadImportRepository imports;
    private final LeadTextInput input;
    private final LeadCaptureService capture;
    private final ThreadPoolTaskExecutor executor;
    private final TransactionTemplate transaction;
    private final EngineClock clock;
    private volatile boolean stopping;

    public LeadImports(LeadImportRepository imports, LeadTextInput input, LeadCaptureService capture,
                       @Qualifier(LeadImportExecutorConfiguration.EXECUTOR) ThreadPoolTaskExecutor executor,
                       TransactionTemplate transaction, EngineClock clock) {
        this.imports = imports;
        this.input = input;
        this.capture = capture;
        this.executor = executor;
        this.transaction = transaction;
        this.clock = clock;
    }

    /**
     * Stores the upload, checks its header row and starts the import in the background.
     *
     * @return the new import's id
     * @throws io.leadflow.web.InvalidFieldsException when the header row lacks a required column (nothing is imported)
     */
    public String start(String fileName, InputStream upload) throws IOException {
        Path file = Files.createTempFile("leadflow-import-", ".csv");
        try {
            Files.copy(upload, file, StandardCopyOption.REPLACE_EXISTING);
            CsvLeadFile.open(file).close();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        String id = UUID.randomUUID().toString();
        imports.insert(id, fileName, clock.nowUtc());
        try {
            executor.execute(() -> run(id, file));
        } catch (TaskRejectedException e) {
            Files.deleteIfExists(file);
            if (!stopping && !executor.getThreadPoolExecutor().isShutdown()) {
                imports.delete(id);
                log.info("Import of '{}' refused: {} imports are waiting already", fileName, executor.getQueueSize());
                throw new ImportQueueFullException();
            }
            imports.finish(id, Status.FAILED, "Not started: the application is shutting down; upload the file again",
                    clock.nowUtc());
        }
        log.info("Import {} of '{}' accepted", id, fileName);
        return id;
    }

    /** Every import worker is busy and the queue of waiting imports is full: nothing was stored. */
    public static class ImportQueueFullException extends RuntimeException {
        ImportQueueFullException() {
            super("Too many imports are waiting; nothing was stored");
        }
    }

    /** Reads every row of the file; ends the import as DONE, or FAILED if the file cannot be read to its end. */
    void run(String id, Path file) {
        Progress progress = new Progress(id);
        try (CsvLeadFile csv = CsvLeadFile.open(file)) {
            Iterator<CSVRecord> rows = csv.rows();
            while (rows.hasNext()) {
                if (stopping) {
                    throw new ImportStopped(progress.counts().rowsRead());
                }
                importRow(csv, rows.next(), progress);
                if (progress.counts().rowsRead() % PROGRESS_EVERY == 0) {
                    progress.store();
                }
            }
            progress.store();
            imports.finish(id, Status.DONE, null, clock.nowUtc());
            log.info("Import {} done: {}", id, progress.counts());
        } catch (IOException | UncheckedIOException | ImportStopped e) {
            fail(progress, e instanceof ImportStopped ? e.getMessage() : "The file could not be read after row "
                    + (progress.counts().rowsRead() + 1) + ": " + e.getMessage());
        } catch (RuntimeException e) {
            fail(progress, "The import stopped after row " + (progress.counts().rowsRead() + 1) + ": "
                    + e.getClass().getSimpleName());
            log.error("Import {} failed after row {} ({})", id, progress.counts().rowsRead() + 1, e.getClass().getName());
            log.debug("Import {} failed", id, e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("Import {}: temporary file {} not deleted", id, file, e);
            }
        }
    }

    private void importRow(CsvLeadFile csv, CSVRecord row, Progress progress) {
        long rowNumber = CsvLeadFile.rowNumber(row);
        LeadTextInput.Result result = input.read(field -> csv.value(row, field), SOURCE);
        if (!result.valid()) {
            progress.rejected(rowNumber, result.problems());
            return;
        }
        try {
            CapturedLead lead = capture.capture(result.lead());
            if (lead.suppressed()) {
                progress.suppressed();
            } else {
                progress.captured(lead.created());
            }
        } catch (DuplicateKeyException e) {
            // the same email captured concurrently through another channel
            progress.captured(false);
        } catch (RuntimeException e) {
            // the exception's message may quote the row's values (personal data): its type only, details at DEBUG
            log.warn("Import {}: row {} could not be captured ({})", progress.id, rowNumber, e.getClass().getSimpleName());
            log.debug("Import {}: row {} could not be captured", progress.id, rowNumber, e);
            progress.rejected(rowNumber, List.of(new FieldProblem(null, "could not be captured ("
                    + e.getClass().getSimpleName() + "); try the row again")));
        }
    }

    private void fail(Progress progress, String reason) {
        try {
            progress.store();
            imports.finish(progress.id, Status.FAILED, reason, clock.nowUtc());
        } catch (RuntimeException e) {
            log.error("Import {} failed and its state could not be stored: {}", progress.id, reason, e);
        }
        log.warn("Import {} failed: {}", progress.id, reason);
    }

    /** At shutdown, running imports stop after their current row and record how far they got. */
    @PreDestroy
    void stop() {
        stopping = true;
        executor.shutdown();
    }

    /** Counts and not yet stored errors of one running import (one thread). */
    private final class Progress {

        private final String id;
        private final List<RowError> pendingErrors = new ArrayList<>();
        private int rowsRead;
        private int created;
        private int duplicates;
        private int rejected;
        private int suppressed;
        private int errorsKept;

        Progress(String id) {
            this.id = id;
        }

        void captured(boolean isNew) {
            rowsRead++;
            if (isNew) {
                created++;
            } else {
                duplicates++;
            }
        }

        void suppressed() {
            rowsRead++;
            suppressed++;
        }

        void rejected(long row, List<FieldProblem> problems) {
            rowsRead++;
            rejected++;
            for (FieldProblem problem : problems) {
                if (errorsKept < LeadImportRepository.MAX_ERRORS) {
                    pendingErrors.add(new RowError(row, problem.field(), problem.reason()));
                    errorsKept++;
                }
            }
        }

        Counts counts() {
            return new Counts(rowsRead, created, duplicates, rejected, suppressed);
        }

        void store() {
            List<RowError> errors = List.copyOf(pendingErrors);
            transaction.executeWithoutResult(status -> imports.progress(id, counts(), errors, clock.nowUtc()));
            pendingErrors.clear();
            log.debug("Import {}: {}", id, counts());
        }
    }

    /** The application is shutting down. */
    private static final class ImportStopped extends RuntimeException {
        ImportStopped(int rowsRead) {
            super("Stopped by a shutdown of the application after " + rowsRead
                    + " rows; upload the file again (rows already imported then count as duplicates)");
        }
    }
}
