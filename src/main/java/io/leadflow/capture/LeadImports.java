package io.leadflow.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;

import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.leadflow.capture.LeadImport.Counts;
import io.leadflow.capture.LeadImport.RowError;
import io.leadflow.capture.LeadImport.Status;
import io.leadflow.lead.EmailAddresses;
import io.leadflow.sla.EngineClock;
import io.leadflow.web.InvalidFieldsException.FieldProblem;

/**
 * CSV imports of leads. The upload is stored in a temporary file and its header checked, then the
 * rows are read in the background: each row is validated like a JSON capture and captured in its
 * own transaction (new email → lead and lifecycle, known email → duplicate, an address that asked
 * not to be contacted → suppressed, source {@code import}), so a bad row never loses the good ones.
 * One reader per import hands rows to {@code leadflow.imports.parallel-rows} capture threads (4):
 * a capture spends most of its time waiting for the database, so one thread left both cores
 * idle most of the time. Rows of one file may therefore be captured out of order; the same email
 * twice in a file is decided by the database like any concurrent capture (one lead, one duplicate).
 * Every row of an import starts the lifecycle and is scored on the versions deployed when the import
 * started ({@link LeadModels}).
 * Logs and the stored failure name rows and exception types, never a row's values (personal data):
 * the full exception is logged at DEBUG. Progress is stored about every {@value #PROGRESS_EVERY}
 * rows.
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
    private final int parallelRows;
    private final AtomicInteger rowThreads = new AtomicInteger();
    /** The imports this node holds, queued or running: {@link LeadImportHeartbeat} keeps them alive in the database. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public LeadImports(LeadImportRepository imports, LeadTextInput input, LeadCaptureService capture,
                       @Qualifier(LeadImportExecutorConfiguration.EXECUTOR) ThreadPoolTaskExecutor executor,
                       TransactionTemplate transaction, EngineClock clock,
                       @Value("${leadflow.imports.parallel-rows:4}") int parallelRows) {
        if (parallelRows < 1 || parallelRows > 32) {
            throw new IllegalArgumentException("leadflow.imports.parallel-rows must be 1..32, was " + parallelRows);
        }
        this.parallelRows = parallelRows;
        this.imports = imports;
        this.input = input;
        this.capture = capture;
        this.executor = executor;
        this.transaction = transaction;
        this.clock = clock;
    }

    /**
     * Stores the upload, checks that it is UTF-8 text, its header row and the CSV syntax of every row,
     * and starts the import in the background.
     *
     * @param startedBy the caller who uploaded it ({@link io.leadflow.security.Caller#id()}): who may watch it without scope read
     * @return the new import's id
     * @throws io.leadflow.web.InvalidFieldsException when the file is not UTF-8 text, the header row lacks a
     *         required column or a row is not valid CSV (nothing is imported)
     */
    public String start(String fileName, String startedBy, InputStream upload) throws IOException {
        Path file = Files.createTempFile("leadflow-import-", ".csv");
        // the file is the background task's once the executor took it; whatever fails before that
        // (the upload, the checks, the database, a refused task) deletes it here
        boolean handedOver = false;
        try {
            Files.copy(upload, file, StandardCopyOption.REPLACE_EXISTING);
            CsvLeadFile.requireUtf8(file);
            CsvLeadFile.requireWellFormed(file);
            String id = UUID.randomUUID().toString();
            imports.insert(id, fileName, startedBy, clock.nowUtc());
            // held before the executor takes it: a queued import may wait for a worker longer than the sweep's threshold
            held.add(id);
            try {
                executor.execute(() -> run(id, file));
                handedOver = true;
            } catch (TaskRejectedException e) {
                if (!stopping && !executor.getThreadPoolExecutor().isShutdown()) {
                    imports.delete(id);
                    // a file's name may name a person ("erin-erasable-leads.csv"), which no erasure reaches in a log: DEBUG only
                    log.info("Import refused: {} imports are waiting already", executor.getQueueSize());
                    log.debug("Import of '{}' refused", fileName);
                    throw new ImportQueueFullException();
                }
                imports.finish(id, Status.FAILED, "Not started: the application is shutting down; upload the file again",
                        clock.nowUtc());
            } finally {
                if (!handedOver) {
                    held.remove(id);
                }
            }
            log.info("Import {} accepted", id);
            log.debug("Import {} of '{}' accepted", id, fileName);
            return id;
        } finally {
            if (!handedOver) {
                deleteTemporary(file);
            }
        }
    }

    /** Deletes an upload no import reads; a failure to do so is logged, never thrown over the error that led here. */
    private static void deleteTemporary(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Temporary file {} not deleted", file, e);
        }
    }

    /** Every import worker is busy and the queue of waiting imports is full: nothing was stored. */
    public static class ImportQueueFullException extends RuntimeException {
        ImportQueueFullException() {
            super("Too many imports are waiting; nothing was stored");
        }
    }

    /** Reads every row of the file; ends the import as DONE, or FAILED if the file cannot be read to its end. */
    void run(String id, Path file) {
        try {
            if (!imports.markRunning(id, clock.nowUtc())) {
                // ended while it waited (a sweep that took this node for gone): nothing of it runs
                log.warn("Import {} was no longer queued when a worker took it; not run", id);
                held.remove(id);
                deleteTemporary(file);
                return;
            }
        } catch (RuntimeException e) {
            held.remove(id);
            deleteTemporary(file);
            failQuietly(id, "Not started: " + e.getClass().getSimpleName() + "; upload the file again");
            log.error("Import {} could not start ({})", id, e.getClass().getName());
            return;
        }
        Progress progress = new Progress(id);
        // one single-thread lane per capture thread; the rows of one email always take the same lane,
        // so the first row of an email in the file is captured first and wins, the later ones are its duplicates
        List<ExecutorService> lanes = new ArrayList<>();
        for (int lane = 0; lane < parallelRows; lane++) {
            lanes.add(Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "lead-import-row-" + rowThreads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }));
        }
        // the reader stays at most two rows per thread ahead of the captures
        Semaphore ahead = new Semaphore(2 * parallelRows);
        try (CsvLeadFile csv = CsvLeadFile.open(file)) {
            try {
                LeadModels models = capture.currentModels();
                Iterator<CSVRecord> rows = csv.rows();
                while (rows.hasNext()) {
                    if (stopping) {
                        throw new ImportStopped();
                    }
                    CSVRecord row = rows.next();
                    ahead.acquireUninterruptibly();
                    lanes.get(lane(csv, row)).execute(() -> {
                        try {
                            importRow(csv, row, progress, models);
                        } finally {
                            ahead.release();
                        }
                    });
                }
            } finally {
                // a row that is being captured is finished, whatever happens to the rest
                lanes.forEach(ExecutorService::shutdown);
                lanes.forEach(lane -> awaitRows(lane, id));
            }
            progress.store();
            imports.finish(id, Status.DONE, null, clock.nowUtc());
            log.info("Import {} done: {}", id, progress.counts());
        } catch (IOException | UncheckedIOException | ImportStopped e) {
            fail(progress, e instanceof ImportStopped ? ImportStopped.reason(progress.rowsDone()) : "The file could not be read after row "
                    + (progress.rowsDone() + 1) + ": " + e.getMessage());
        } catch (RuntimeException e) {
            fail(progress, "The import stopped after row " + (progress.rowsDone() + 1) + ": "
                    + e.getClass().getSimpleName());
            log.error("Import {} failed after row {} ({})", id, progress.rowsDone() + 1, e.getClass().getName());
            log.debug("Import {} failed", id, e);
        } finally {
            held.remove(id);
            lanes.forEach(ExecutorService::shutdownNow);
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("Import {}: temporary file {} not deleted", id, file, e);
            }
        }
    }

    /** The lane of a row: by its email as the database compares it (a row without one: any lane). */
    private int lane(CsvLeadFile csv, CSVRecord row) {
        String email;
        try {
            email = csv.value(row, "email");
        } catch (RuntimeException unreadable) {
            email = null;
        }
        return lane(email, CsvLeadFile.rowNumber(row), parallelRows);
    }

    /** Rows whose emails are the same address for the database share a lane; a row without an email goes by its number. */
    static int lane(String email, long rowNumber, int lanes) {
        String key = email == null ? Long.toString(rowNumber) : EmailAddresses.normalize(email);
        return Math.floorMod(key.hashCode(), lanes);
    }

    private static void awaitRows(ExecutorService rowWorkers, String id) {
        try {
            while (!rowWorkers.awaitTermination(30, TimeUnit.SECONDS)) {
                log.info("Import {}: waiting for the rows being captured", id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void importRow(CsvLeadFile csv, CSVRecord row, Progress progress, LeadModels models) {
        long rowNumber = CsvLeadFile.rowNumber(row);
        LeadTextInput.Result result;
        try {
            result = input.read(field -> csv.value(row, field), SOURCE);
        } catch (RuntimeException e) {
            log.warn("Import {}: row {} could not be read ({})", progress.id, rowNumber, e.getClass().getSimpleName());
            progress.rejected(rowNumber, List.of(new FieldProblem(null, "could not be read (" + e.getClass().getSimpleName() + ")")));
            return;
        }
        if (!result.valid()) {
            progress.rejected(rowNumber, result.problems());
            return;
        }
        try {
            CapturedLead lead = capture.capture(result.lead(), models);
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

    /** Ends an import that never read a row as FAILED, as far as the database lets it. */
    private void failQuietly(String id, String reason) {
        try {
            imports.finish(id, Status.FAILED, reason, clock.nowUtc());
        } catch (RuntimeException e) {
            log.error("Import {} failed and its state could not be stored: {}", id, reason, e);
        }
    }

    private void fail(Progress progress, String reason) {
        try {
            progress.store();
        } catch (RuntimeException e) {
            log.error("Import {}: the counts of its last rows could not be stored", progress.id, e);
        }
        failQuietly(progress.id, reason);
        log.warn("Import {} failed: {}", progress.id, reason);
    }

    /** The ids of the imports this node holds now, queued or running. */
    Set<String> held() {
        return Set.copyOf(held);
    }

    /**
     * At the start of a stop (after the job acquisition's), while the database is still reachable: running
     * imports stop after their current row and record how far they got.
     */
    @org.springframework.context.event.EventListener(org.springframework.context.event.ContextClosedEvent.class)
    @PreDestroy
    void stop() {
        stopping = true;
        executor.shutdown();
    }

    /** Counts and not yet stored errors of one running import (its capture threads report here, the reader stores). */
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

        synchronized void captured(boolean isNew) {
            if (isNew) {
                created++;
            } else {
                duplicates++;
            }
            rowDone();
        }

        synchronized void suppressed() {
            suppressed++;
            rowDone();
        }

        synchronized void rejected(long row, List<FieldProblem> problems) {
            rejected++;
            for (FieldProblem problem : problems) {
                if (errorsKept < LeadImportRepository.MAX_ERRORS) {
                    pendingErrors.add(new RowError(row, problem.field(), problem.reason()));
                    errorsKept++;
                }
            }
            rowDone();
        }

        /**
         * Every hundredth row stores the progress, under this lock: the stored counts are exact
         * steps of a hundred and never go back, for one short update per hundred rows.
         */
        private void rowDone() {
            rowsRead++;
            if (rowsRead % PROGRESS_EVERY == 0) {
                try {
                    store();
                } catch (RuntimeException e) {
                    // the rows are captured; the next store or the end of the import records them
                    log.warn("Import {}: progress not stored ({})", id, e.getClass().getSimpleName());
                }
            }
        }

        synchronized Counts counts() {
            return new Counts(rowsRead, created, duplicates, rejected, suppressed);
        }

        synchronized int rowsDone() {
            return rowsRead;
        }

        /** Stores the counts and the errors found since the last store, in row order. */
        synchronized void store() {
            Counts counts = counts();
            List<RowError> errors = pendingErrors.stream().sorted(Comparator.comparingLong(RowError::row)).toList();
            transaction.executeWithoutResult(status -> imports.progress(id, counts, errors, clock.nowUtc()));
            pendingErrors.clear();
            log.debug("Import {}: {}", id, counts);
        }
    }

    /** The application is shutting down. */
    private static final class ImportStopped extends RuntimeException {
        static String reason(int rowsDone) {
            return "Stopped by a shutdown of the application after " + rowsDone
                    + " rows; upload the file again (rows already imported then count as duplicates)";
        }
    }
}
