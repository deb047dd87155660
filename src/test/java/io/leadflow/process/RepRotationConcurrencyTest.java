package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Concurrent "Review MQL" approvals share the leads fairly: the rotation is chosen and advanced
 * with the candidates' rows locked, so approvals queue on the database (H2 here, with the lock
 * wait of the embedded default; PostgreSQL: PostgresConcurrencyTest).
 */
class RepRotationConcurrencyTest {

    static final int LEADS = 300;
    static final int THREADS = 16;

    static ProcessTestEngine t;
    static ProcessEngine engine;

    @BeforeAll
    static void engine() {
        t = ProcessTestEngine.onH2ForRaces("rotation");
        engine = t.startWithAllModels();
        Bursts.threeRepsEverywhere(t);
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void threeHundredApprovalsBySixteenThreads_spreadFairlyOverThreeReps() throws Exception {
        // given 300 MQLs waiting for review, and three reps none of whom has had a lead yet
        List<String> leadIds = Bursts.mqls(t, LEADS, THREADS);

        // when sixteen marketing reps approve them at the same time
        Bursts.approveAll(engine, leadIds, THREADS);

        // then every lead has a rep and each rep got a third, give or take one
        Map<String, Long> perRep = Bursts.leadsPerRep(t, leadIds);
        assertThat(perRep).containsOnlyKeys(Bursts.REPS);
        assertThat(perRep.values()).allSatisfy(n -> assertThat(n).isBetween(99L, 101L));
        assertThat(engine.getTaskService().createTaskQuery().taskDefinitionKey("Task_AcceptLead").count()).isEqualTo(LEADS);
    }
}
