package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

import io.leadflow.nurture.EngagementService;
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

    /** Software, 500 employees, practitioner, Germany: fit 42 (grade A) + 10 for the form fill = 52, nurtured until it engages. */
    static NewLead engagedLaterLead() {
        return new NewLead(unique("grace"), "Grace", "Hopper", "+49 30 7654321", "Compiler Works GmbH", "Engineer",
                "practitioner", "software", 500, "DE", "webForm", "spring-campaign");
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

    /** The business key of the lead's process instances: its number. */
    String key(String leadId) {
        return t.leads.findNumber(leadId).orElseThrow(() -> new AssertionError("no lead " + leadId));
    }

    /** The lead's lifecycle instance, running or ended. */
    ProcessInstance lifecycle(String leadId) {
        return lifecycles.computeIfAbsent(leadId, id -> engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceBusinessKey(key(id)).processDefinitionKey("leadLifecycle").singleResult());
    }

    boolean running(String leadId) {
        return engine.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(key(leadId)).count() > 0;
    }

    ProcessInstance child(String leadId, String processKey) {
        return engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceBusinessKey(key(leadId)).processDefinitionKey(processKey).singleResult();
    }

    Task task(String leadId, String taskKey) {
        return engine.getTaskService().createTaskQuery().processInstanceBusinessKey(key(leadId))
                .taskDefinitionKey(taskKey).singleResult();
    }

    List<Task> openTasks(String leadId) {
        return engine.getTaskService().createTaskQuery().processInstanceBusinessKey(key(leadId)).list();
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

    /** A note of exactly {@code length} characters that says which attempt it belongs to. */
    static String longNote(int attempt, int length) {
        String head = "Attempt " + attempt + ": ";
        return head + "n".repeat(length - head.length());
    }

    /**
     * The long-history path, from capture to opportunity, with 2,000 engagement events: 1,992 old
     * page visits already on the record (as an import or events received outside nurture leave
     * them), the weekly re-score, 3 more old visits and 5 recent email clicks through the API
     * while nurtured (each re-scores the lead over all its events; the second click makes it an
     * MQL), review, acceptance; attempt 1 first with a 5,000-character note (refused: the engine
     * stores at most 4,000 characters in a String variable), then attempts 1–9 unanswered with
     * 4,000-character notes, attempt 10 connected, qualified, handed over.
     */
    String leadWith2000EngagementsAndTenLongNotes_toOpportunity() {
        String leadId = capture(engagedLaterLead());
        assertThat(stage(leadId)).isNotEqualTo(LeadStage.MQL);
        java.time.OffsetDateTime now = nowUtc();
        for (int i = 0; i < 1992; i++) {
            t.leads.insertEngagement(leadId, "pageVisit", now.minusDays(400 + i % 400).minusMinutes(i), "old visit " + i, now);
        }
        fire(leadId, "Timer_DecayPeriodPassed");
        now = nowUtc();
        for (int i = 0; i < 3; i++) {
            assertThat(t.engagements().record(leadId, "pageVisit", now.minusDays(500 + i), "old visit")).isEqualTo(EngagementService.Outcome.WOKE_LIFECYCLE);
        }
        assertThat(stage(leadId)).as("old visits have decayed").isNotEqualTo(LeadStage.MQL);
        for (int i = 0; i < 5; i++) {
            t.engagements().record(leadId, "emailClick", now.minusMinutes(5 - i), "newsletter click " + i);
        }
        assertThat(stage(leadId)).isEqualTo(LeadStage.MQL);
        approveMql(leadId);
        accept(leadId);

        assertThatThrownBy(() -> complete(leadId, "Task_ContactLead", "contactChannel", "phone",
                "contactOutcome", "noAnswer", "contactNote", longNote(1, 5000)))
                .isInstanceOf(io.leadflow.lead.InvalidTaskInputException.class)
                .hasMessage("Note (contactNote): must be at most 4,000 characters, was 5,000");
        assertThat(t.leads.attempts(leadId)).isEmpty();

        for (int attempt = 1; attempt <= 9; attempt++) {
            complete(leadId, "Task_ContactLead", "contactChannel", "phone", "contactOutcome", "noAnswer",
                    "contactNote", longNote(attempt, 4000));
            fire(leadId, "Timer_CadenceWaitPassed");
        }
        complete(leadId, "Task_ContactLead", "contactChannel", "phone", "contactOutcome", "connected",
                "contactNote", longNote(10, 4000));
        complete(leadId, "Task_QualifyLead", "budgetConfirmed", true, "authorityConfirmed", true, "needConfirmed", true,
                "timeline", "quarter", "qualificationDecision", "qualified", "opportunityAmount", 30000,
                "qualificationNote", "pilot after ten calls");
        runJob(leadId, "Task_HandOverOpportunity");
        return leadId;
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
        List<String> instances = engine.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(key(leadId))
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

    static java.time.OffsetDateTime nowUtc() {
        return java.time.OffsetDateTime.ofInstant(ClockUtil.getCurrentTime().toInstant(), java.time.ZoneOffset.UTC);
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
