package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadflow.capture.CapturedLead;
import io.leadflow.lead.NewLead;

/**
 * The database decides capture races on PostgreSQL too: 1,000 concurrent captures of one lead, 64
 * distinct leads captured while duplicates of another race, and 200 distinct leads that each draw a
 * distinct number, over separate connections, as several nodes would send them.
 */
class PostgresCaptureConcurrencyTest {

    static final int SUBMISSIONS = 1000;
    /** Enough to keep all 32 connections busy at once: a race test, not a throughput test (that is CaptureBenchmark). */
    static final int DISTINCT_LEADS = 64;
    static final int NUMBERED_LEADS = 200;
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
                .processInstanceBusinessKey(answers.get(0).leadNumber()).processDefinitionKey("leadLifecycle").count()).isEqualTo(1);
    }

    @Test
    void distinctLeadsCapturedConcurrently_whileDuplicatesOfOneLeadRace_areEachCreatedExactlyOnce() throws Exception {
        NewLead contested = LeadScenarios.strongLead();
        List<NewLead> distinct = new ArrayList<>();
        List<Callable<CapturedLead>> calls = new ArrayList<>();
        for (int i = 0; i < DISTINCT_LEADS; i++) {
            NewLead lead = LeadScenarios.weakLead();
            distinct.add(lead);
            calls.add(() -> db.t.capture().capture(lead));
            calls.add(() -> db.t.capture().capture(contested));
        }

        List<CapturedLead> answers = concurrently(calls);

        // invokeAll answers in the order of the calls: even ones are the distinct leads, odd ones the contested lead
        List<CapturedLead> forDistinct = IntStream.range(0, answers.size()).filter(i -> i % 2 == 0).mapToObj(answers::get).toList();
        List<CapturedLead> forContested = IntStream.range(0, answers.size()).filter(i -> i % 2 == 1).mapToObj(answers::get).toList();
        assertThat(forDistinct).allMatch(CapturedLead::created);
        assertThat(forDistinct).extracting(CapturedLead::leadId).doesNotHaveDuplicates();
        assertThat(distinct).allSatisfy(lead -> assertThat(emailCount(lead.email())).as(lead.email()).isEqualTo(1));
        assertThat(forContested).filteredOn(CapturedLead::created).hasSize(1);
        assertThat(forContested).extracting(CapturedLead::leadId).containsOnly(forContested.get(0).leadId());
        assertThat(emailCount(contested.email())).isEqualTo(1);
    }

    @Test
    void twoHundredLeadsCapturedConcurrently_getTwoHundredDistinctNumbers_eachTheBusinessKeyOfItsLifecycle() throws Exception {
        List<Callable<CapturedLead>> calls = new ArrayList<>();
        for (int i = 0; i < NUMBERED_LEADS; i++) {
            NewLead lead = LeadScenarios.weakLead();
            calls.add(() -> db.t.capture().capture(lead));
        }

        List<CapturedLead> answers = concurrently(calls);

        assertThat(answers).allMatch(CapturedLead::created);
        assertThat(answers).extracting(CapturedLead::leadNumber).doesNotHaveDuplicates().hasSize(NUMBERED_LEADS)
                .allSatisfy(n -> assertThat(n).matches("L-\\d{4}-\\d{6,}"));
        assertThat(answers).allSatisfy(a -> {
            assertThat(db.t.leads.get(a.leadId()).number()).isEqualTo(a.leadNumber());
            assertThat(db.engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(a.processInstanceId())
                    .singleResult().getBusinessKey()).isEqualTo(a.leadNumber());
        });
    }

    long emailCount(String email) {
        return db.t.jdbc.sql("select count(*) from lead where email_normalized = ?").param(email).query(Long.class).single();
    }
}
