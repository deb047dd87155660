package io.leadflow.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.Map;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlaStatusTest {

    /** Accept lead created Friday 16:00 in Berlin: due Monday 12:00, reminder Monday 10:00 (half the 4 business hours). */
    static final Instant CREATED = Instant.parse("2026-11-27T15:00:00Z");
    static final Instant DUE = Instant.parse("2026-11-30T11:00:00Z");

    final SlaTimers sla = new SlaTimers(SlaTimersTest.bind(Map.of()), new EngineClock());

    @AfterEach
    void reset() {
        ClockUtil.reset();
    }

    SlaStatus at(String now) {
        ClockUtil.setCurrentTime(Date.from(Instant.parse(now)));
        return sla.status(CREATED, DUE);
    }

    @Test
    void taskIsOnTimeOverTheWeekend_atRiskFromTheReminder_andBreachedAtTheDeadline() {
        assertThat(at("2026-11-29T12:00:00Z")).as("Sunday: no business time passed").isEqualTo(SlaStatus.ON_TIME);
        assertThat(at("2026-11-30T08:59:59Z")).isEqualTo(SlaStatus.ON_TIME);
        assertThat(at("2026-11-30T09:00:00Z")).as("Monday 10:00, the reminder").isEqualTo(SlaStatus.AT_RISK);
        assertThat(at("2026-11-30T10:59:59Z")).isEqualTo(SlaStatus.AT_RISK);
        assertThat(at("2026-11-30T11:00:00Z")).as("Monday 12:00, the deadline").isEqualTo(SlaStatus.BREACHED);
    }

    SlaStatus tracked(String variable, String now) {
        ClockUtil.setCurrentTime(Date.from(Instant.parse(now)));
        return sla.status(variable, CREATED, DUE);
    }

    @Test
    void taskTheTimersKeepOnTime_isOnTimeAfterItsCreationsReminderPoint_untilItsDeadline() {
        // a task re-routed on Monday 09:30 gets the SLA again from then: its reminder timer is moved, its
        // slaStatus set ON_TIME; from its creation alone it would be at risk from Monday 10:00
        assertThat(tracked("ON_TIME", "2026-11-30T09:30:00Z")).isEqualTo(SlaStatus.ON_TIME);
        assertThat(at("2026-11-30T09:30:00Z")).as("by creation and due date alone").isEqualTo(SlaStatus.AT_RISK);
        assertThat(tracked("ON_TIME", "2026-11-30T11:00:00Z")).as("its deadline passed, before the escalation ran")
                .isEqualTo(SlaStatus.BREACHED);
    }

    @Test
    void taskWhoseReminderWasSent_isAtRisk_evenWhenItsDueDateWasMovedLater() {
        assertThat(tracked("AT_RISK", "2026-11-27T15:00:01Z")).isEqualTo(SlaStatus.AT_RISK);
        assertThat(tracked("BREACHED", "2026-11-27T15:00:01Z")).isEqualTo(SlaStatus.BREACHED);
        assertThat(tracked("AT_RISK", "2026-11-30T11:00:00Z")).isEqualTo(SlaStatus.BREACHED);
    }

    @Test
    void taskWithoutTheVariable_orWithAnUnknownValue_isJudgedByCreationAndDueDate() {
        assertThat(tracked(null, "2026-11-30T09:30:00Z")).isEqualTo(SlaStatus.AT_RISK);
        assertThat(tracked("LATE", "2026-11-30T08:00:00Z")).isEqualTo(SlaStatus.ON_TIME);
        assertThat(tracked(null, "2026-11-30T11:00:00Z")).isEqualTo(SlaStatus.BREACHED);
    }

    @Test
    void taskWithoutDeadline_isAlwaysOnTime() {
        assertThat(SlaStatus.of(CREATED, null, DUE.plusSeconds(86_400 * 400))).isEqualTo(SlaStatus.ON_TIME);
    }

    @Test
    void businessTimeBetweenTwoInstants_countsOnlyWorkingHours() {
        BusinessCalendar calendar = new BusinessCalendar(java.time.ZoneId.of("Europe/Berlin"), BusinessHours.defaults());
        assertThat(calendar.between(CREATED, DUE)).hasHours(4);
        assertThat(calendar.between(DUE, CREATED)).isZero();
    }
}
