package io.leadflow.notification;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.camunda.bpm.engine.ProcessEngineServices;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadNumbers;
import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;
import io.leadflow.security.CurrentUser;
import io.leadflow.sla.EngineClock;

/**
 * Asks for notifications: one outbox row per channel ({@link NotificationOutbox}), written in the
 * caller's transaction (so only a committed step notifies anybody) and sent afterwards in batches by
 * the job executor ({@link NotificationBatches}); a message whose send fails gets a "Send notification"
 * instance of its own, with Camunda's job retries and finally an incident. Recipients are engine users
 * and groups, read as e-mail addresses when the message is sent ({@link Recipients}).
 */
@Component("notifications")
public class Notifications {

    public static final String PROCESS = "leadNotification";

    private final NotificationProperties properties;
    private final NotificationOutbox outbox;
    private final EngineClock clock;
    private final LeadRepository leads;

    public Notifications(NotificationProperties properties, NotificationOutbox outbox, EngineClock clock, LeadRepository leads) {
        this.properties = properties;
        this.outbox = outbox;
        this.clock = clock;
        this.leads = leads;
    }

    /**
     * Task listener on "Accept lead" (assignment): tells the rep the task is now assigned to, whoever
     * chose them (the rotation when the task is created, a sales manager with "Set assignee", the
     * re-routing of an absent rep's tasks); not a rep who claims it themselves, nor nobody.
     * {@code ${notifications.leadAssigned(task)}}
     */
    public void leadAssigned(DelegateTask task) {
        String assignee = task.getAssignee();
        if (assignee == null || assignee.equals(CurrentUser.id(task))) {
            return;
        }
        request(task.getProcessEngineServices(), leadId(task), leadNumber(task), NotificationEvent.LEAD_ASSIGNED, task.getId(), modelName(task),
                task.getDueDate(), assignee, null, false, List.of(assignee), List.of());
    }

    /**
     * Task listener on "Assign lead by hand" (create): tells the members of its candidate groups
     * (the sales managers) that a lead has no rep. {@code ${notifications.assignmentNeeded(task)}}
     */
    public void assignmentNeeded(DelegateTask task) {
        List<String> groups = task.getCandidates().stream()
                .filter(l -> IdentityLinkType.CANDIDATE.equals(l.getType()) && l.getGroupId() != null)
                .map(l -> l.getGroupId()).toList();
        request(task.getProcessEngineServices(), leadId(task), leadNumber(task), NotificationEvent.ASSIGNMENT_NEEDED, task.getId(), modelName(task),
                task.getDueDate(), null, null, false, List.of(), groups);
    }

    /** "Accept lead": the model's name; the task's own name also names the lead, which the message says anyway. */
    private static String modelName(DelegateTask task) {
        var element = task.getBpmnModelElementInstance();
        return element != null && element.getName() != null ? element.getName() : task.getName();
    }

    /** The assignee, or the members of the task's candidate groups when nobody has claimed it. */
    public void slaReminder(ProcessEngineServices services, VariableScope scope, String taskId, String taskName, Date due,
                            String assignee, String sla) {
        List<String> groups = assignee != null ? List.of() : services.getTaskService().getIdentityLinksForTask(taskId).stream()
                .filter(l -> IdentityLinkType.CANDIDATE.equals(l.getType()) && l.getGroupId() != null)
                .map(l -> l.getGroupId()).toList();
        request(services, leadId(scope), leadNumber(scope), NotificationEvent.SLA_REMINDER, taskId, taskName, due, assignee, sla, false,
                assignee == null ? List.of() : List.of(assignee), groups);
    }

    /** The escalation group and the assignee; a repeated breach on the lead also goes to the repeated-breach groups. */
    public void slaBreach(ProcessEngineServices services, VariableScope scope, String taskId, String taskName, Date due,
                          String assignee, String sla, String escalationGroup, boolean repeated) {
        List<String> groups = new ArrayList<>();
        groups.add(escalationGroup);
        if (repeated) {
            groups.addAll(properties.repeatedBreachGroups());
        }
        request(services, leadId(scope), leadNumber(scope), NotificationEvent.SLA_BREACH, taskId, taskName, due, assignee, sla, repeated,
                assignee == null ? List.of() : List.of(assignee), groups);
    }

    /**
     * An "Accept lead" whose rep is absent while no other rep of the territory can take it (the
     * re-routing left it to the sales managers): they are told as for "Assign lead by hand", not
     * only when its deadline passes.
     */
    public void rerouteNeeded(ProcessEngineServices services, Task task, String leadId, String leadNumber, String managers) {
        // the model's name of the task, as for the other events: the task's own name is the contact's
        var element = services.getRepositoryService().getBpmnModelInstance(task.getProcessDefinitionId())
                .getModelElementById(task.getTaskDefinitionKey());
        String name = element instanceof FlowElement flow && flow.getName() != null ? flow.getName() : task.getTaskDefinitionKey();
        request(services, leadId, leadNumber, NotificationEvent.ASSIGNMENT_NEEDED, task.getId(), name,
                task.getDueDate(), null, null, false, List.of(), List.of(managers));
    }

    private void request(ProcessEngineServices services, String leadId, String leadNumber, NotificationEvent event, String taskId,
                         String taskName, Date due, String assignee, String sla, boolean repeated,
                         Collection<String> users, Collection<String> groups) {
        Notification.Addressees to = new Notification.Addressees(
                users.stream().filter(Objects::nonNull).distinct().toList(), groups.stream().filter(Objects::nonNull).distinct().toList());
        Notification notification = new Notification(event, Notification.EMAIL,
                leadId,
                leadNumber,
                null, null, // the sender reads the contact from the lead record (Notification)
                taskId, taskName, due == null ? null : OffsetDateTime.ofInstant(due.toInstant(), ZoneOffset.UTC),
                assignee, sla, repeated, List.of(), to);
        // the sender reads the addresses (Recipients): a mail whose users and groups have none is not sent
        if (!to.isEmpty()) {
            outbox.add(notification, clock.nowUtc());
        }
        if (properties.webhookUrl() != null) {
            outbox.add(notification.forChannel(Notification.WEBHOOK), clock.nowUtc());
        }
    }

    /** The lead of the scope's process ({@code leadId}, held against its business key). */
    private String leadId(VariableScope scope) {
        // the lead of the scope's process only: a model that names another lead's id writes about none
        if (scope instanceof DelegateTask task) {
            return LeadContext.leadId(task.getExecution(), leads);
        }
        if (scope instanceof org.camunda.bpm.engine.delegate.DelegateExecution execution) {
            return LeadContext.leadId(execution, leads);
        }
        return (String) scope.getVariable(LeadVariables.LEAD_ID);
    }

    /**
     * The lead's number: variable {@code leadNumber} (the lifecycle passes it to its call
     * activities), else the business key of an instance that started without it.
     */
    static String leadNumber(VariableScope scope) {
        if (scope.getVariable(LeadVariables.LEAD_NUMBER) instanceof String number) {
            return number;
        }
        DelegateExecution execution = scope instanceof DelegateTask task ? task.getExecution()
                : scope instanceof DelegateExecution e ? e : null;
        String businessKey = execution == null ? null : execution.getProcessBusinessKey();
        return LeadNumbers.isLeadNumber(businessKey) ? businessKey : null;
    }
}
