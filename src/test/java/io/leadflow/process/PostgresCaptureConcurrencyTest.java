package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadflow.capture.CapturedLead;
import io.leadflow.lead.NewLead;

/**
 * The database decides capture races on PostgreSQL too: 1,000 concurrent captures of one lead (and
 * of 1,000 leads) over separate connections, as several nodes would send them.
 */
class PostgresCaptureConcurrencyTest {

    static final int SUBMISSIONS = 1000;
    static PostgresDatabase db;

    @BeforeAll
    static void database() throws Exception {
        db = PostgresDatabase.create("capture");
    }

    @AfterAll
    static void drop() throws Exception {
        if (db != null) {
            db.drop();
        }
    }

    List<CapturedLead> concurrently(List<Callable<CapturedLead>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<CapturedLead> answers = new ArrayList<>();
            for (Future<CapturedLead> f : pool.invokeAll(calls)) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void thousandConcurrentCapturesOfOneLead_makeExactlyOneLead() throws Exception {
        NewLead lead = LeadScenarios.strongLead();
        List<Callable<CapturedLead>> calls = new ArrayList<>();
        for (int i = 0; i < SUBMISSIONS; i++) {
            calls.add(() -> db.t.capture().capture(lead));
        }

        List<CapturedLead> answers = concurrently(calls);

        assertThat(answers).filteredOn(CapturedLead::created).hasSize(1);
        assertThat(answers).extracting(CapturedLead::leadId).containsOnly(answers.get(0).leadId());
        assertThat(db.t.jdbc.sql("select count(*) from lead where email_normalized = ?").param(lead.email())
                .query(Long.class).single()).isEqualTo(1);
        assertThat(db.engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceBusinessKey(answers.get(0).leadId()).processDefinitionKey("leadLifecycle").count()).isEqualTo(1);
    }

    @Test
    void thousandConcurrentDistinctLeads_makeOneLeadEach() throws Exception {
        List<Callable<CapturedLead>> calls = new ArrayList<>();
        for (int i = 0; i < SUBMISSIONS; i++) {
            calls.add(() -> db.t.capture().capture(LeadScenarios.weakLead()));
        }

        List<CapturedLead> answers = concurrently(calls);

        assertThat(answers).allMatch(CapturedLead::created);
        assertThat(answers).extracting(CapturedLead::leadId).doesNotHaveDuplicates();
    }
}
