package io.leadflow.sla;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When sales works, bound from {@code leadflow.sla.business-hours.*}: working intervals per
 * weekday as local times ({@code "09:00-17:00"}, several per day allowed) and whole local days
 * off. A day missing from {@code week} or with no interval is not a working day. If {@code week}
 * is not configured at all, Monday to Friday 09:00-17:00 applies; a configured {@code week}
 * replaces that default completely (it is not merged with it).
 *
 * <p>Days off are the public holidays of {@code holidayCountry} (ISO code, e.g. {@code DE}; empty:
 * none) in {@code holidayRegion} (its subdivision, e.g. {@code be} for Berlin; empty: the
 * nationwide ones), every year, plus the extra dates in {@code holidays} (company days off).
 */
public record BusinessHours(
        @DefaultValue Map<DayOfWeek, List<String>> week,
        @DefaultValue List<LocalDate> holidays,
        @DefaultValue("") String holidayCountry,
        @DefaultValue("") String holidayRegion) {

    private static final String WEEK_KEY = "leadflow.sla.business-hours.week";
    private static final Pattern INTERVAL = Pattern.compile("\\d{2}:\\d{2}-\\d{2}:\\d{2}");
    private static final List<String> NINE_TO_FIVE = List.of("09:00-17:00");
    private static final Map<DayOfWeek, List<String>> DEFAULT_WEEK = Map.of(
            DayOfWeek.MONDAY, NINE_TO_FIVE,
            DayOfWeek.TUESDAY, NINE_TO_FIVE,
            DayOfWeek.WEDNESDAY, NINE_TO_FIVE,
            DayOfWeek.THURSDAY, NINE_TO_FIVE,
            DayOfWeek.FRIDAY, NINE_TO_FIVE);

    /** One working interval of a day, {@code start} inclusive, {@code end} exclusive. */
    public record Interval(LocalTime start, LocalTime end) {
    }

    @ConstructorBinding
    public BusinessHours {
        week = week == null || week.isEmpty() ? DEFAULT_WEEK : copyOf(week);
        holidays = holidays == null ? List.of() : List.copyOf(holidays);
        holidayCountry = holidayCountry == null ? "" : holidayCountry.trim();
        holidayRegion = holidayRegion == null ? "" : holidayRegion.trim();
        week.forEach(BusinessHours::parse); // fail fast on a bad configuration
        if (week.values().stream().allMatch(List::isEmpty)) {
            // at start-up, not at the first MQL: every business-time deadline failed with a 500 then
            throw new IllegalArgumentException(WEEK_KEY + " has no working day: give at least one day an interval"
                    + " (e.g. monday: 09:00-17:00), or leave the week out for Monday to Friday 09:00-17:00");
        }
        PublicHolidays.of(holidayCountry, holidayRegion);
    }

    /** Only the given extra days off, no public holidays. */
    public BusinessHours(Map<DayOfWeek, List<String>> week, List<LocalDate> holidays) {
        this(week, holidays, "", "");
    }

    /** Mon-Fri 09:00-17:00, no holidays. */
    public static BusinessHours defaults() {
        return new BusinessHours(null, null);
    }

    /** The public holidays of the configured country and region (none if no country is configured). */
    PublicHolidays publicHolidays() {
        return PublicHolidays.of(holidayCountry, holidayRegion);
    }

    /**
     * The working intervals of a weekday, sorted by start; empty if it is not a working day.
     * Holidays are not considered here.
     */
    public List<Interval> intervalsOn(DayOfWeek day) {
        return parse(day, week.getOrDefault(day, List.of()));
    }

    private static Map<DayOfWeek, List<String>> copyOf(Map<DayOfWeek, List<String>> week) {
        Map<DayOfWeek, List<String>> copy = new EnumMap<>(DayOfWeek.class);
        week.forEach((day, intervals) -> copy.put(day, intervals == null ? List.of() : List.copyOf(intervals)));
        return java.util.Collections.unmodifiableMap(copy); // EnumMap: days validated in week order
    }

    private static List<Interval> parse(DayOfWeek day, List<String> values) {
        String key = WEEK_KEY + "." + day.name().toLowerCase(Locale.ROOT);
        List<Interval> intervals = new ArrayList<>();
        for (String value : values) {
            intervals.add(parse(key, value));
        }
        intervals.sort(Comparator.comparing(Interval::start));
        for (int i = 1; i < intervals.size(); i++) {
            Interval previous = intervals.get(i - 1);
            Interval current = intervals.get(i);
            if (current.start().isBefore(previous.end())) {
                throw new IllegalArgumentException(key + ": intervals '" + format(previous) + "' and '"
                        + format(current) + "' overlap");
            }
        }
        return List.copyOf(intervals);
    }

    private static Interval parse(String key, String value) {
        String trimmed = value == null ? "" : value.trim();
        LocalTime start;
        LocalTime end;
        try {
            if (!INTERVAL.matcher(trimmed).matches()) {
                throw new IllegalArgumentException("no match");
            }
            start = LocalTime.parse(trimmed.substring(0, 5));
            end = LocalTime.parse(trimmed.substring(6));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": '" + value
                    + "' is not a working interval of the form HH:mm-HH:mm, e.g. '09:00-17:00'", e);
        }
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException(key + ": '" + value
                    + "' must start before it ends (intervals cannot span midnight)");
        }
        return new Interval(start, end);
    }

    private static String format(Interval interval) {
        return interval.start() + "-" + interval.end();
    }
}
