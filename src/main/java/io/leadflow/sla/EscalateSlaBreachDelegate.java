package io.leadflow.sla;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.leadflow.assignment.ExcludedReps;
import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;
import io.leadflow.notification.Notifications;

/**
 * "Escalate review to marketing manager", "Escalate acceptance to sales manager", "Escalate qualification
 * to sales manager", "Escalate data fix to marketing manager", "Escalate manual assignment to sales
 * manager", "Notify sales manager": records the breach (lead, task, SLA, deadline, when, whose desk) and
 * escalates. A task that stays open is marked BREACHED and gets the manager group as candidate (unless
 * it is one already); with {@code reassignToNextRep} (the timer cancelled the task) the rep whose
 * acceptance lapsed does not get the lead again. The escalation group and the assignee are notified;
 * a lead's second breach also goes to the repeated-breach groups.
 */
@Component("escalateSlaBreachDelegate")
public class EscalateSlaBreachDelegate implements JavaDelegate {

    private static final Logger LOG = LoggerFactory.getLogger(EscalateSlaBreachDelegate.class);

    private final SlaBreachRepository breaches;
    private final Notifications notifications;
    private final EngineClock clock;
    private final LeadRepository leads;

    public EscalateSlaBreachDelegate(SlaBreachRepository breaches, Notifications notifications, EngineClock clock, LeadRepository leads) {
        this.leads = leads;
        this.breaches = breaches;
        this.notifications = notifications;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String leadId = LeadContext.leadId(execution, leads);
        String slaName = SlaHandlerSettings.text(execution, LeadVariables.SLA_NAME);
        String taskKey = SlaHandlerSettings.text(execution, LeadVariables.SLA_TASK_KEY);
        String managers = SlaHandlerSettings.text(execution, LeadVariables.ESCALATION_GROUP);
        SlaTask task = SlaTask.find(execution, taskKey)
                .orElseThrow(() -> new IllegalStateException("No task " + taskKey + " for lead " + leadId));
        breaches.insert(new SlaBreach(leadId, slaName, taskKey, task.name(), task.dueDate(), clock.nowUtc(), task.assignee()));
        if (SlaHandlerSettings.flag(execution, LeadVariables.REASSIGN_TO_NEXT_REP)) {
            // the interrupting timer cancelled the task: the lead goes to the next rep, not back to this one
            if (task.assignee() != null) {
                ExcludedReps.add(execution, task.assignee());
            }
        } else if (task.open().isPresent()) {
            var tasks = execution.getProcessEngineServices().getTaskService();
            // a group that is a candidate already (Assign lead by hand is the sales managers' own task) is not added twice
            boolean candidate = tasks.getIdentityLinksForTask(task.openTaskId()).stream()
                    .anyMatch(link -> IdentityLinkType.CANDIDATE.equals(link.getType()) && managers.equals(link.getGroupId()));
            if (!candidate) {
                tasks.addCandidateGroup(task.openTaskId(), managers);
            }
            tasks.setVariableLocal(task.openTaskId(), SlaTimers.SLA_STATUS, SlaStatus.BREACHED.name());
        }
        boolean repeated = breaches.countForLead(leadId) > 1;
        notifications.slaBreach(execution.getProcessEngineServices(), execution, task.openTaskId(), task.name(), task.due(),
                task.assignee(), slaName, managers, repeated);
        LOG.warn("SLA breached: '{}' for lead {} was due at {} (SLA {}, assignee {}); escalated to {}{}",
                task.name(), leadId, task.dueDate(), slaName, task.assignee(), managers, repeated ? " (repeated breach)" : "");
    }
}
