package io.leadflow.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.validation.Validation;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.support.TransactionTemplate;

import io.leadflow.sla.EngineClock;

/**
 * Two nodes on one database: this node holds an import whose row was not updated for ten minutes
 * (it waits in the queue); the other node's sweep fails the imports whose node stopped (one running,
 * one still queued), and leaves alone the one this node's heartbeat refreshed, a finished one and one
 * updated a minute ago.
 */
class LeadImportHeartbeatTest {

    static final Duration HEARTBEAT = Duration.ofMinutes(1);
    static final Duration ORPHANED_AFTER = Duration.ofMinutes(5);

    @Test
    void sweep_failsTheImportOfAStoppedNode_andLeavesHeldFinishedAndRecentImportsAlone() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:import-heartbeat-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        JdbcClient jdbc = JdbcClient.create(h2);
        LeadImportRepository repository = new LeadImportRepository(jdbc);
        EngineClock clock = new EngineClock();
        OffsetDateTime tenMinutesAgo = clock.nowUtc().minusMinutes(10);

        // this node: its import waits in the queue, the executor never runs it
        List<Runnable> queued = new CopyOnWriteArrayList<>();
        ThreadPoolTaskExecutor queueOnly = new ThreadPoolTaskExecutor() {
            @Override
            public void execute(Runnable task) {
                queued.add(task);
            }
        };
        queueOnly.initialize();
        LeadImports thisNode = imports(repository, queueOnly, h2, clock);
        String held = thisNode.start("held.csv", null, new ByteArrayInputStream("""
                email,firstName,lastName,company,companySize,country
                held@example.com,Ada,Lovelace,Analytical Engines,500,DE
                """.getBytes(StandardCharsets.UTF_8)));
        jdbc.sql("update lead_import set updated_at = :old where id = :id").param("old", tenMinutesAgo).param("id", held).update();
        // a node that stopped after 300 rows, ten minutes ago
        String orphaned = UUID.randomUUID().toString();
        repository.insert(orphaned, "orphaned.csv", null, tenMinutesAgo);
        assertThat(repository.markRunning(orphaned, tenMinutesAgo)).isTrue();
        repository.progress(orphaned, new LeadImport.Counts(300, 250, 20, 30, 0), List.of(), tenMinutesAgo);
        // a node that stopped while its import waited for a worker
        String orphanedQueued = UUID.randomUUID().toString();
        repository.insert(orphanedQueued, "queued.csv", null, tenMinutesAgo);
        String done = UUID.randomUUID().toString();
        repository.insert(done, "done.csv", null, tenMinutesAgo);
        repository.finish(done, LeadImport.Status.DONE, null, tenMinutesAgo);
        // the other node's own import, updated a minute ago
        String recent = UUID.randomUUID().toString();
        repository.insert(recent, "recent.csv", null, clock.nowUtc().minusMinutes(1));

        ThreadPoolTaskExecutor otherExecutor = new ThreadPoolTaskExecutor();
        otherExecutor.initialize();
        LeadImports otherNode = imports(repository, otherExecutor, h2, clock);
        try {
            int refreshed = new LeadImportHeartbeat(thisNode, repository, clock, HEARTBEAT, ORPHANED_AFTER).refreshHeld();
            int failed = new LeadImportHeartbeat(otherNode, repository, clock, HEARTBEAT, ORPHANED_AFTER).failOrphaned();

            assertThat(refreshed).as("imports refreshed by this node's heartbeat").isEqualTo(1);
            assertThat(failed).as("imports failed by the other node's sweep").isEqualTo(2);
            assertThat(row(jdbc, orphaned)).containsEntry("STATUS", "FAILED")
                    .containsEntry("FAILURE", "Interrupted: the node importing it stopped after row 300; upload the file again"
                            + " (rows already imported count as duplicates)");
            assertThat(repository.find(orphaned).orElseThrow().finishedAt()).isNotNull();
            assertThat(row(jdbc, orphanedQueued)).containsEntry("STATUS", "FAILED")
                    .containsEntry("FAILURE", "Interrupted: the node importing it stopped after row 0; upload the file again"
                            + " (rows already imported count as duplicates)");
            assertThat(row(jdbc, held)).containsEntry("STATUS", "QUEUED");
            assertThat(updatedAt(jdbc, held)).as("refreshed by the heartbeat").isAfter(clock.nowUtc().minusMinutes(1));
            assertThat(row(jdbc, done)).containsEntry("STATUS", "DONE").containsEntry("FAILURE", null);
            assertThat(updatedAt(jdbc, done).toInstant()).as("untouched").isEqualTo(tenMinutesAgo.toInstant());
            assertThat(row(jdbc, recent)).containsEntry("STATUS", "QUEUED");
        } finally {
            otherNode.stop();
            // the queued import runs at shutdown: it stops at once, records why and lets go of its id
            thisNode.stop();
            queued.forEach(Runnable::run);
        }
        assertThat(thisNode.held()).isEmpty();
        assertThat(row(jdbc, held)).containsEntry("STATUS", "FAILED");
    }

    static LeadImports imports(LeadImportRepository repository, ThreadPoolTaskExecutor executor, JdbcDataSource h2, EngineClock clock) {
        LeadCaptureService noCaptures = new LeadCaptureService(null, null, null, null, null, null, null) {
            @Override
            public LeadModels currentModels() {
                return new LeadModels("leadLifecycle:1:1", (key, variables) -> null);
            }
        };
        return new LeadImports(repository, new LeadTextInput(Validation.buildDefaultValidatorFactory().getValidator()),
                noCaptures, executor, new TransactionTemplate(new DataSourceTransactionManager(h2)), clock, 1);
    }

    static Map<String, Object> row(JdbcClient jdbc, String id) {
        return jdbc.sql("select status, failure from lead_import where id = :id").param("id", id).query().singleRow();
    }

    static OffsetDateTime updatedAt(JdbcClient jdbc, String id) {
        return jdbc.sql("select updated_at from lead_import where id = :id").param("id", id).query(OffsetDateTime.class).single();
    }
}
