package io.leadflow.capture;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.leadflow.sla.EngineClock;

/**
 * Imports whose node stopped (killed, or its JVM died) end as FAILED instead of staying QUEUED or
 * RUNNING forever, with several nodes on one database. Every node refreshes {@code updated_at} of the imports
 * it holds, queued or running, every {@code leadflow.imports.heartbeat-interval} (PT1M); every node
 * sweeps every {@code leadflow.imports.orphan-check-interval} (PT1M) and fails each queued or running import
 * not updated for {@code leadflow.imports.orphaned-after} (PT5M). The sweep's update is conditional on
 * the import still being stale, so a heartbeat that comes first keeps it, and of several sweeps one
 * fails it. Times are the nodes' clocks: they must agree to well within orphaned-after less the
 * heartbeat interval.
 */
@Component
public class LeadImportHeartbeat {

    private static final Logger log = LoggerFactory.getLogger(LeadImportHeartbeat.class);

    private final LeadImports imports;
    private final LeadImportRepository records;
    private final EngineClock clock;
    private final Duration orphanedAfter;

    public LeadImportHeartbeat(LeadImports imports, LeadImportRepository records, EngineClock clock,
                               @Value("${leadflow.imports.heartbeat-interval:PT1M}") Duration heartbeatInterval,
                               @Value("${leadflow.imports.orphaned-after:PT5M}") Duration orphanedAfter) {
        // two heartbeats must fit in the threshold, or one late heartbeat fails an import that runs
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()
                || orphanedAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("leadflow.imports.orphaned-after (" + orphanedAfter
                    + ") must be at least twice leadflow.imports.heartbeat-interval (" + heartbeatInterval + ")");
        }
        this.imports = imports;
        this.records = records;
        this.clock = clock;
        this.orphanedAfter = orphanedAfter;
    }

    @Scheduled(initialDelayString = "${leadflow.imports.heartbeat-interval:PT1M}",
            fixedDelayString = "${leadflow.imports.heartbeat-interval:PT1M}")
    public void heartbeat() {
        try {
            refreshHeld();
        } catch (RuntimeException e) {
            log.warn("The imports of this node could not be marked alive; the next heartbeat tries again", e);
        }
    }

    @Scheduled(initialDelayString = "${leadflow.imports.orphan-check-interval:PT1M}",
            fixedDelayString = "${leadflow.imports.orphan-check-interval:PT1M}")
    public void sweep() {
        try {
            failOrphaned();
        } catch (RuntimeException e) {
            log.warn("Imports of stopped nodes could not be checked; the next sweep tries again", e);
        }
    }

    /** Refreshes the imports this node holds; answers how many queued or running imports were refreshed. */
    int refreshHeld() {
        return records.touch(imports.held(), clock.nowUtc());
    }

    /** Fails the queued or running imports no node updated for {@code orphaned-after}; answers how many this call failed. */
    int failOrphaned() {
        OffsetDateTime now = clock.nowUtc();
        OffsetDateTime cutoff = now.minus(orphanedAfter);
        // an import of this node is alive whatever its row says (its heartbeat is late, not its node gone)
        Set<String> held = imports.held();
        int failed = 0;
        for (LeadImportRepository.StaleImport stale : records.openNotUpdatedSince(cutoff)) {
            if (!held.contains(stale.id())
                    && records.failIfNotUpdatedSince(stale.id(), cutoff, reason(stale.rowsRead()), now)) {
                failed++;
                log.warn("Import {} failed: not updated since before {}, its node stopped after row {}", stale.id(), cutoff,
                        stale.rowsRead());
            }
        }
        return failed;
    }

    static String reason(int rowsRead) {
        return "Interrupted: the node importing it stopped after row " + rowsRead
                + "; upload the file again (rows already imported count as duplicates)";
    }
}
