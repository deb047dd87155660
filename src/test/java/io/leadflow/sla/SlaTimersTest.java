package io.leadflow.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.LoggerFactory;
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
    void everySlaNameTheModelChecksKnow_hasADeadline_andNoOtherHasOne() {
        SlaProperties.Deadlines deadlines = bind(Map.of()).deadlines();
        assertThat(SlaProperties.Deadlines.NAMES).hasSize(8).contains("reviewMql", "acceptLead", "assignByHand");
        for (String name : SlaProperties.Deadlines.NAMES) {
            assertThat(deadlines.forSla(name)).as(name).isPositive();
        }
        assertThatThrownBy(() -> deadlines.forSla("reviewMQL")).hasMessage("Unknown SLA 'reviewMQL'");
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
    void zoneAndHolidayCountryFromConfiguration_skipThanksgivingInNewYork() {
        SlaTimers newYork = new SlaTimers(bind(Map.of("leadflow.sla.zone", "America/New_York",
                "leadflow.sla.business-hours.holiday-country", "US",
                "leadflow.sla.business-hours.holiday-region", "ny")), new EngineClock());
        ClockUtil.setCurrentTime(Date.from(Instant.parse("2026-11-25T21:00:00Z"))); // Wednesday 16:00 in New York

        assertThat(newYork.deadline("acceptLead")).as("1 h on Wednesday, Thanksgiving off, 3 h on Friday: 12:00 in New York")
                .isEqualTo(Date.from(Instant.parse("2026-11-27T17:00:00Z")));
    }

    @Test
    void aDeadlineOverEasterInGermany_skipsGoodFridayAndEasterMonday() {
        SlaTimers germany = new SlaTimers(bind(Map.of("leadflow.sla.business-hours.holiday-country", "DE")), new EngineClock());
        ClockUtil.setCurrentTime(Date.from(Instant.parse("2027-03-25T15:00:00Z"))); // Thursday before Easter, 16:00 in Berlin

        assertThat(germany.deadline("acceptLead")).as("Tuesday after Easter, 12:00 in Berlin (CEST)")
                .isEqualTo(Date.from(Instant.parse("2027-03-30T10:00:00Z")));
    }

    @Test
    void aDeadlineOfWholeDays_isWarnedAboutAtStartup_asTheBusinessHoursItMeans() {
        Logger logger = (Logger) LoggerFactory.getLogger(SlaTimers.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            new SlaTimers(bind(Map.of("leadflow.sla.business-hours.holiday-country", "DE", "leadflow.sla.deadlines.accept-lead", "P1D")),
                    new EngineClock());
            assertThat(log.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).startsWith("SLA acceptLead is PT24H of business time: 24 business hours, not 1 day(s)")
                        .contains("PT8H");
            });

            log.list.clear();
            new SlaTimers(bind(Map.of("leadflow.sla.business-hours.holiday-country", "DE")), new EngineClock());
            assertThat(log.list).as("the agreed defaults are hours").isEmpty();
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void noHolidayInTheNextTwelveMonths_isWarnedAboutAtStartup() {
        ClockUtil.setCurrentTime(Date.from(Instant.parse("2027-01-04T08:00:00Z")));
        Logger logger = (Logger) LoggerFactory.getLogger(SlaTimers.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            new SlaTimers(bind(Map.of("leadflow.sla.business-hours.holidays", "2026-12-24, 2026-12-25")), new EngineClock());
            assertThat(log.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("No holiday in the next 12 months", "holiday-country");
            });

            log.list.clear();
            new SlaTimers(bind(Map.of("leadflow.sla.business-hours.holiday-country", "DE")), new EngineClock());
            new SlaTimers(bind(Map.of("leadflow.sla.business-hours.holidays", "2027-12-31")), new EngineClock());
            assertThat(log.list).as("public holidays, or an extra day off ahead").isEmpty();
        } finally {
            logger.detachAppender(log);
        }
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
        assertThat(sla.nextAttempt(3)).as("one business day from Monday 09:00: Tuesday 09:00, not Monday 17:00")
                .isEqualTo(Date.from(NOW.plus(Duration.ofHours(24))));
        assertThat(sla.nextAttempt(9)).as("two business days: Wednesday 09:00, not Tuesday 17:00")
                .isEqualTo(Date.from(NOW.plus(Duration.ofHours(48))));
        assertThat(sla.nextAttempt(12)).isEqualTo(Date.from(NOW.plus(Duration.ofHours(48))));
    }

    @Test
    void aCadenceWaitEndingExactlyAtClosingTime_movesToTheNextOpening() {
        ClockUtil.setCurrentTime(Date.from(Instant.parse("2026-11-27T13:00:00Z"))); // Friday 14:00 in Berlin
        SlaTimers threeHours = new SlaTimers(bind(Map.of("leadflow.sla.cadence", "PT3H")), new EngineClock());

        assertThat(threeHours.nextAttempt(1)).as("Friday 17:00 is closing time: Monday 09:00")
                .isEqualTo(Date.from(Instant.parse("2026-11-30T08:00:00Z")));
    }

    @Test
    void aCadenceWaitEndingInsideWorkingHours_staysWhereItEnds() {
        ClockUtil.setCurrentTime(Date.from(Instant.parse("2026-11-27T13:00:00Z"))); // Friday 14:00 in Berlin

        assertThat(sla.nextAttempt(1)).as("two business hours: Friday 16:00")
                .isEqualTo(Date.from(Instant.parse("2026-11-27T15:00:00Z")));
    }

    @Test
    void aDeadlineEndingExactlyAtClosingTime_staysAtClosingTime() {
        ClockUtil.setCurrentTime(Date.from(Instant.parse("2026-11-27T13:00:00Z"))); // Friday 14:00 in Berlin
        SlaTimers threeHours = new SlaTimers(bind(Map.of("leadflow.sla.deadlines.accept-lead", "PT3H")), new EngineClock());

        assertThat(threeHours.deadline("acceptLead")).as("Friday 17:00").isEqualTo(Date.from(Instant.parse("2026-11-27T16:00:00Z")));
    }

    @Test
    void attemptsAreLeft_whileFewerThanNAndTheNextOneFitsTheWindow() {
        Date firstAttempt = Date.from(NOW);
        assertThat(sla.attemptsLeft(1, firstAttempt)).isTrue();
        assertThat(sla.attemptsLeft(9, firstAttempt)).as("nine made: the tenth is left").isTrue();
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
    void quietPeriodCountsFromTheNurturesStart_whenTheLastEngagementWasBeforeIt() {
        Date engagedLongAgo = Date.from(NOW.minus(Duration.ofDays(200)));
        assertThat(sla.nurtureQuietPeriodEnd(engagedLongAgo, Date.from(NOW))).isEqualTo(Date.from(NOW.plus(Duration.ofDays(90))));
        Date engagedSinceTheStart = Date.from(NOW.minus(Duration.ofDays(1)));
        assertThat(sla.nurtureQuietPeriodEnd(engagedSinceTheStart, Date.from(NOW.minus(Duration.ofDays(5)))))
                .isEqualTo(Date.from(NOW.plus(Duration.ofDays(89))));
        assertThat(sla.nurtureQuietPeriodEnd(engagedLongAgo, null)).as("a nurture started before this version").isEqualTo(Date.from(NOW));
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
        // a time of nothing or less: it started, and every lead reaching the task failed with a 500
        Map<String, String> nothing = Map.of("leadflow.sla.deadlines.review-mql", "-PT1H", "leadflow.sla.deadlines.accept-lead", "PT0S",
                "leadflow.sla.cadence", "PT2H,-PT4H", "leadflow.sla.attempt-window", "PT0S", "leadflow.sla.engagement-half-life", "-P1D");
        for (Map.Entry<String, String> setting : nothing.entrySet()) {
            String key = setting.getKey().equals("leadflow.sla.cadence") ? "leadflow.sla.cadence[1]" : setting.getKey();
            assertThatThrownBy(() -> bind(Map.of(setting.getKey(), setting.getValue()))).as(setting.getKey())
                    .isInstanceOf(BindException.class)
                    .rootCause().hasMessageStartingWith(key + " must be a time longer than zero");
        }
        // NaN passed "<= 0 or >= 1": every task was reminded, and marked at risk, as it was created
        assertThatThrownBy(() -> bind(Map.of("leadflow.sla.reminder-share", "NaN"))).isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("reminder-share must be between 0 and 1");
        // a week whose every day is left empty: the app started, and every MQL's capture answered 500
        Map<String, String> noWorkingDay = new java.util.HashMap<>();
        for (String day : List.of("monday", "tuesday", "wednesday", "thursday", "friday")) {
            noWorkingDay.put("leadflow.sla.business-hours.week." + day, "");
        }
        assertThatThrownBy(() -> bind(noWorkingDay)).isInstanceOf(BindException.class)
                .rootCause().hasMessageStartingWith("leadflow.sla.business-hours.week has no working day");
    }
}
