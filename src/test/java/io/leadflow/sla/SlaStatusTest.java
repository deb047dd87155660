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
