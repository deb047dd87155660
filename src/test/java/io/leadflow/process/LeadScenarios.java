package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;

import io.leadflow.capture.CapturedLead;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.NewLead;

/** What reps and timers do to a lead, in the words of the process tests. */
final class LeadScenarios {

    /** Monday 23 November 2026, 09:00 in Berlin. */
    static final Instant MONDAY_9 = Instant.parse("2026-11-23T08:00:00Z");

    final ProcessTestEngine t;
    final ProcessEngine engine;
    private final Map<String, ProcessInstance> lifecycles = new HashMap<>();

    LeadScenarios(ProcessTestEngine t, ProcessEngine engine) {
        this.t = t;
        this.engine = engine;
    }

    /** Before each test: delegates wired, assertions bound to this engine, the clock at Monday 09:00. */
    static LeadScenarios begin(ProcessTestEngine t, ProcessEngine engine) {
        t.wire(engine);
        org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init(engine);
        ClockUtil.setCurrentTime(at(MONDAY_9));
        return new LeadScenarios(t, engine);
    }

    /** Software, 500 employees, executive, Germany: fit 50 (grade A) + 10 for the form fill = 60, an MQL. */
    static NewLead strongLead() {
        return new NewLead(unique("ada"), "Ada", "Lovelace", "+49 30 1234567", "Analytical Engines GmbH", "CTO",
                "executive", "software", 500, "DE", "webForm", "autumn-webinar");
    }

    /** Retail, 20 employees, practitioner, Brazil: fit 9 (grade D), not an MQL. */
    static NewLead weakLead() {
        return new NewLead(unique("bob"), "Bob", "Builder", null, "Tiny Shop Ltda", "Clerk", "practitioner", "retail",
                20, "BR", "webForm", null);
    }

    static String unique(String name) {
        return name + "-" + UUID.randomUUID() + "@example.com";
    }

    String capture(NewLead lead) {
        CapturedLead captured = t.capture().capture(lead);
        assertThat(captured.created()).isTrue();
        lifecycles.put(captured.leadId(), engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceId(captured.processInstanceId()).singleResult());
        return captured.leadId();
    }

    /** The lead's lifecycle instance, running or ended. */
    ProcessInstance lifecycle(String leadId) {
        return lifecycles.computeIfAbsent(leadId, id -> engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceBusinessKey(id).processDefinitionKey("leadLifecycle").singleResult());
    }

    boolean running(String leadId) {
        return engine.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(leadId).count() > 0;
    }

    ProcessInstance child(String leadId, String processKey) {
        return engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceBusinessKey(leadId).processDefinitionKey(processKey).singleResult();
    }

    Task task(String leadId, String taskKey) {
        return engine.getTaskService().createTaskQuery().processInstanceBusinessKey(leadId)
                .taskDefinitionKey(taskKey).singleResult();
    }

    List<Task> openTasks(String leadId) {
        return engine.getTaskService().createTaskQuery().processInstanceBusinessKey(leadId).list();
    }

    void complete(String leadId, String taskKey, Object... keysAndValues) {
        Task task = task(leadId, taskKey);
        assertThat(task).as("open task %s of lead %s", taskKey, leadId).isNotNull();
        // as the rep would: the task's assignee (or, unassigned, a member of its group) is the
        // authenticated user, whom the delegates record as the one who acted
        engine.getIdentityService().setAuthenticatedUserId(task.getAssignee() != null ? task.getAssignee() : "tester");
        try {
            engine.getTaskService().complete(task.getId(), vars(keysAndValues));
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
    }

    void approveMql(String leadId) {
        complete(leadId, "Task_ReviewMql", "reviewDecision", "approve", "reviewNote", "fits the ICP");
    }

    void accept(String leadId) {
        complete(leadId, "Task_AcceptLead", "acceptDecision", "accept");
    }

    void reject(String leadId, String reason, String comment) {
        complete(leadId, "Task_AcceptLead", "acceptDecision", "reject", "rejectReason", reason, "rejectComment", comment);
    }

    void attempt(String leadId, String channel, String outcome) {
        complete(leadId, "Task_ContactLead", "contactChannel", channel, "contactOutcome", outcome, "contactNote", "tried");
    }

    /** The lead from capture to an accepted lead waiting for its first contact attempt. */
    String acceptedStrongLead() {
        String leadId = capture(strongLead());
        approveMql(leadId);
        accept(leadId);
        return leadId;
    }

    /** The timer job of a timer event of this lead, in whichever of its process instances. */
    Job timer(String leadId, String timerActivityId) {
        List<String> instances = engine.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(leadId)
                .list().stream().map(ProcessInstance::getId).toList();
        List<Job> jobs = engine.getManagementService().createJobQuery().timers().activityId(timerActivityId).list().stream()
                .filter(j -> instances.contains(j.getProcessInstanceId())).toList();
        assertThat(jobs).as("timer %s of lead %s", timerActivityId, leadId).hasSize(1);
        return jobs.get(0);
    }

    /** Moves the clock to the timer's due date and fires it, as the job executor would. */
    void fire(String leadId, String timerActivityId) {
        Job job = timer(leadId, timerActivityId);
        ClockUtil.setCurrentTime(job.getDuedate());
        engine.getManagementService().executeJob(job.getId());
    }

    /** Runs the asynchronous continuation waiting at this activity. */
    void runJob(String leadId, String activityId) {
        ProcessInstance instance = lifecycle(leadId);
        Job job = engine.getManagementService().createJobQuery().processInstanceId(instance.getId())
                .activityId(activityId).singleResult();
        assertThat(job).as("job at %s", activityId).isNotNull();
        engine.getManagementService().executeJob(job.getId());
    }

    List<LeadStage> stages(String leadId) {
        return t.leads.stageHistory(leadId).stream().map(e -> e.stage()).toList();
    }

    LeadStage stage(String leadId) {
        return t.leads.get(leadId).stage();
    }

    static Date at(Instant instant) {
        return Date.from(instant);
    }

    static Map<String, Object> vars(Object... keysAndValues) {
        Map<String, Object> vars = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            vars.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return vars;
    }
}
