package io.leadflow.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.leadflow.process.ProcessTestEngine;

/**
 * The demo-data month on a real engine (in-memory H2, no Spring): leads go through the lifecycle
 * with simulated reps while the clock moves, and the KPIs have something to show afterwards.
 */
class DemoMonthTest {

    ProcessEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void givenAnEmptyDatabase_whenTheDemoMonthRuns_thenLeadsReachEveryStageWithRejectionsAttemptsAndBreaches() {
        ProcessTestEngine t = new ProcessTestEngine("demo-month");
        engine = t.startWithAllModels();
        assertThat(DemoMonth.isEmpty(t.jdbc)).isTrue();
        DemoDataProperties config = new DemoDataProperties(true, 40, 14, 7L, 0.7, 0.5, null, null,
                new DemoDataProperties.Reps(0.3, 0.9, 0.7, null, 0.4, 0.0, 0.7, null));
        Instant end = Instant.parse("2026-11-20T18:00:00Z");

        int completed = new DemoMonth(config, t.capture(), t.engagements(), engine.getTaskService(),
                engine.getManagementService(), t.clock, t.assignment, t.sla.zone()).run(end);

        assertThat(completed).isPositive();
        assertThat(Duration.between(Instant.now(), t.clock.now()).abs()).as("the clock is back on the wall clock")
                .isLessThan(Duration.ofMinutes(1));
        KpiFilter twoWeeks = KpiFilter.period(OffsetDateTime.ofInstant(end.minus(Duration.ofDays(15)), ZoneOffset.UTC),
                OffsetDateTime.ofInstant(end, ZoneOffset.UTC));
        KpiQueries kpis = new KpiQueries(t.jdbc);
        KpiReport funnel = kpis.funnel(twoWeeks);
        assertThat(funnel.row("stage", "INQUIRY")).containsEntry("entered", 40L);
        assertThat((Long) funnel.row("stage", "MQL").get("entered")).as("MQLs").isPositive();
        assertThat((Long) funnel.row("stage", "SAL").get("entered")).as("SALs").isPositive();
        assertThat((Long) funnel.row("stage", "SQL").get("entered")).as("SQLs").isPositive();
        assertThat((Long) kpis.rejectReasons(twoWeeks).summary().get("total")).as("rejections").isPositive();
        assertThat((Long) kpis.attemptsToContact(twoWeeks, 10).summary().get("reached")).as("reached leads").isPositive();
        assertThat(t.jdbc.sql("select count(*) from sla_breach").query(Long.class).single()).as("breaches").isPositive();
        assertThat(t.jdbc.sql("select count(*) from opportunity").query(Long.class).single()).as("opportunities").isPositive();
        System.out.println("demo month funnel: " + funnel.rows());
    }
}
