package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrent "Review MQL" approvals share the leads in proportion to the reps' capacities (weights),
 * skip a rep while absent and let them back in without a flood of catch-up leads: the rotation is
 * chosen and advanced with the territory's rotation rows locked, so approvals queue on the
 * database. Run on H2 ({@link WeightedRotationConcurrencyTest}) and PostgreSQL
 * ({@link PostgresWeightedRotationConcurrencyTest}).
 */
abstract class WeightedRotationChecks {

    static final int LEADS = 300;
    static final int THREADS = 16;
    /** ann, ben and cid, the reps of every territory in the bursts. */
    static final Map<String, Integer> CAPACITIES = Map.of("ann", 10, "ben", 20, "cid", 30);
    static final OffsetDateTime MONDAY_9 = OffsetDateTime.of(2026, 11, 23, 8, 0, 0, 0, ZoneOffset.UTC);

    abstract ProcessTestEngine t();

    abstract ProcessEngine engine();

    @BeforeEach
    void repsWithCapacities10_20_30() {
        ClockUtil.setCurrentTime(Date.from(MONDAY_9.toInstant()));
        t().jdbc.sql("delete from rep_absence").update();
        t().jdbc.sql("update rep_rotation set pass = 0, last_turn = 0, assigned_count = 0, active = true").update();
        CAPACITIES.forEach((rep, capacity) -> t().repAvailability().update(rep, capacity, true, "max"));
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    /** Asserts each rep got its share of {@code leads} by capacity (among {@code reps}), give or take one lead. */
    static void sharedByCapacity(Map<String, Long> perRep, int leads, List<String> reps) {
        int total = reps.stream().mapToInt(CAPACITIES::get).sum();
        assertThat(perRep).containsOnlyKeys(reps);
        for (String rep : reps) {
            double share = (double) leads * CAPACITIES.get(rep) / total;
            assertThat(perRep.get(rep).doubleValue()).as("leads of %s (capacity %d), fair share %.2f", rep, CAPACITIES.get(rep), share)
                    .isCloseTo(share, within(1.0));
        }
    }

    @Test
    void threeHundredApprovalsBySixteenThreads_areSharedByCapacity_50_100_150() throws Exception {
        // given 300 MQLs waiting for review, and reps of capacity 10, 20 and 30
        List<String> leadIds = Bursts.mqls(t(), LEADS, THREADS);
        long annsTasksBefore = annsAcceptLeadTasks(); // other tests of the class may have left her some

        // when sixteen marketing reps approve them at the same time
        Bursts.approveAll(engine(), leadIds, THREADS);

        // then the reps got 50, 100 and 150, give or take one
        Map<String, Long> perRep = Bursts.leadsPerRep(t(), leadIds);
        System.out.printf("[weighted rotation] %s: 300 leads over capacities %s -> %s%n", getClass().getSimpleName(), CAPACITIES, perRep);
        sharedByCapacity(perRep, LEADS, Bursts.REPS);
        assertThat(annsAcceptLeadTasks() - annsTasksBefore).as("ann's new Accept lead tasks").isEqualTo(perRep.get("ann"));
    }

    long annsAcceptLeadTasks() {
        return engine().getTaskService().createTaskQuery().taskDefinitionKey("Task_AcceptLead").taskAssignee("ann").count();
    }

    @Test
    void repAbsentForAnHour_getsNoLeadWhileAbsent_andTheOthersShareFairly_beforeDuringAndAfter() throws Exception {
        // given 300 MQLs, and cid out of office from 10:00 to 11:00
        List<String> leadIds = Bursts.mqls(t(), LEADS, THREADS);
        t().repAvailability().addAbsence("cid", MONDAY_9.plusHours(1), MONDAY_9.plusHours(2), "dentist", "max");

        // when a hundred are approved at once at 09:00, a hundred at 10:30, a hundred at 11:00
        List<String> before = leadIds.subList(0, 100), during = leadIds.subList(100, 200), after = leadIds.subList(200, 300);
        Bursts.approveAll(engine(), before, THREADS);
        ClockUtil.setCurrentTime(Date.from(MONDAY_9.plusMinutes(90).toInstant()));
        Bursts.approveAll(engine(), during, THREADS);
        ClockUtil.setCurrentTime(Date.from(MONDAY_9.plusHours(2).toInstant()));
        Bursts.approveAll(engine(), after, THREADS);

        // then cid got none while absent, ann and ben shared those by capacity (1:2), and every hour was fair within one
        Map<String, Long> beforeShares = Bursts.leadsPerRep(t(), before);
        Map<String, Long> duringShares = Bursts.leadsPerRep(t(), during);
        Map<String, Long> afterShares = Bursts.leadsPerRep(t(), after);
        System.out.printf("[weighted rotation] %s: before %s, cid absent %s, after %s%n", getClass().getSimpleName(),
                beforeShares, duringShares, afterShares);
        sharedByCapacity(beforeShares, 100, Bursts.REPS);
        sharedByCapacity(duringShares, 100, List.of("ann", "ben"));
        sharedByCapacity(afterShares, 100, Bursts.REPS);
    }
}
