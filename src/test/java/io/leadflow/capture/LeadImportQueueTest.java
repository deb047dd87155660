package io.leadflow.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import io.leadflow.sla.EngineClock;

/**
 * An import that waits for a worker says QUEUED, not RUNNING (a marketer who sees RUNNING with no
 * rows read for minutes thinks it hangs); a worker makes it RUNNING, and an import that was ended
 * while it waited is not run.
 */
class LeadImportQueueTest {

    static final String ONE_BAD_ROW = """
            email,firstName,lastName,company,companySize,country
            not-an-email,Ada,Lovelace,Analytical Engines,500,DE
            """;

    @Test
    void anImportWaitingForAWorkerIsQueued_thenRunsToItsEnd() throws Exception {
        Node node = new Node();
        String id = node.imports.start("queued.csv", null, csv(ONE_BAD_ROW));

        assertThat(node.repository.find(id).orElseThrow().status()).isEqualTo(LeadImport.Status.QUEUED);
        assertThat(node.imports.held()).containsExactly(id);

        node.queued.forEach(Runnable::run);

        LeadImport done = node.repository.find(id).orElseThrow();
        assertThat(done.status()).isEqualTo(LeadImport.Status.DONE);
        assertThat(done.rowsRead()).isEqualTo(1);
        assertThat(done.rejected()).isEqualTo(1);
        assertThat(node.imports.held()).isEmpty();
    }

    @Test
    void anImportEndedWhileItWaited_isNotRun() throws Exception {
        Node node = new Node();
        String id = node.imports.start("ended.csv", null, csv(ONE_BAD_ROW));
        node.repository.finish(id, LeadImport.Status.FAILED, "Interrupted", new EngineClock().nowUtc());

        node.queued.forEach(Runnable::run);

        LeadImport ended = node.repository.find(id).orElseThrow();
        assertThat(ended.status()).isEqualTo(LeadImport.Status.FAILED);
        assertThat(ended.failure()).isEqualTo("Interrupted");
        assertThat(ended.rowsRead()).as("no row was read").isZero();
        assertThat(node.imports.held()).isEmpty();
    }

    @Test
    void onlyAQueuedImportIsMarkedRunning() {
        Node node = new Node();
        EngineClock clock = new EngineClock();
        String id = UUID.randomUUID().toString();
        node.repository.insert(id, "twice.csv", null, clock.nowUtc());

        assertThat(node.repository.markRunning(id, clock.nowUtc())).isTrue();
        assertThat(node.repository.markRunning(id, clock.nowUtc())).as("a second worker").isFalse();
        node.repository.finish(id, LeadImport.Status.DONE, null, clock.nowUtc());
        assertThat(node.repository.markRunning(id, clock.nowUtc())).as("after its end").isFalse();
        assertThat(node.repository.find(id).orElseThrow().status()).isEqualTo(LeadImport.Status.DONE);
    }

    private static ByteArrayInputStream csv(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** One node on its own database whose import executor only queues what it is given. */
    private static final class Node {
        final List<Runnable> queued = new CopyOnWriteArrayList<>();
        final LeadImportRepository repository;
        final LeadImports imports;

        Node() {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:import-queue-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            h2.setUser("sa");
            Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
            repository = new LeadImportRepository(JdbcClient.create(h2));
            ThreadPoolTaskExecutor queueOnly = new ThreadPoolTaskExecutor() {
                @Override
                public void execute(Runnable task) {
                    queued.add(task);
                }
            };
            queueOnly.initialize();
            imports = LeadImportHeartbeatTest.imports(repository, queueOnly, h2, new EngineClock());
        }
    }
}
