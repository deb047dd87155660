package io.leadflow.sla;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.task.Task;

/**
 * The user task an SLA timer watches, found from the timer's handler: the open task if it is still
 * open (non-interrupting timers), else the last one from history (interrupting timers).
 */
record SlaTask(Optional<Task> open, String taskKey, String name, String assignee, OffsetDateTime dueDate) {

    String openTaskId() {
        return open.map(Task::getId).orElse(null);
    }

    java.util.Date due() {
        return dueDate == null ? null : java.util.Date.from(dueDate.toInstant());
    }

    static Optional<SlaTask> find(DelegateExecution execution, String taskKey) {
        var services = execution.getProcessEngineServices();
        // the model's name ("Accept lead"), not the task's, which names the lead: breach records keep no personal data
        var element = execution.getBpmnModelInstance() == null ? null : execution.getBpmnModelInstance().getModelElementById(taskKey);
        String modelName = element instanceof org.camunda.bpm.model.bpmn.instance.FlowElement flow ? flow.getName() : null;
        Task task = services.getTaskService().createTaskQuery()
                .processInstanceId(execution.getProcessInstanceId())
                .taskDefinitionKey(taskKey)
                .singleResult();
        if (task != null) {
            return Optional.of(new SlaTask(Optional.of(task), taskKey, modelName != null ? modelName : task.getName(), task.getAssignee(), utc(task.getDueDate())));
        }
        List<HistoricTaskInstance> past = services.getHistoryService().createHistoricTaskInstanceQuery()
                .processInstanceId(execution.getProcessInstanceId())
                .taskDefinitionKey(taskKey)
                .orderByHistoricActivityInstanceStartTime().desc()
                .listPage(0, 1);
        return past.stream().findFirst()
                .map(h -> new SlaTask(Optional.empty(), taskKey, modelName != null ? modelName : h.getName(), h.getAssignee(), utc(h.getDueDate())));
    }

    private static OffsetDateTime utc(Date date) {
        return date == null ? null : OffsetDateTime.ofInstant(date.toInstant(), ZoneOffset.UTC);
    }
}
