package io.leadflow.recycling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricDecisionInstance;
import org.camunda.bpm.engine.history.HistoricDecisionInputInstance;
import org.camunda.bpm.engine.history.HistoricDecisionOutputInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.history.UserOperationLogEntry;
import org.camunda.bpm.engine.task.Attachment;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadNumbers;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;
import io.leadflow.notification.NotificationOutbox;
import io.leadflow.notification.Notifications;

/**
 * Erases a lead's personal data from the engine, through the public API wherever it has a call:
 * <ul>
 * <li>the lifecycle and its call activities (nurture, follow-up), found by business key (the lead
 * number, or the lead id for instances started before lead numbers) and by super process instance:
 * their historic variables and variable details (details exist only in history written before
 * leadflow's history level, {@code HistoryWithoutVariableDetails}), comments, attachments, decision
 * instances, the attachments of the instances and of their tasks, the operation log entries about
 * comments and attachments and those that contain the lead's texts; the comments of completed
 * tasks, task names, incident and job failure messages through {@link EngineHistoryEraser}. Their
 * process, activity and task instances (which step, when, who) stay for the audit;</li>
 * <li>the lead's notifications: its rows in the outbox, sent or waiting, and the notification
 * instances of its messages whose send failed (variable {@code leadId}; before batches, every message
 * had one): deleted, running or not, with all their history.</li>
 * </ul>
 * Runs in the caller's transaction, after the lifecycle has been stopped.
 */
@Component
class EngineErasure {

    /** Operation log entries about comments and attachments: their values are the people's texts. */
    private static final Set<String> NOTE_ENTITIES = Set.of(org.camunda.bpm.engine.EntityTypes.COMMENT,
            org.camunda.bpm.engine.EntityTypes.ATTACHMENT);

    private final RuntimeService runtime;
    private final HistoryService history;
    private final TaskService tasks;
    private final EngineHistoryEraser sql;
    private final LeadRepository leads;

    private final NotificationOutbox outbox;

    EngineErasure(RuntimeService runtime, HistoryService history, TaskService tasks, EngineHistoryEraser sql,
                  LeadRepository leads, NotificationOutbox outbox) {
        this.leads = leads;
        this.outbox = outbox;
        this.runtime = runtime;
        this.history = history;
        this.tasks = tasks;
        this.sql = sql;
    }

    void erase(String leadId, PersonalData personal, Map<String, Integer> erased) {
        eraseNotifications(leadId, erased);
        List<String> instances = lifecycleInstances(leadId);
        erased.merge("processInstances", instances.size(), Integer::sum);
        for (String id : instances) {
            eraseInstance(id, personal, erased);
        }
    }

    /** The lead's lifecycles and every instance they called, directly or further down. */
    private List<String> lifecycleInstances(String leadId) {
        Set<String> found = new LinkedHashSet<>();
        Deque<String> toVisit = new ArrayDeque<>();
        String number = leads.findNumber(leadId).orElse(null);
        history.createHistoricProcessInstanceQuery().processInstanceBusinessKeyIn(LeadNumbers.historyKeys(leadId, number)).list().stream()
                .filter(p -> !Notifications.PROCESS.equals(p.getProcessDefinitionKey()))
                .map(HistoricProcessInstance::getId).forEach(toVisit::add);
        while (!toVisit.isEmpty()) {
            String id = toVisit.pop();
            if (found.add(id)) {
                history.createHistoricProcessInstanceQuery().superProcessInstanceId(id).list().stream()
                        .map(HistoricProcessInstance::getId).forEach(toVisit::add);
            }
        }
        return new ArrayList<>(found);
    }

    private void eraseNotifications(String leadId, Map<String, Integer> erased) {
        erased.merge("notifications", outbox.removeForLead(leadId), Integer::sum);
        List<HistoricProcessInstance> notifications = history.createHistoricProcessInstanceQuery()
                .processDefinitionKey(Notifications.PROCESS)
                .variableValueEquals(LeadVariables.LEAD_ID, leadId)
                .list();
        for (HistoricProcessInstance n : notifications) {
            if (n.getEndTime() == null) {
                runtime.deleteProcessInstanceIfExists(n.getId(), "lead erased on request", true, true, true, true);
            }
        }
        if (!notifications.isEmpty()) {
            history.deleteHistoricProcessInstancesIfExists(notifications.stream().map(HistoricProcessInstance::getId).toList());
        }
        erased.merge("notificationInstances", notifications.size(), Integer::sum);
    }

    private void eraseInstance(String id, PersonalData personal, Map<String, Integer> erased) {
        erased.merge("historicVariables", (int) history.createHistoricVariableInstanceQuery().processInstanceId(id).count(), Integer::sum);
        erased.merge("historicVariableDetails", (int) history.createHistoricDetailQuery().processInstanceId(id).count(), Integer::sum);
        history.deleteHistoricVariableInstancesByProcessInstanceId(id);

        int comments = tasks.getProcessInstanceComments(id).size();
        if (comments > 0) {
            // the engine deletes an instance's comments only while it runs; the lifecycle was stopped
            // just before, and older instances ended long ago
            if (runtime.createProcessInstanceQuery().processInstanceId(id).count() > 0) {
                tasks.deleteProcessInstanceComments(id);
            } else {
                sql.deleteCommentsOfEndedProcessInstance(id);
            }
        }
        List<HistoricTaskInstance> taskInstances = history.createHistoricTaskInstanceQuery().processInstanceId(id).list();
        for (HistoricTaskInstance task : taskInstances) {
            if (task.getEndTime() == null) {
                int taskComments = tasks.getTaskComments(task.getId()).size();
                tasks.deleteTaskComments(task.getId());
                comments += taskComments;
            } else {
                comments += sql.deleteCommentsOfCompletedTask(task.getId());
            }
        }
        erased.merge("comments", comments, Integer::sum);

        // an attachment added to a task (as Tasklist and the REST API add them) names the task, not its instance
        Map<String, Attachment> attachments = new java.util.LinkedHashMap<>();
        tasks.getProcessInstanceAttachments(id).forEach(a -> attachments.put(a.getId(), a));
        for (HistoricTaskInstance task : taskInstances) {
            tasks.getTaskAttachments(task.getId()).forEach(a -> attachments.put(a.getId(), a));
        }
        attachments.keySet().forEach(tasks::deleteAttachment);
        erased.merge("attachments", attachments.size(), Integer::sum);

        // after the comments and attachments: the log of adding, changing and deleting them holds their texts
        // (a comment's old wording, an attachment's name), whoever's name they mention; entries of a task name
        // the task, not always its instance
        Map<String, UserOperationLogEntry> entries = new java.util.LinkedHashMap<>();
        history.createUserOperationLogQuery().processInstanceId(id).list().forEach(e -> entries.put(e.getId(), e));
        for (HistoricTaskInstance task : taskInstances) {
            history.createUserOperationLogQuery().taskId(task.getId()).list().forEach(e -> entries.put(e.getId(), e));
        }
        int logEntries = 0;
        for (UserOperationLogEntry entry : entries.values()) {
            if (NOTE_ENTITIES.contains(entry.getEntityType()) || personal.occursIn(entry.getOrgValue())
                    || personal.occursIn(entry.getNewValue())) {
                history.deleteUserOperationLogEntry(entry.getId());
                logEntries++;
            }
        }
        erased.merge("userOperationLogEntries", logEntries, Integer::sum);

        int decisions = 0;
        for (HistoricDecisionInstance decision : history.createHistoricDecisionInstanceQuery().processInstanceId(id)
                .includeInputs().includeOutputs().list()) {
            if (mentions(decision, personal)) {
                history.deleteHistoricDecisionInstanceByInstanceId(decision.getId());
                decisions++;
            }
        }
        erased.merge("decisionInstances", decisions, Integer::sum);

        int taskTexts = 0;
        for (HistoricTaskInstance task : taskInstances) {
            // every task of the lead's instances was named after the contact as it was then (a name fixed
            // later is in no list to look for), so each gets its neutral name
            if (!task.getTaskDefinitionKey().equals(task.getName()) || task.getDescription() != null) {
                taskTexts += sql.replaceTaskText(task.getId(), task.getTaskDefinitionKey());
            }
        }
        erased.merge("taskNames", taskTexts, Integer::sum);

        erased.merge("incidentMessages", sql.clearIncidentMessages(id), Integer::sum);
        erased.merge("jobFailureMessages", sql.clearJobLogExceptions(id), Integer::sum);
    }

    private static boolean mentions(HistoricDecisionInstance decision, PersonalData personal) {
        for (HistoricDecisionInputInstance input : decision.getInputs()) {
            if (input.getValue() != null && personal.occursIn(input.getValue().toString())) {
                return true;
            }
        }
        for (HistoricDecisionOutputInstance output : decision.getOutputs()) {
            if (output.getValue() != null && personal.occursIn(output.getValue().toString())) {
                return true;
            }
        }
        return false;
    }
}
