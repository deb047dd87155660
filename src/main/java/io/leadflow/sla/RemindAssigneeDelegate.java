package io.leadflow.sla;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadVariables;
import io.leadflow.notification.Notifications;

/**
 * "Remind reviewer", "Remind sales rep": at the agreed share of the deadline the task is raised to
 * high priority (Tasklist sorts and marks it) and the assignee (or, unclaimed, the candidate
 * groups) is notified.
 */
@Component("remindAssigneeDelegate")
public class RemindAssigneeDelegate implements JavaDelegate {

    static final int REMINDED_PRIORITY = 75;
    private static final Logger LOG = LoggerFactory.getLogger(RemindAssigneeDelegate.class);

    private final Notifications notifications;

    public RemindAssigneeDelegate(Notifications notifications) {
        this.notifications = notifications;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String taskKey = SlaHandlerSettings.text(execution, LeadVariables.SLA_TASK_KEY);
        String slaName = SlaHandlerSettings.text(execution, LeadVariables.SLA_NAME);
        SlaTask.find(execution, taskKey).ifPresent(sla -> sla.open().ifPresent(task -> {
            if (SlaStatus.BREACHED.name().equals(execution.getProcessEngineServices().getTaskService()
                    .getVariableLocal(task.getId(), SlaTimers.SLA_STATUS))) {
                // both fell due while the app was down and the breach ran first: a reminder now would say "at risk" and "due soon"
                LOG.info("SLA reminder: '{}' for lead {} is past its deadline already, not reminded", sla.name(),
                        execution.getVariable(LeadVariables.LEAD_ID));
                return;
            }
            execution.getProcessEngineServices().getTaskService().setPriority(task.getId(), REMINDED_PRIORITY);
            execution.getProcessEngineServices().getTaskService()
                    .setVariableLocal(task.getId(), SlaTimers.SLA_STATUS, SlaStatus.AT_RISK.name());
            // the model's name of the task: the task's own names the contact, and a log cannot be erased
            LOG.info("SLA reminder: '{}' for lead {} is due at {} (SLA {}, assignee {})", sla.name(),
                    execution.getVariable(LeadVariables.LEAD_ID), task.getDueDate(), slaName,
                    task.getAssignee() == null ? "none (candidate groups)" : task.getAssignee());
            notifications.slaReminder(execution.getProcessEngineServices(), execution, task.getId(), sla.name(),
                    task.getDueDate(), task.getAssignee(), slaName);
        }));
    }
}
