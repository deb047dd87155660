package io.leadflow.sla;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one place every timer and due date of the models asks for its date:
 * {@code ${sla.deadline('acceptLead')}}, {@code ${sla.reminder('acceptLead')}},
 * {@code ${sla.nextAttempt(attemptNumber)}} and so on. Deadlines, reminders and the cadence are
 * counted in business time by the {@link BusinessCalendar}; nurture periods in calendar time.
 */
@Component("sla")
public class SlaTimers {

    private static final Logger LOG = LoggerFactory.getLogger(SlaTimers.class);

    private final SlaProperties properties;
    private final EngineClock clock;
    private final BusinessCalendar calendar;

    public SlaTimers(SlaProperties properties, EngineClock clock) {
        this.properties = properties;
        this.clock = clock;
        this.calendar = new BusinessCalendar(properties.zone(), properties.businessHours());
        warnIfNoHolidayInTheNextYear();
        warnIfADeadlineIsWholeDays();
    }

    /**
     * Deadlines are business time: {@code P1D} is 24 business hours, three business days of eight hours,
     * not one (which is {@code PT8H}). Nothing tells the two apart after binding, so a deadline of whole
     * 24-hour days is named at start-up with what it means.
     */
    private void warnIfADeadlineIsWholeDays() {
        for (String sla : new java.util.TreeSet<>(SlaProperties.Deadlines.NAMES)) {
            java.time.Duration deadline = properties.deadlines().forSla(sla);
            if (!deadline.isZero() && deadline.toMinutes() % (24 * 60) == 0) {
                LOG.warn("SLA {} is {} of business time: {} business hours, not {} day(s). One business day of the agreed"
                        + " hours is PT8H (Monday to Friday 09:00-17:00); write hours to mean business days.", sla, deadline,
                        deadline.toHours(), deadline.toDays());
            }
        }
    }

    /**
     * A calendar without a single day off in the next 12 months is almost certainly a configuration
     * left behind (extra dates of a past year, no holiday country): deadlines would run over Easter.
     */
    private void warnIfNoHolidayInTheNextYear() {
        LocalDate today = clock.now().atZone(properties.zone()).toLocalDate();
        if (calendar.firstHolidayBetween(today, today.plusMonths(12)).isEmpty()) {
            LOG.warn("No holiday in the next 12 months from {} (public holidays: {}, extra days off: {}): SLA deadlines "
                    + "count every weekday as a working day. Set leadflow.sla.business-hours.holiday-country "
                    + "(and holiday-region) or add dates to leadflow.sla.business-hours.holidays.",
                    today, calendar.publicHolidaySource(), properties.businessHours().holidays());
        }
    }

    /** When the task of this SLA is due: its business time counted from now (the task's creation). */
    public Date deadline(String slaName) {
        return Date.from(calendar.plus(clock.now(), properties.deadlines().forSla(slaName)));
    }

    /** When the assignee gets a reminder: the agreed share of the deadline's business time. */
    public Date reminder(String slaName) {
        return Date.from(calendar.plus(clock.now(), reminderShareOf(properties.deadlines().forSla(slaName))));
    }

    /** The task-local variable the forms show: ON_TIME, AT_RISK after the reminder, BREACHED after the deadline. */
    public static final String SLA_STATUS = "slaStatus";

    /**
     * The task-local variable naming the SLA a task is bound to: {@link LateCompletion} records a breach by
     * it. Not {@code slaName}, the handlers' setting (in versions before model properties, a variable).
     */
    public static final String SLA_NAME = "slaOfTask";

    /** Task listener on every user task with an SLA (create), in models before the SLA's name was given: {@code ${sla.track(task)}}. */
    public void track(DelegateTask task) {
        task.setVariableLocal(SLA_STATUS, SlaStatus.ON_TIME.name());
    }

    /**
     * Task listener on every user task with an SLA (create): {@code ${sla.track(task, 'acceptLead')}}. The
     * SLA's name stays with the task, so that a task done after its deadline before the deadline's timer
     * ran is recorded as a breach too ({@link LateCompletion}).
     */
    public void track(DelegateTask task, String slaName) {
        track(task);
        task.setVariableLocal(SLA_NAME, slaName);
    }

    /**
     * Where an open task stands now, as its timers left it: its {@value #SLA_STATUS} variable ({@code tracked}:
     * the reminder sets AT_RISK, the escalation BREACHED, a re-routing that restarts the SLA ON_TIME again),
     * which is what Tasklist's "At risk or breached" filter shows; a deadline already passed is BREACHED
     * before the escalation's timer has run, and also when the due date was moved earlier by hand. A task
     * without the variable (one created before the SLA listener) by its creation and due date instead.
     * Not by creation and due date alone: a re-routed task's SLA counts from the re-routing, which a task
     * does not record, and a due date moved later by hand does not move the reminder that was sent.
     */
    public SlaStatus status(String tracked, Instant created, Instant due) {
        SlaStatus timers = tracked == null ? null : Arrays.stream(SlaStatus.values())
                .filter(s -> s.name().equals(tracked)).findFirst().orElse(null);
        if (timers == null) {
            return status(created, due);
        }
        SlaStatus byDeadline = SlaStatus.of(due, due, clock.now()); // BREACHED once due, else ON_TIME
        return timers.compareTo(byDeadline) >= 0 ? timers : byDeadline;
    }

    /** Where a task created at {@code created} and due at {@code due} stands now, by the same calendar as its timers. */
    public SlaStatus status(Instant created, Instant due) {
        if (due == null) {
            return SlaStatus.ON_TIME;
        }
        Instant reminderAt = calendar.plus(created, reminderShareOf(calendar.between(created, due)));
        return SlaStatus.of(reminderAt, due, clock.now());
    }

    private Duration reminderShareOf(Duration businessTime) {
        return Duration.ofMillis(Math.round(businessTime.toMillis() * properties.reminderShare()));
    }

    /** Attempt 1 carries the speed-to-lead SLA (shorter for grade A); later attempts the attempt SLA. */
    public Date contactDeadline(Object attemptNumber, Object fitGrade) {
        return deadline(contactSla(attemptNumber, fitGrade));
    }

    public String contactSla(Object attemptNumber, Object fitGrade) {
        if (toInt(attemptNumber) <= 1) {
            return "A".equals(fitGrade) ? "firstTouchGradeA" : "firstTouch";
        }
        return "contactAttempt";
    }

    /**
     * When the next attempt is planned after attempt {@code attemptNumber}, following the cadence
     * (business time). A wait that ends at closing time ends at the next opening instead: the next
     * attempt is due when somebody works.
     */
    public Date nextAttempt(Object attemptNumber) {
        return Date.from(calendar.plusToNextWorkingTime(clock.now(), properties.waitAfterAttempt(toInt(attemptNumber))));
    }

    /**
     * Whether the follow-up may plan another attempt after attempt {@code attemptNumber}: fewer
     * than N attempts so far, and the next one still inside the attempt window (calendar time from
     * the first attempt).
     */
    public boolean attemptsLeft(Object attemptNumber, Object firstAttemptAt) {
        if (toInt(attemptNumber) >= properties.maxAttempts()) {
            return false;
        }
        Instant first = firstAttemptAt instanceof Date date ? date.toInstant() : clock.now();
        return !nextAttempt(attemptNumber).toInstant().isAfter(first.plus(properties.attemptWindow()));
    }

    /** When a nurtured lead is re-scored without new engagement, so its engagement score decays. */
    public Date nurtureRescore() {
        return Date.from(clock.now().plus(properties.nurtureRescoreInterval()));
    }

    /** When a nurtured lead goes cold: the quiet period after its last engagement (calendar time). */
    public Date nurtureQuietPeriodEnd(Object lastEngagementAt) {
        return nurtureQuietPeriodEnd(lastEngagementAt, null);
    }

    /**
     * When a nurtured lead goes cold: the quiet period (calendar time) after its last engagement or the
     * nurture's start, whichever is later. A lead nurtured again (on its revisit date, sent back by
     * marketing, rejected as not ready) gets the whole quiet period from then: counted from an engagement
     * before it, the period was over when the nurture began, and the lead was archived at once.
     */
    public Date nurtureQuietPeriodEnd(Object lastEngagementAt, Object nurtureStartedAt) {
        Instant last = lastEngagementAt instanceof Date date ? date.toInstant() : clock.now();
        if (nurtureStartedAt instanceof Date started && started.toInstant().isAfter(last)) {
            last = started.toInstant();
        }
        Instant end = last.plus(properties.nurtureQuietPeriod());
        return Date.from(end.isBefore(clock.now()) ? clock.now() : end);
    }

    /** The revisit date of a recycled lead, at the start of that day in the SLA zone. */
    public Date revisit(Object revisitAt) {
        if (revisitAt instanceof Date date) {
            return date;
        }
        LocalDate day = LocalDate.parse(revisitAt.toString().substring(0, 10));
        return Date.from(day.atStartOfDay(properties.zone()).toInstant());
    }

    public int getMaxAttempts() {
        return properties.maxAttempts();
    }

    public int getMaxRecycles() {
        return properties.maxRecycles();
    }

    public int getMqlThreshold() {
        return properties.mqlThreshold();
    }

    /**
     * Parses a revisit date as the forms send it ("2027-03-01" or an ISO date-time): the start of that
     * day in the SLA's zone, with that zone's offset, so that its date is the day the rep chose (in
     * UTC, 2027-03-01 in Berlin is still 2027-02-28).
     */
    public OffsetDateTime revisitDateTime(Object revisitDate) {
        return revisitDate == null || revisitDate.toString().isBlank() ? null
                : OffsetDateTime.ofInstant(revisit(revisitDate).toInstant(), properties.zone());
    }

    private static int toInt(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        return value == null ? 0 : Integer.parseInt(value.toString());
    }
}
