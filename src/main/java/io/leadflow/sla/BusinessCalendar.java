package io.leadflow.sla;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Counts time only inside working hours: "4 business hours" from Friday afternoon ends on Monday.
 * Working hours are local wall-clock times in {@code zone}, so a deadline that crosses a
 * daylight-saving change still ends at the right local time. Holidays are whole local days off:
 * the public holidays of the configured country and region, plus configured extra days off.
 *
 * <p>Inside a working interval, time is elapsed (real) time, so a working interval that itself
 * contains a clock change counts the hours actually worked.
 */
public class BusinessCalendar {

    /** How far to look for the next working time before declaring the configuration broken. */
    private static final int MAX_DAYS_WITHOUT_WORK = 3 * 366;

    private final ZoneId zone;
    private final Map<DayOfWeek, List<BusinessHours.Interval>> week = new EnumMap<>(DayOfWeek.class);
    private final Set<LocalDate> extraDaysOff;
    private final PublicHolidays publicHolidays;
    private final boolean hasWorkingDay;

    public BusinessCalendar(ZoneId zone, BusinessHours hours) {
        this.zone = Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(hours, "hours");
        for (DayOfWeek day : DayOfWeek.values()) {
            week.put(day, hours.intervalsOn(day));
        }
        this.extraDaysOff = Set.copyOf(hours.holidays());
        this.publicHolidays = hours.publicHolidays();
        this.hasWorkingDay = week.values().stream().anyMatch(intervals -> !intervals.isEmpty());
    }

    /**
     * The instant at which {@code businessTime} of working time has passed after {@code start}.
     * If {@code start} is outside working hours, counting begins at the next working interval.
     * An amount that exactly fills a working interval ends at that interval's end (e.g. 17:00,
     * not 09:00 the next working day). {@link Duration#ZERO} returns {@code start} unchanged.
     *
     * @throws IllegalArgumentException if {@code businessTime} is negative
     * @throws IllegalStateException if the configuration has no working day, or no working time
     *         within about three years
     */
    public Instant plus(Instant start, Duration businessTime) {
        Objects.requireNonNull(start, "start");
        if (businessTime.isNegative()) {
            throw new IllegalArgumentException("businessTime must not be negative, was " + businessTime);
        }
        Instant cursor = start;
        Duration remaining = businessTime;
        while (!remaining.isZero()) {
            Segment segment = nextSegment(cursor);
            Duration available = Duration.between(segment.from(), segment.end());
            if (remaining.compareTo(available) <= 0) {
                return segment.from().plus(remaining);
            }
            remaining = remaining.minus(available);
            cursor = segment.end();
        }
        return cursor;
    }

    /**
     * When work can next happen after {@code businessTime} of working time from {@code start}: like
     * {@link #plus}, but an end that falls outside working hours (exactly at closing time, for
     * instance) moves to the next opening. For waits after which somebody must act, such as the
     * cadence between contact attempts; a deadline keeps ending at closing time.
     */
    public Instant plusToNextWorkingTime(Instant start, Duration businessTime) {
        Instant end = plus(start, businessTime);
        return isWorkingTime(end) ? end : nextWorkingStart(end);
    }

    /** The working time between two instants (zero if {@code to} is not after {@code from}). */
    public Duration between(Instant from, Instant to) {
        Duration total = Duration.ZERO;
        Instant cursor = from;
        while (cursor.isBefore(to)) {
            Segment segment = nextSegment(cursor);
            if (!segment.from().isBefore(to)) {
                break;
            }
            Instant end = segment.end().isBefore(to) ? segment.end() : to;
            total = total.plus(Duration.between(segment.from(), end));
            cursor = segment.end();
        }
        return total;
    }

    /** Whether {@code t} lies inside a working interval (start inclusive, end exclusive) of a non-holiday. */
    public boolean isWorkingTime(Instant t) {
        LocalDate day = t.atZone(zone).toLocalDate();
        return intervalsOn(day).stream().anyMatch(interval ->
                !t.isBefore(startOf(day, interval)) && t.isBefore(endOf(day, interval)));
    }

    /**
     * {@code t} itself if it is working time, otherwise the start of the next working interval.
     *
     * @throws IllegalStateException if the configuration has no working day, or no working time
     *         within about three years
     */
    public Instant nextWorkingStart(Instant t) {
        return nextSegment(t).from();
    }

    /** The first stretch of working time that ends after {@code t}, clipped to begin no earlier than {@code t}. */
    private Segment nextSegment(Instant t) {
        if (!hasWorkingDay) {
            throw new IllegalStateException("leadflow.sla.business-hours.week has no working day, "
                    + "so no business-time deadline can be computed");
        }
        LocalDate day = t.atZone(zone).toLocalDate();
        for (int i = 0; i <= MAX_DAYS_WITHOUT_WORK; i++, day = day.plusDays(1)) {
            for (BusinessHours.Interval interval : intervalsOn(day)) {
                Instant from = startOf(day, interval);
                Instant end = endOf(day, interval);
                if (end.isAfter(t) && end.isAfter(from)) { // skips an interval lost in a daylight-saving gap
                    return new Segment(from.isAfter(t) ? from : t, end);
                }
            }
        }
        throw new IllegalStateException("No working time within " + MAX_DAYS_WITHOUT_WORK + " days after " + t
                + "; check leadflow.sla.business-hours.week, .holidays, .holiday-country and .holiday-region");
    }

    private List<BusinessHours.Interval> intervalsOn(LocalDate day) {
        return isHoliday(day) ? List.of() : week.get(day.getDayOfWeek());
    }

    /** Whether {@code day} is a day off: a public holiday of the configured country and region, or an extra day off. */
    public boolean isHoliday(LocalDate day) {
        return extraDaysOff.contains(day) || publicHolidays.contains(day);
    }

    /** The first holiday (public or extra) on or after {@code from} and before {@code until}, if any. */
    public Optional<LocalDate> firstHolidayBetween(LocalDate from, LocalDate until) {
        return from.datesUntil(until).filter(this::isHoliday).findFirst();
    }

    /** Where the public holidays come from, for logs: {@code DE-be}, or {@code none}. */
    public String publicHolidaySource() {
        return publicHolidays.toString();
    }

    // A local time in a daylight-saving gap moves forward by the gap; in an overlap the earlier offset wins.
    private Instant startOf(LocalDate day, BusinessHours.Interval interval) {
        return day.atTime(interval.start()).atZone(zone).toInstant();
    }

    private Instant endOf(LocalDate day, BusinessHours.Interval interval) {
        return day.atTime(interval.end()).atZone(zone).toInstant();
    }

    private record Segment(Instant from, Instant end) {
    }
}
