package io.leadflow.sla;

import java.time.LocalDate;
import java.time.Year;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import de.focus_shift.jollyday.core.CalendarHierarchy;
import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.HolidayType;
import de.focus_shift.jollyday.core.ManagerParameters;

/**
 * The public holidays of a country and, optionally, one of its subdivisions ({@code DE} and
 * {@code be} for Berlin), from jollyday's holiday tables, so every year has its holidays
 * (Easter moves, regions differ) without anybody typing dates. Observances that are not days off
 * (e.g. Easter Monday in the US) do not count. Computed once per year and kept.
 */
final class PublicHolidays {

    static final String COUNTRY_KEY = "leadflow.sla.business-hours.holiday-country";
    static final String REGION_KEY = "leadflow.sla.business-hours.holiday-region";

    private static final PublicHolidays NONE = new PublicHolidays(null, new String[0], "none");

    private final HolidayManager manager;
    private final String[] region;
    private final String description;
    private final Map<Integer, Set<LocalDate>> byYear = new ConcurrentHashMap<>();

    private PublicHolidays(HolidayManager manager, String[] region, String description) {
        this.manager = manager;
        this.region = region;
        this.description = description;
    }

    /**
     * The public holidays of {@code country} (ISO 3166 code as jollyday knows it, e.g. {@code DE},
     * {@code US}) in {@code region} (a subdivision code of that country, e.g. {@code by}; a deeper
     * level after a slash, e.g. {@code by/mu}). A blank country means no public holidays.
     *
     * @throws IllegalArgumentException naming the key if the country or the region is unknown
     */
    static PublicHolidays of(String country, String region) {
        if (country == null || country.isBlank()) {
            if (region != null && !region.isBlank()) {
                throw new IllegalArgumentException(REGION_KEY + " is '" + region + "' but " + COUNTRY_KEY + " is empty");
            }
            return NONE;
        }
        String code = country.trim().toUpperCase(Locale.ROOT);
        if (!HolidayManager.getSupportedCalendarCodes().contains(code)) {
            throw new IllegalArgumentException(COUNTRY_KEY + ": '" + country
                    + "' is not a country with known public holidays (use an ISO 3166 code such as DE, AT, US)");
        }
        HolidayManager manager = HolidayManager.getInstance(ManagerParameters.create(code));
        String[] path = region == null || region.isBlank() ? new String[0]
                : Arrays.stream(region.trim().toLowerCase(Locale.ROOT).split("/")).map(String::trim).toArray(String[]::new);
        CalendarHierarchy level = manager.getCalendarHierarchy();
        for (String part : path) {
            CalendarHierarchy next = level.getChildren().get(part);
            if (next == null) {
                throw new IllegalArgumentException(REGION_KEY + ": '" + region + "' is not a region of " + code
                        + "; known: " + String.join(", ", new java.util.TreeSet<>(level.getChildren().keySet())));
            }
            level = next;
        }
        return new PublicHolidays(manager, path, path.length == 0 ? code : code + "-" + String.join("/", path));
    }

    static PublicHolidays none() {
        return NONE;
    }

    boolean contains(LocalDate day) {
        return manager != null && byYear.computeIfAbsent(day.getYear(), this::load).contains(day);
    }

    private Set<LocalDate> load(int year) {
        return manager.getHolidays(Year.of(year), HolidayType.PUBLIC_HOLIDAY, region).stream()
                .map(Holiday::getDate)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public String toString() {
        return description;
    }
}
