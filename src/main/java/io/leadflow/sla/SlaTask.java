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
        var element = execution.getBpmnModelInstance() == null ? null : execution.getBpmnModelInstance().getModelElementById(taskKey);
        String modelName = modelName(element, null);
        // native queries: the engine's task queries build their SQL from a mapping of some hundred
        // conditions on every call, a sixth of a wave job's CPU (docs/BENCHMARKS.md); these two read
        // the same rows by the same columns (both indexed by process instance)
        var management = services.getManagementService();
        Task task = services.getTaskService().createNativeTaskQuery()
                .sql("SELECT * FROM " + management.getTableName(Task.class)
                        + " WHERE PROC_INST_ID_ = #{processInstanceId} AND TASK_DEF_KEY_ = #{taskKey}")
                .parameter("processInstanceId", execution.getProcessInstanceId())
                .parameter("taskKey", taskKey)
                .singleResult();
        if (task != null) {
            return Optional.of(new SlaTask(Optional.of(task), taskKey, modelName != null ? modelName : task.getName(), task.getAssignee(), utc(task.getDueDate())));
        }
        List<HistoricTaskInstance> past = services.getHistoryService().createNativeHistoricTaskInstanceQuery()
                .sql("SELECT * FROM " + management.getTableName(HistoricTaskInstance.class)
                        + " WHERE PROC_INST_ID_ = #{processInstanceId} AND TASK_DEF_KEY_ = #{taskKey} ORDER BY START_TIME_ DESC")
                .parameter("processInstanceId", execution.getProcessInstanceId())
                .parameter("taskKey", taskKey)
                .listPage(0, 1);
        return past.stream().findFirst()
                .map(h -> new SlaTask(Optional.empty(), taskKey, modelName != null ? modelName : h.getName(), h.getAssignee(), utc(h.getDueDate())));
    }

    /**
     * The model's name of a task ("Accept lead"), not the task's, which names the lead: breach records keep
     * no personal data. {@code otherwise} when the model gives none.
     */
    static String modelName(Object element, String otherwise) {
        return element instanceof org.camunda.bpm.model.bpmn.instance.FlowElement flow && flow.getName() != null ? flow.getName() : otherwise;
    }

    private static OffsetDateTime utc(Date date) {
        return date == null ? null : OffsetDateTime.ofInstant(date.toInstant(), ZoneOffset.UTC);
    }
}
