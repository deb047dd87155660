package io.leadflow.sla;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.THURSDAY;
import static java.time.DayOfWeek.TUESDAY;
import static java.time.DayOfWeek.WEDNESDAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class BusinessCalendarTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final Duration FOUR_HOURS = Duration.ofHours(4);

    final BusinessCalendar berlin = new BusinessCalendar(BERLIN, BusinessHours.defaults());

    // 2026-11-27 is a Friday, 2026-11-28 a Saturday, 2026-11-30 a Monday.

    @Test
    void fourBusinessHoursFromFridayAtFour_endOnMondayAtNoon() {
        // one hour on Friday (16-17), three on Monday (9-12)
        assertThat(berlin.plus(at(BERLIN, "2026-11-27T16:00"), FOUR_HOURS)).isEqualTo(at(BERLIN, "2026-11-30T12:00"));
    }

    @Test
    void fourBusinessHoursFromFridayAtFour_skipAMondayHoliday() {
        BusinessCalendar calendar = new BusinessCalendar(BERLIN,
                new BusinessHours(null, List.of(LocalDate.parse("2026-11-30"))));

        assertThat(calendar.plus(at(BERLIN, "2026-11-27T16:00"), FOUR_HOURS)).isEqualTo(at(BERLIN, "2026-12-01T12:00"));
    }

    @Test
    void countingFromTheWeekend_startsOnMondayMorning() {
        assertThat(berlin.plus(at(BERLIN, "2026-11-28T10:00"), FOUR_HOURS)).isEqualTo(at(BERLIN, "2026-11-30T13:00"));
    }

    @Test
    void countingBeforeOfficeHours_startsAtNine() {
        assertThat(berlin.plus(at(BERLIN, "2026-11-30T07:00"), FOUR_HOURS)).isEqualTo(at(BERLIN, "2026-11-30T13:00"));
    }

    @Test
    void countingFromClosingTimeExactly_startsTheNextMorning() {
        assertThat(berlin.plus(at(BERLIN, "2026-11-30T17:00"), FOUR_HOURS)).isEqualTo(at(BERLIN, "2026-12-01T13:00"));
    }

    @Test
    void oneBusinessDayFromTuesdayMorning_endsOnWednesdayAtTheSameTime() {
        assertThat(berlin.plus(at(BERLIN, "2026-12-01T10:00"), Duration.ofHours(8))).isEqualTo(at(BERLIN, "2026-12-02T10:00"));
    }

    @Test
    void aDeadlineThatFillsTheDay_endsAtClosingTimeNotTheNextMorning() {
        assertThat(berlin.plus(at(BERLIN, "2026-11-30T09:00"), Duration.ofHours(8))).isEqualTo(at(BERLIN, "2026-11-30T17:00"));
    }

    @Test
    void aWaitThatFillsTheDay_endsAtTheNextOpeningNotAtClosingTime() {
        assertThat(berlin.plusToNextWorkingTime(at(BERLIN, "2026-11-30T09:00"), Duration.ofHours(8)))
                .isEqualTo(at(BERLIN, "2026-12-01T09:00"));
        assertThat(berlin.plusToNextWorkingTime(at(BERLIN, "2026-11-27T13:00"), FOUR_HOURS))
                .as("Friday 17:00 moves over the weekend").isEqualTo(at(BERLIN, "2026-11-30T09:00"));
        assertThat(berlin.plusToNextWorkingTime(at(BERLIN, "2026-11-30T10:00"), FOUR_HOURS))
                .as("inside working hours it stays").isEqualTo(at(BERLIN, "2026-11-30T14:00"));
    }

    @Test
    void fiveBusinessMinutesJustBeforeClosing_endTheNextMorning() {
        assertThat(berlin.plus(at(BERLIN, "2026-11-30T16:58"), Duration.ofMinutes(5))).isEqualTo(at(BERLIN, "2026-12-01T09:03"));
    }

    @Test
    void theLunchBreakOfASplitDay_doesNotCount() {
        BusinessCalendar calendar = new BusinessCalendar(BERLIN, weekdays("09:00-12:00", "13:00-17:00"));

        assertThat(calendar.plus(at(BERLIN, "2026-11-30T10:00"), FOUR_HOURS)).isEqualTo(at(BERLIN, "2026-11-30T15:00"));
        assertThat(calendar.isWorkingTime(at(BERLIN, "2026-11-30T12:30"))).isFalse();
        assertThat(calendar.nextWorkingStart(at(BERLIN, "2026-11-30T12:30"))).isEqualTo(at(BERLIN, "2026-11-30T13:00"));
    }

    @Test
    void aDeadlineOverTheSpringForwardWeekend_endsAtTheRightLocalTime() {
        // Berlin moves from CET (+01:00) to CEST (+02:00) on Sunday 2027-03-28
        Instant due = berlin.plus(at(BERLIN, "2027-03-26T15:00"), FOUR_HOURS);

        assertThat(due.atZone(BERLIN).toLocalDateTime()).isEqualTo(LocalDateTime.parse("2027-03-29T11:00"));
        assertThat(due).isEqualTo(Instant.parse("2027-03-29T09:00:00Z"));
    }

    @Test
    void aDeadlineOverTheFallBackWeekend_endsAtTheRightLocalTime() {
        // Berlin moves from CEST (+02:00) back to CET (+01:00) on Sunday 2026-10-25
        Instant due = berlin.plus(at(BERLIN, "2026-10-23T15:00"), FOUR_HOURS);

        assertThat(due.atZone(BERLIN).toLocalDateTime()).isEqualTo(LocalDateTime.parse("2026-10-26T11:00"));
        assertThat(due).isEqualTo(Instant.parse("2026-10-26T10:00:00Z"));
    }

    @Test
    void workingHoursAreLocalToTheConfiguredZone() {
        BusinessCalendar newYork = new BusinessCalendar(NEW_YORK, BusinessHours.defaults());

        Instant due = newYork.plus(at(NEW_YORK, "2026-11-27T16:00"), FOUR_HOURS);

        assertThat(due.atZone(NEW_YORK).toLocalDateTime()).isEqualTo(LocalDateTime.parse("2026-11-30T12:00"));
        assertThat(due).isEqualTo(Instant.parse("2026-11-30T17:00:00Z"));
    }

    @Test
    void aLongDeadline_terminatesAfterTwelveAndAHalfWorkingDays() {
        // 100 h = 12 days of 8 h + 4 h. From Monday 2026-11-30 09:00: Nov 30-Dec 4 (40 h), Dec 7-11 (80 h),
        // Mon Dec 14 (88 h), Tue Dec 15 (96 h), Wed Dec 16 09:00-13:00 (100 h). December in Berlin is +01:00.
        Instant due = berlin.plus(at(BERLIN, "2026-11-30T09:00"), Duration.ofHours(100));

        assertThat(due).isEqualTo(at(BERLIN, "2026-12-16T13:00")).isEqualTo(Instant.parse("2026-12-16T12:00:00Z"));
    }

    @Test
    void zeroBusinessTime_returnsTheStartUnchanged_evenOutsideWorkingHours() {
        Instant saturday = at(BERLIN, "2026-11-28T10:00");

        assertThat(berlin.plus(saturday, Duration.ZERO)).isEqualTo(saturday);
    }

    @Test
    void negativeBusinessTime_isRejected() {
        assertThatThrownBy(() -> berlin.plus(at(BERLIN, "2026-11-30T10:00"), Duration.ofHours(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isWorkingTime_includesOpeningAndExcludesClosingWeekendsAndHolidays() {
        BusinessCalendar calendar = new BusinessCalendar(BERLIN,
                new BusinessHours(null, List.of(LocalDate.parse("2026-12-24"))));

        assertThat(calendar.isWorkingTime(at(BERLIN, "2026-11-30T09:00"))).isTrue();
        assertThat(calendar.isWorkingTime(at(BERLIN, "2026-11-30T16:59"))).isTrue();
        assertThat(calendar.isWorkingTime(at(BERLIN, "2026-11-30T17:00"))).isFalse();
        assertThat(calendar.isWorkingTime(at(BERLIN, "2026-11-28T12:00"))).isFalse();
        assertThat(calendar.isWorkingTime(at(BERLIN, "2026-12-24T12:00"))).isFalse(); // a Thursday
    }

    @Test
    void nextWorkingStart_isTheInstantItselfDuringWorkingHours_otherwiseTheNextOpening() {
        Instant mondayMorning = at(BERLIN, "2026-11-30T10:15");

        assertThat(berlin.nextWorkingStart(mondayMorning)).isEqualTo(mondayMorning);
        assertThat(berlin.nextWorkingStart(at(BERLIN, "2026-11-27T17:00"))).isEqualTo(at(BERLIN, "2026-11-30T09:00"));
    }

    @Test
    void anIntervalThatEndsBeforeItStarts_isRejectedNamingTheValue() {
        assertThatThrownBy(() -> weekdays("17:00-09:00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("17:00-09:00")
                .hasMessageContaining("leadflow.sla.business-hours.week");
    }

    @Test
    void anIntervalNotWrittenAsHoursAndMinutes_isRejectedNamingTheValue() {
        assertThatThrownBy(() -> weekdays("9am-5pm"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9am-5pm")
                .hasMessageContaining("leadflow.sla.business-hours.week");
        assertThatThrownBy(() -> weekdays("09:00-25:00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("09:00-25:00");
    }

    @Test
    void overlappingIntervalsOfADay_areRejected() {
        assertThatThrownBy(() -> weekdays("09:00-12:00", "11:00-17:00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leadflow.sla.business-hours.week.monday")
                .hasMessageContaining("overlap");
    }

    @Test
    void aWeekWithoutAnyWorkingDay_isRefusedWhenConfigured_notAtTheFirstDeadline() {
        // every day named and left empty, as "--leadflow.sla.business-hours.week.monday=" and so on for each day
        Map<java.time.DayOfWeek, List<String>> noDay = new java.util.EnumMap<>(java.time.DayOfWeek.class);
        for (java.time.DayOfWeek day : java.time.DayOfWeek.values()) {
            noDay.put(day, List.of());
        }

        assertThatThrownBy(() -> new BusinessHours(Map.of(MONDAY, List.of()), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leadflow.sla.business-hours.week has no working day");
        assertThatThrownBy(() -> new BusinessHours(noDay, null)).hasMessageContaining("has no working day");
    }

    @Test
    void withoutConfiguration_mondayToFridayNineToFiveApplies() {
        BusinessHours hours = new BusinessHours(Map.of(), null);

        assertThat(hours.week()).isEqualTo(BusinessHours.defaults().week());
        assertThat(hours.intervalsOn(FRIDAY)).containsExactly(
                new BusinessHours.Interval(LocalTime.of(9, 0), LocalTime.of(17, 0)));
        assertThat(hours.intervalsOn(SATURDAY)).isEmpty();
        assertThat(hours.intervalsOn(SUNDAY)).isEmpty();
        assertThat(hours.holidays()).isEmpty();
    }

    @Test
    void bindsFromSpringProperties_withDefaultsWhenNothingIsConfigured() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(
                "leadflow.sla.business-hours.week.monday[0]", "09:00-12:00",
                "leadflow.sla.business-hours.week.monday[1]", "13:00-17:00",
                "leadflow.sla.business-hours.week.tuesday", "08:00-16:00",
                "leadflow.sla.business-hours.holidays", "2026-12-24,2026-12-25")));

        BusinessHours bound = binder.bindOrCreate("leadflow.sla.business-hours", BusinessHours.class);
        BusinessHours unconfigured = new Binder(new MapConfigurationPropertySource())
                .bindOrCreate("leadflow.sla.business-hours", BusinessHours.class);

        assertThat(bound.week()).isEqualTo(Map.of(
                MONDAY, List.of("09:00-12:00", "13:00-17:00"),
                TUESDAY, List.of("08:00-16:00")));
        assertThat(bound.holidays()).containsExactly(LocalDate.parse("2026-12-24"), LocalDate.parse("2026-12-25"));
        assertThat(unconfigured).isEqualTo(BusinessHours.defaults());
        assertThat(unconfigured.holidayCountry()).as("no public holidays unless configured").isEmpty();
    }

    // Public holidays from the holiday country and region. Easter 2027: Good Friday 26 March, Easter Monday 29 March.

    static final BusinessHours GERMANY = new BusinessHours(null, null, "DE", "");

    @Test
    void goodFridayEasterMondayAndGermanUnityDay2027_areNotWorkingDaysInGermany() {
        BusinessCalendar germany = new BusinessCalendar(BERLIN, GERMANY);

        assertThat(germany.isHoliday(LocalDate.parse("2027-03-26"))).as("Good Friday").isTrue();
        assertThat(germany.isHoliday(LocalDate.parse("2027-03-29"))).as("Easter Monday").isTrue();
        assertThat(germany.isHoliday(LocalDate.parse("2027-05-01"))).as("Labour Day").isTrue();
        assertThat(germany.isHoliday(LocalDate.parse("2027-10-04"))).as("the Monday after").isFalse();
        assertThat(germany.isWorkingTime(at(BERLIN, "2027-03-26T10:00"))).isFalse();
        assertThat(germany.isWorkingTime(at(BERLIN, "2027-03-29T10:00"))).isFalse();
        // 3 October 2028 is a Tuesday: German Unity Day, every year without configuring a date
        assertThat(germany.isWorkingTime(at(BERLIN, "2028-10-03T10:00"))).isFalse();
        assertThat(germany.isHoliday(LocalDate.parse("2027-10-03"))).isTrue();
        assertThat(germany.isWorkingTime(at(BERLIN, "2027-03-30T10:00"))).as("Tuesday after Easter").isTrue();
    }

    @Test
    void aDeadlineOverEaster_skipsGoodFridayAndEasterMonday() {
        BusinessCalendar germany = new BusinessCalendar(BERLIN, GERMANY);

        // one hour on Thursday (16-17), Friday to Monday off, three hours on Tuesday (9-12)
        assertThat(germany.plus(at(BERLIN, "2027-03-25T16:00"), FOUR_HOURS)).isEqualTo(at(BERLIN, "2027-03-30T12:00"));
        assertThat(berlin.plus(at(BERLIN, "2027-03-25T16:00"), FOUR_HOURS)).as("without a holiday country")
                .isEqualTo(at(BERLIN, "2027-03-26T12:00"));
    }

    @Test
    void aRegionAddsItsOwnHolidays_andOnlyThose() {
        BusinessCalendar berlinState = new BusinessCalendar(BERLIN, new BusinessHours(null, null, "DE", "be"));
        BusinessCalendar bavaria = new BusinessCalendar(BERLIN, new BusinessHours(null, null, "de", "BY"));

        assertThat(berlinState.isHoliday(LocalDate.parse("2027-03-08"))).as("Women's Day in Berlin").isTrue();
        assertThat(bavaria.isHoliday(LocalDate.parse("2027-03-08"))).isFalse();
        assertThat(bavaria.isHoliday(LocalDate.parse("2027-01-06"))).as("Epiphany in Bavaria").isTrue();
        assertThat(berlinState.isHoliday(LocalDate.parse("2027-01-06"))).isFalse();
        assertThat(berlinState.isHoliday(LocalDate.parse("2027-03-29"))).as("nationwide ones too").isTrue();
    }

    @Test
    void extraDaysOff_countAlongsideThePublicHolidays() {
        BusinessCalendar calendar = new BusinessCalendar(BERLIN,
                new BusinessHours(null, List.of(LocalDate.parse("2026-12-24")), "DE", "be"));

        assertThat(calendar.isHoliday(LocalDate.parse("2026-12-24"))).as("company day off").isTrue();
        assertThat(calendar.isHoliday(LocalDate.parse("2026-12-25"))).as("public holiday").isTrue();
        assertThat(calendar.isHoliday(LocalDate.parse("2026-12-23"))).isFalse();
        assertThat(calendar.firstHolidayBetween(LocalDate.parse("2026-12-01"), LocalDate.parse("2027-01-01")))
                .contains(LocalDate.parse("2026-12-24"));
    }

    @Test
    void anUnknownHolidayCountryOrRegion_isRejectedNamingTheKey() {
        assertThatThrownBy(() -> new BusinessHours(null, null, "Germany", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leadflow.sla.business-hours.holiday-country")
                .hasMessageContaining("Germany");
        assertThatThrownBy(() -> new BusinessHours(null, null, "DE", "berlin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leadflow.sla.business-hours.holiday-region")
                .hasMessageContaining("'berlin' is not a region of DE")
                .hasMessageContaining("be");
        assertThatThrownBy(() -> new BusinessHours(null, null, "", "be"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leadflow.sla.business-hours.holiday-country is empty");
    }

    @Test
    void holidayCountryAndRegion_bindFromSpringProperties() {
        BusinessHours bound = new Binder(new MapConfigurationPropertySource(Map.of(
                "leadflow.sla.business-hours.holiday-country", "DE",
                "leadflow.sla.business-hours.holiday-region", "be",
                "leadflow.sla.business-hours.holidays", "2026-12-24")))
                .bindOrCreate("leadflow.sla.business-hours", BusinessHours.class);

        assertThat(bound.holidayCountry()).isEqualTo("DE");
        assertThat(bound.holidayRegion()).isEqualTo("be");
        assertThat(bound.week()).isEqualTo(BusinessHours.defaults().week());
        BusinessCalendar calendar = new BusinessCalendar(BERLIN, bound);
        assertThat(calendar.isHoliday(LocalDate.parse("2027-03-08"))).isTrue();
        assertThat(calendar.isHoliday(LocalDate.parse("2026-12-24"))).isTrue();
    }

    private static Instant at(ZoneId zone, String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
    }

    private static BusinessHours weekdays(String... intervals) {
        List<String> day = List.of(intervals);
        Map<DayOfWeek, List<String>> week = Map.of(MONDAY, day, TUESDAY, day, WEDNESDAY, day, THURSDAY, day, FRIDAY, day);
        return new BusinessHours(week, null);
    }
}
