package io.leadflow.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import jakarta.validation.Validation;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.support.TransactionTemplate;

import io.leadflow.lead.EmailAddresses;
import io.leadflow.lead.NewLead;
import io.leadflow.sla.EngineClock;

/**
 * The import's row lanes: every row of one email takes the same single-thread lane, so the rows of
 * an email are captured in file order and the first one wins, whatever the number of capture threads
 * ({@code LeadImportApiTest} checks the outcome end to end, where a broken lane fails only by chance).
 * The last test runs a whole import with a capture stand-in that records which thread captured
 * which row (no engine: the lanes are what is tested).
 */
class LeadImportLanesTest {

    @Test
    void rowsOfOneEmail_takeOneLane_howeverTheEmailIsWritten() {
        List<String> spellings = List.of("Ada.Lovelace@Example.com", "  ada.lovelace@example.com ", "ADA.LOVELACE@EXAMPLE.COM");
        for (int lanes = 1; lanes <= 32; lanes++) {
            int first = LeadImports.lane(spellings.get(0), 2, lanes);
            assertThat(first).isBetween(0, lanes - 1);
            for (int row = 2; row < 200; row++) {
                for (String spelling : spellings) {
                    assertThat(LeadImports.lane(spelling, row, lanes)).as("%s in row %d, %d lanes", spelling, row, lanes)
                            .isEqualTo(first);
                }
            }
        }
    }

    @Test
    void differentEmails_andRowsWithoutOne_useEveryLane() {
        Set<Integer> byEmail = new HashSet<>();
        IntStream.range(0, 100).forEach(i -> byEmail.add(LeadImports.lane("lead" + i + "@example.com", i + 2, 4)));
        assertThat(byEmail).containsExactlyInAnyOrder(0, 1, 2, 3);

        Set<Integer> withoutEmail = new HashSet<>();
        IntStream.range(2, 102).forEach(row -> withoutEmail.add(LeadImports.lane(null, row, 4)));
        assertThat(withoutEmail).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void anImport_capturesTheRowsOfOneEmailOnOneThread_inFileOrder_withEveryLaneBusy() throws Exception {
        // 100 addresses, each in 4 rows written 4 ways, in an order fixed but without a pattern
        List<String> spellings = List.of("lead%d@example.com", "Lead%d@Example.com", " LEAD%d@EXAMPLE.COM", "lead%d@EXAMPLE.com");
        List<String> emails = new ArrayList<>();
        for (String spelling : spellings) {
            IntStream.range(0, 100).forEach(lead -> emails.add(spelling.formatted(lead)));
        }
        java.util.Collections.shuffle(emails, new java.util.Random(42));
        StringBuilder csv = new StringBuilder("email,firstName,lastName,company,companySize,country,jobTitle\n");
        int rows = 0;
        for (String email : emails) {
            rows++;
            csv.append('"').append(email).append("\",Ada,Lovelace,Analytical Engines,50,DE,row ")
                    .append(rows + 1).append('\n'); // the header is row 1
        }
        Map<String, List<String>> threadsByEmail = new ConcurrentHashMap<>();
        Map<String, List<Integer>> rowsByEmail = new ConcurrentHashMap<>();
        LeadCaptureService recording = new LeadCaptureService(null, null, null, null, null, null, null) {
            @Override
            public LeadModels currentModels() {
                return new LeadModels("leadLifecycle:1:1", (key, variables) -> null);
            }

            @Override
            public CapturedLead capture(NewLead lead, LeadModels models) {
                String email = EmailAddresses.normalize(lead.email());
                threadsByEmail.computeIfAbsent(email, e -> new ArrayList<>()).add(Thread.currentThread().getName());
                List<Integer> seen = rowsByEmail.computeIfAbsent(email, e -> new ArrayList<>());
                boolean first;
                synchronized (seen) {
                    first = seen.isEmpty();
                    seen.add(Integer.parseInt(lead.jobTitle().substring("row ".length())));
                }
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(3)); // captures take their time, unevenly
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new CapturedLead(email, "L-2026-000001", first, null, false);
            }
        };

        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:import-lanes-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        LeadImportRepository repository = new LeadImportRepository(JdbcClient.create(h2));
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.initialize();
        LeadImports imports = new LeadImports(repository, new LeadTextInput(Validation.buildDefaultValidatorFactory().getValidator()),
                recording, executor, new TransactionTemplate(new DataSourceTransactionManager(h2)), new EngineClock(), 4);
        try {
            String id = imports.start("lanes.csv", null, new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            LeadImport done = repository.find(id).orElseThrow();
            while (done.status().open() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                done = repository.find(id).orElseThrow();
            }

            assertThat(done.status()).isEqualTo(LeadImport.Status.DONE);
            assertThat(done.rowsRead()).isEqualTo(rows);
            assertThat(done.created()).as("the first row of each address").isEqualTo(100);
            assertThat(done.duplicates()).isEqualTo(300);
            assertThat(rowsByEmail).hasSize(100);
            rowsByEmail.forEach((email, captured) -> {
                assertThat(captured).as("rows of %s, in the order captured", email).hasSize(4).isSorted();
                assertThat(new HashSet<>(threadsByEmail.get(email))).as("threads that captured %s", email).hasSize(1);
            });
            assertThat(threadsByEmail.values().stream().flatMap(List::stream).distinct().count())
                    .as("capture threads that had rows").isEqualTo(4);
        } finally {
            imports.stop();
        }
    }
}
