package io.leadflow.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class SlaTimersTest {

    static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");

    static SlaProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("leadflow.sla", Bindable.of(SlaProperties.class));
    }

    SlaTimers sla = new SlaTimers(bind(Map.of()), new EngineClock());

    @BeforeEach
    void freeze() {
        ClockUtil.setCurrentTime(Date.from(NOW));
    }

    @AfterEach
    void reset() {
        ClockUtil.reset();
    }

    @Test
    void defaultsAreTheAgreement() {
        SlaProperties p = bind(Map.of());
        assertThat(p.mqlThreshold()).isEqualTo(60);
        assertThat(p.maxAttempts()).isEqualTo(10);
        assertThat(p.maxRecycles()).isEqualTo(3);
        assertThat(p.deadlines().acceptLead()).isEqualTo(Duration.ofHours(4));
        assertThat(p.cadence()).hasSize(9);
        assertThat(p.sqlTargetPerMonth()).isEqualTo(40);
    }

    @Test
    void reminderComesAtTheAgreedShareOfTheDeadline() {
        assertThat(sla.deadline("acceptLead")).isEqualTo(Date.from(NOW.plus(Duration.ofHours(4))));
        assertThat(sla.reminder("acceptLead")).isEqualTo(Date.from(NOW.plus(Duration.ofHours(2))));
    }

    @Test
    void changedConfiguration_changesNewDeadlines_withoutTouchingAModel() {
        SlaTimers shorter = new SlaTimers(bind(Map.of("leadflow.sla.deadlines.accept-lead", "PT2M",
                "leadflow.sla.reminder-share", "0.25")), new EngineClock());
        assertThat(shorter.deadline("acceptLead")).isEqualTo(Date.from(NOW.plus(Duration.ofMinutes(2))));
        assertThat(shorter.reminder("acceptLead")).isEqualTo(Date.from(NOW.plus(Duration.ofSeconds(30))));
    }

    @Test
    void acceptanceCreatedOnFridayAfternoon_isDueOnMondayInBusinessHours() {
        ClockUtil.setCurrentTime(Date.from(Instant.parse("2026-11-27T15:00:00Z"))); // Friday 16:00 in Berlin
        assertThat(sla.deadline("acceptLead")).as("1 h on Friday + 3 h on Monday: Monday 12:00 in Berlin")
                .isEqualTo(Date.from(Instant.parse("2026-11-30T11:00:00Z")));
        assertThat(sla.reminder("acceptLead")).as("half of it: Monday 10:00").isEqualTo(Date.from(Instant.parse("2026-11-30T09:00:00Z")));
    }

    @Test
    void configuredHolidays_areSkipped() {
        SlaTimers withHoliday = new SlaTimers(bind(Map.of("leadflow.sla.business-hours.holidays", "2026-11-30")), new EngineClock());
        ClockUtil.setCurrentTime(Date.from(Instant.parse("2026-11-27T15:00:00Z")));
        assertThat(withHoliday.deadline("acceptLead")).isEqualTo(Date.from(Instant.parse("2026-12-01T11:00:00Z")));
    }

    @Test
    void firstTouchIsFasterForGradeA_laterAttemptsHaveTheirOwnDeadline() {
        assertThat(sla.contactDeadline(1, "A")).isEqualTo(Date.from(NOW.plus(Duration.ofMinutes(5))));
        assertThat(sla.contactDeadline(1, "B")).isEqualTo(Date.from(NOW.plus(Duration.ofHours(1))));
        assertThat(sla.contactDeadline(3, "A")).isEqualTo(Date.from(NOW.plus(Duration.ofHours(4))));
    }

    @Test
    void cadenceFollowsTheAgreement_andRepeatsTheLastWait() {
        assertThat(sla.nextAttempt(1)).isEqualTo(Date.from(NOW.plus(Duration.ofHours(2))));
        assertThat(sla.nextAttempt(3)).as("one business day: Monday 17:00").isEqualTo(Date.from(NOW.plus(Duration.ofHours(8))));
        assertThat(sla.nextAttempt(9)).as("two business days: Tuesday 17:00").isEqualTo(Date.from(NOW.plus(Duration.ofHours(32))));
        assertThat(sla.nextAttempt(12)).isEqualTo(Date.from(NOW.plus(Duration.ofHours(32))));
    }

    @Test
    void attemptsAreLeft_whileFewerThanNAndTheNextOneFitsTheWindow() {
        Date firstAttempt = Date.from(NOW);
        assertThat(sla.attemptsLeft(1, firstAttempt)).isTrue();
        assertThat(sla.attemptsLeft(10, firstAttempt)).as("ten made").isFalse();
        ClockUtil.setCurrentTime(Date.from(NOW.plus(Duration.ofDays(13))));
        assertThat(sla.attemptsLeft(5, firstAttempt)).as("next one would be after day 14").isFalse();
    }

    @Test
    void quietPeriodCountsFromTheLastEngagement_andFiresAtOnceWhenAlreadyOver() {
        Date lastEngagement = Date.from(NOW.minus(Duration.ofDays(10)));
        assertThat(sla.nurtureQuietPeriodEnd(lastEngagement)).isEqualTo(Date.from(NOW.plus(Duration.ofDays(80))));
        assertThat(sla.nurtureQuietPeriodEnd(Date.from(NOW.minus(Duration.ofDays(200))))).isEqualTo(Date.from(NOW));
    }

    @Test
    void revisitDateStartsAtMidnightInTheAgreedZone() {
        assertThat(sla.revisit("2027-03-01")).isEqualTo(Date.from(Instant.parse("2027-02-28T23:00:00Z")));
    }

    @Test
    void nonsenseInTheAgreement_isRefusedAtStartup() {
        assertThatThrownBy(() -> bind(Map.of("leadflow.sla.mql-threshold", "160")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("mql-threshold must be between 0 and 100");
        assertThatThrownBy(() -> sla.deadline("coffeeBreak")).hasMessageContaining("Unknown SLA 'coffeeBreak'");
    }
}
