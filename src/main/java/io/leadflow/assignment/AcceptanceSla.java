package io.leadflow.assignment;

import java.util.Date;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
import org.springframework.stereotype.Component;

import io.leadflow.sla.SlaTimers;

/**
 * The acceptance SLA counted again from now, for a rep who is given a lead another rep held: an
 * absence re-routes it ({@link AbsenceReroutes}) or a manager reassigns it ({@link SalesRepOfTask}).
 * Otherwise a task moved shortly before its deadline breached at once, the breach was recorded
 * against the new rep, who was excluded from the lead, and the lead went back to the rep who had let
 * it lapse. The reminder and escalation timers of "Accept lead" are moved; a reminder already sent is
 * not sent again.
 */
@Component
public class AcceptanceSla {

    static final String SLA = "acceptLead";
    static final String REMINDER_TIMER = "Timer_AcceptLeadReminder";
    static final String BREACH_TIMER = "Timer_AcceptanceSlaBreached";

    private final SlaTimers sla;

    public AcceptanceSla(SlaTimers sla) {
        this.sla = sla;
    }

    /**
     * Moves the lead's acceptance timers to the agreed time from now.
     *
     * @return the new deadline, for the task's due date
     */
    public Date restartTimers(ManagementService jobs, String processInstanceId) {
        Date due = sla.deadline(SLA);
        for (Job timer : jobs.createJobQuery().processInstanceId(processInstanceId).timers().activityId(REMINDER_TIMER).list()) {
            jobs.setJobDuedate(timer.getId(), sla.reminder(SLA));
        }
        for (Job timer : jobs.createJobQuery().processInstanceId(processInstanceId).timers().activityId(BREACH_TIMER).list()) {
            jobs.setJobDuedate(timer.getId(), due);
        }
        return due;
    }
}
