package io.leadflow.sla;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The SLA agreement between marketing and sales: every number both teams agreed on. Timers and
 * due dates read these through {@link SlaTimers}; no BPMN file holds a number. Task deadlines and
 * the cadence are business time (counted in {@link #businessHours()} in {@link #zone()}); the
 * nurture periods are calendar time.
 */
@ConfigurationProperties("leadflow.sla")
public record SlaProperties(
        @DefaultValue("Europe/Berlin") ZoneId zone,
        @DefaultValue("60") int mqlThreshold,
        @DefaultValue BusinessHours businessHours,
        @DefaultValue("0.5") double reminderShare,
        @DefaultValue Deadlines deadlines,
        @DefaultValue({"PT2H", "PT4H", "PT8H", "PT8H", "PT8H", "PT8H", "PT8H", "PT16H", "PT16H"}) List<Duration> cadence,
        @DefaultValue("10") int maxAttempts,
        @DefaultValue("P14D") Duration attemptWindow,
        @DefaultValue("P90D") Duration nurtureQuietPeriod,
        @DefaultValue("P7D") Duration nurtureRescoreInterval,
        @DefaultValue("P30D") Duration engagementHalfLife,
        @DefaultValue("3") int maxRecycles,
        @DefaultValue("40") int sqlTargetPerMonth) {

    public SlaProperties {
        if (mqlThreshold < 0 || mqlThreshold > 100) {
            throw new IllegalArgumentException("leadflow.sla.mql-threshold must be between 0 and 100, was " + mqlThreshold);
        }
        if (!(reminderShare > 0 && reminderShare < 1)) { // NaN too: it reminded every task as it was created
            throw new IllegalArgumentException("leadflow.sla.reminder-share must be between 0 and 1 (exclusive), was " + reminderShare);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("leadflow.sla.max-attempts must be at least 1, was " + maxAttempts);
        }
        if (cadence == null || cadence.isEmpty()) {
            throw new IllegalArgumentException("leadflow.sla.cadence needs at least one wait");
        }
        if (maxRecycles < 0) {
            throw new IllegalArgumentException("leadflow.sla.max-recycles must not be negative, was " + maxRecycles);
        }
        for (int i = 0; i < cadence.size(); i++) {
            positive("leadflow.sla.cadence[" + i + "]", cadence.get(i));
        }
        positive("leadflow.sla.attempt-window", attemptWindow);
        positive("leadflow.sla.nurture-quiet-period", nurtureQuietPeriod);
        positive("leadflow.sla.nurture-rescore-interval", nurtureRescoreInterval);
        positive("leadflow.sla.engagement-half-life", engagementHalfLife);
        if (sqlTargetPerMonth < 0) {
            throw new IllegalArgumentException("leadflow.sla.sql-target-per-month must not be negative, was " + sqlTargetPerMonth);
        }
    }

    /**
     * A time the agreement counts must be longer than nothing: a deadline of -PT1H started and then
     * failed every lead reaching its task with a 500 (the business calendar refuses a negative time).
     */
    static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be a time longer than zero (e.g. PT4H, P14D), was " + value);
        }
    }

    /** A time as people read it in mails and messages, in the agreement's zone: "Fri 27 Nov 2026, 17:00 CET". */
    public static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm z", Locale.ENGLISH);

    /** Deadlines of the user tasks in business time, from the moment the task is created (PT8H = one business day). */
    public record Deadlines(
            @DefaultValue("PT8H") Duration reviewMql,
            @DefaultValue("PT4H") Duration acceptLead,
            @DefaultValue("PT8H") Duration fixLeadData,
            @DefaultValue("PT16H") Duration qualifyLead,
            @DefaultValue("PT1H") Duration firstTouch,
            @DefaultValue("PT5M") Duration firstTouchGradeA,
            @DefaultValue("PT4H") Duration contactAttempt,
            @DefaultValue("PT4H") Duration assignByHand) {

        public Deadlines {
            positive("leadflow.sla.deadlines.review-mql", reviewMql);
            positive("leadflow.sla.deadlines.accept-lead", acceptLead);
            positive("leadflow.sla.deadlines.fix-lead-data", fixLeadData);
            positive("leadflow.sla.deadlines.qualify-lead", qualifyLead);
            positive("leadflow.sla.deadlines.first-touch", firstTouch);
            positive("leadflow.sla.deadlines.first-touch-grade-a", firstTouchGradeA);
            positive("leadflow.sla.deadlines.contact-attempt", contactAttempt);
            positive("leadflow.sla.deadlines.assign-by-hand", assignByHand);
        }

        /** The SLAs' names, as models name them ({@code ${sla.deadline('acceptLead')}}): this record's components. */
        public static final Set<String> NAMES = Arrays.stream(Deadlines.class.getRecordComponents())
                .map(RecordComponent::getName).collect(Collectors.toUnmodifiableSet());

        public Duration forSla(String slaName) {
            return switch (slaName) {
                case "reviewMql" -> reviewMql;
                case "acceptLead" -> acceptLead;
                case "fixLeadData" -> fixLeadData;
                case "qualifyLead" -> qualifyLead;
                case "firstTouch" -> firstTouch;
                case "firstTouchGradeA" -> firstTouchGradeA;
                case "contactAttempt" -> contactAttempt;
                case "assignByHand" -> assignByHand;
                default -> throw new IllegalArgumentException("Unknown SLA '" + slaName + "'");
            };
        }
    }

    /** The business-time wait after attempt {@code n} (1-based); the last wait repeats if there are more attempts than waits. */
    public Duration waitAfterAttempt(int attemptNumber) {
        int index = Math.max(0, Math.min(attemptNumber, cadence.size()) - 1);
        return cadence.get(index);
    }
}
