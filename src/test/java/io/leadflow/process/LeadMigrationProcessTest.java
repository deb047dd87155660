package io.leadflow.process;

import static io.leadflow.process.LeadScenarios.MONDAY_9;
import static io.leadflow.process.LeadScenarios.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.leadflow.modeling.LeadMigrations;
import io.leadflow.modeling.LeadMigrations.ActivityReport;
import io.leadflow.modeling.LeadMigrations.MigrationReport;
import io.leadflow.modeling.LeadMigrations.PlanReport;
import io.leadflow.sla.SlaTimers;

/**
 * Leads in flight move to a new lifecycle version whose acceptance SLA changed and whose task was
 * renamed, with the follow-up and nurture versions they run in: the new deadlines apply, nothing is
 * lost or duplicated. The new versions are built from the files in processes/ by editing their text,
 * as a process owner would in Modeler, and deployed each on its own.
 */
class LeadMigrationProcessTest {

    static final ProcessTestEngine T = new ProcessTestEngine("migration");
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static ProcessEngine engine;
    LeadScenarios s;

    @BeforeAll
    static void engineWithTheApp() throws IOException {
        engine = T.configuration.buildProcessEngine();
        deployTheApp(engine);
    }

    /** The app's processes, decisions and forms, deployed as the app deploys them (version 1 of each). */
    static void deployTheApp(ProcessEngine engine) {
        DeploymentBuilder app = engine.getRepositoryService().createDeployment().name("leadflow");
        for (String file : List.of("processes/lead-lifecycle.bpmn", "processes/lead-follow-up.bpmn", "processes/lead-nurture.bpmn",
                "processes/lead-notification.bpmn", "processes/lead-fit.dmn", "processes/engagement-points.dmn",
                "processes/mql-decision.dmn", "processes/lead-routing.dmn", "forms/review-mql.form", "forms/accept-lead.form",
                "forms/contact-lead.form", "forms/capture-lead.form", "forms/fix-lead-data.form", "forms/qualify-lead.form",
                "forms/assign-lead-by-hand.form")) {
            app.addClasspathResource(file);
        }
        app.deploy();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    static String resource(String name) throws IOException {
        try (InputStream in = LeadMigrationProcessTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    void deployAlone(String fileName, String content) {
        deployAlone(engine, fileName, content);
    }

    /** One file deployed alone, as Camunda Modeler deploys it. */
    static void deployAlone(ProcessEngine engine, String fileName, String content) {
        engine.getRepositoryService().createDeployment().name(fileName).source("Camunda Modeler")
                .addInputStream(fileName, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8))).deploy();
    }

    static ActivityReport activity(PlanReport plan, String activityId) {
        return plan.activities().stream().filter(a -> a.activityId().equals(activityId)).findFirst().orElseThrow();
    }

    Job timer(String processInstanceId, String timerId) {
        return engine.getManagementService().createJobQuery().processInstanceId(processInstanceId).activityId(timerId).singleResult();
    }

    @Test
    void leadsWaitingInEveryStage_moveToTheNewVersion_withTheNewDeadlines_noneLostOrDuplicated() throws IOException {
        // given leads waiting in Review MQL, Accept lead, Contact lead (follow-up) and nurture, on version 1
        s = LeadScenarios.begin(T, engine);
        String reviewing = s.capture(LeadScenarios.strongLead());
        String accepting = s.capture(LeadScenarios.strongLead());
        s.approveMql(accepting);
        String contacting = s.capture(LeadScenarios.strongLead());
        s.approveMql(contacting);
        s.accept(contacting);
        String nurtured = s.capture(LeadScenarios.weakLead());
        assertThat(s.task(reviewing, "Task_ReviewMql")).isNotNull();
        assertThat(s.task(accepting, "Task_AcceptLead")).isNotNull();
        assertThat(s.task(contacting, "Task_ContactLead")).isNotNull();
        assertThat(s.child(nurtured, "leadNurture")).isNotNull();
        Date reviewDue = s.task(reviewing, "Task_ReviewMql").getDueDate();
        Date reviewBreach = timer(s.lifecycle(reviewing).getId(), "Timer_ReviewMqlSlaBreached").getDuedate();
        Date acceptDueBefore = s.task(accepting, "Task_AcceptLead").getDueDate();
        Date contactDueBefore = s.task(contacting, "Task_ContactLead").getDueDate();

        // and an hour later the process owner deploys, each file alone: acceptance gets the qualification SLA and a
        // new task name, a contact attempt always the later-attempt SLA, nurture a new version tag
        ClockUtil.setCurrentTime(at(MONDAY_9.plus(Duration.ofHours(1))));
        deployAlone("lead-lifecycle.bpmn", resource("processes/lead-lifecycle.bpmn")
                .replace("id=\"Task_AcceptLead\" name=\"Accept lead\"", "id=\"Task_AcceptLead\" name=\"Accept lead (SAL)\"")
                .replace("${sla.deadline('acceptLead')}", "${sla.deadline('qualifyLead')}")
                .replace("${sla.reminder('acceptLead')}", "${sla.reminder('qualifyLead')}")
                .replace("camunda:versionTag=\"2026.11\"", "camunda:versionTag=\"2026.12\""));
        deployAlone("lead-follow-up.bpmn", resource("processes/lead-follow-up.bpmn")
                .replace("${sla.contactDeadline(attemptNumber, fitGrade)}", "${sla.deadline('contactAttempt')}")
                .replace("camunda:versionTag=\"2026.11\"", "camunda:versionTag=\"2026.12\""));
        deployAlone("lead-nurture.bpmn", resource("processes/lead-nurture.bpmn")
                .replace("camunda:versionTag=\"2026.11\"", "camunda:versionTag=\"2026.12\""));
        LeadMigrations migrations = new LeadMigrations(engine, T.configuration.getTransactionManager());

        // when the process owner asks for a dry run
        MigrationReport dryRun = migrations.dryRun(1, 2);
        System.out.println("Dry run of the migration from lifecycle version 1 to 2:\n" + JSON.writeValueAsString(dryRun));

        // then it counts the leads per activity, says where they go and which timers are computed again, and changes nothing
        assertThat(dryRun.lifecycle().instances()).isEqualTo(4);
        assertThat(dryRun.lifecycle().targetVersionTag()).isEqualTo("2026.12");
        assertThat(activity(dryRun.lifecycle(), "Task_ReviewMql")).extracting(ActivityReport::instances, ActivityReport::timersRecomputed)
                .containsExactly(1L, List.of());
        assertThat(activity(dryRun.lifecycle(), "Task_AcceptLead").targetActivityName()).isEqualTo("Accept lead (SAL)");
        assertThat(activity(dryRun.lifecycle(), "Task_AcceptLead").timersRecomputed())
                .containsExactlyInAnyOrder("Timer_AcceptLeadReminder", "Timer_AcceptanceSlaBreached");
        assertThat(activity(dryRun.lifecycle(), "CallActivity_FollowUpLead").instances()).isEqualTo(1);
        assertThat(activity(dryRun.lifecycle(), "CallActivity_NurtureLead").instances()).isEqualTo(1);
        assertThat(dryRun.calledProcesses()).extracting(PlanReport::processKey).containsExactlyInAnyOrder("leadFollowUp", "leadNurture");
        PlanReport followUp = dryRun.calledProcesses().stream().filter(p -> p.processKey().equals("leadFollowUp")).findFirst().orElseThrow();
        assertThat(activity(followUp, "Task_ContactLead").timersRecomputed()).containsExactly("Timer_ContactSlaBreached");
        assertThat(dryRun.migrated()).isEqualTo(6);
        assertThat(dryRun.failed()).isZero();
        assertThat(s.task(accepting, "Task_AcceptLead").getName()).isEqualTo("Accept lead: Ada Lovelace, Analytical Engines GmbH");
        assertThat(engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey("leadLifecycle").list())
                .allMatch(p -> engine.getRepositoryService().getProcessDefinition(p.getProcessDefinitionId()).getVersion() == 1);

        // when the leads are migrated
        MigrationReport report = migrations.migrate(1, 2);

        // then every instance moved, each once
        assertThat(report.instances()).allMatch(LeadMigrations.InstanceResult::migrated).hasSize(6);
        assertThat(report.remaining()).isZero();
        for (String lead : List.of(reviewing, accepting, contacting, nurtured)) {
            assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(s.key(lead))
                    .processDefinitionKey("leadLifecycle").list()).singleElement()
                    .satisfies(p -> assertThat(engine.getRepositoryService().getProcessDefinition(p.getProcessDefinitionId()).getVersion()).isEqualTo(2));
        }
        assertThat(s.openTasks(reviewing)).hasSize(1);
        assertThat(s.openTasks(accepting)).hasSize(1);
        assertThat(s.openTasks(contacting)).hasSize(1);
        assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(s.key(nurtured))
                .processDefinitionKey("leadNurture").list()).singleElement()
                .satisfies(p -> assertThat(engine.getRepositoryService().getProcessDefinition(p.getProcessDefinitionId()).getVersionTag()).isEqualTo("2026.12"));
        assertThat(engine.getRepositoryService().getProcessDefinition(s.child(contacting, "leadFollowUp").getProcessDefinitionId()).getVersion()).isEqualTo(2);

        // and the new deadlines apply, counted from the migration; the unchanged Review MQL SLA keeps its dates
        SlaTimers sla = new SlaTimers(T.sla, T.clock);
        Task accept = s.task(accepting, "Task_AcceptLead");
        assertThat(accept.getName()).as("the new model's name, still naming the lead").isEqualTo("Accept lead (SAL): Ada Lovelace, Analytical Engines GmbH");
        assertThat(accept.getDueDate()).isEqualTo(sla.deadline("qualifyLead")).isNotEqualTo(acceptDueBefore);
        assertThat(timer(s.lifecycle(accepting).getId(), "Timer_AcceptanceSlaBreached").getDuedate()).isEqualTo(sla.deadline("qualifyLead"));
        assertThat(timer(s.lifecycle(accepting).getId(), "Timer_AcceptLeadReminder").getDuedate()).isEqualTo(sla.reminder("qualifyLead"));
        Task contact = s.task(contacting, "Task_ContactLead");
        assertThat(contact.getDueDate()).isEqualTo(sla.deadline("contactAttempt")).isNotEqualTo(contactDueBefore);
        assertThat(timer(s.child(contacting, "leadFollowUp").getId(), "Timer_ContactSlaBreached").getDuedate())
                .isEqualTo(sla.deadline("contactAttempt"));
        assertThat(s.task(reviewing, "Task_ReviewMql").getDueDate()).isEqualTo(reviewDue);
        assertThat(timer(s.lifecycle(reviewing).getId(), "Timer_ReviewMqlSlaBreached").getDuedate()).isEqualTo(reviewBreach);

        // and the leads go on in the new version: the accepted lead is contacted, the reviewed one is assigned
        s.approveMql(reviewing);
        assertThat(s.task(reviewing, "Task_AcceptLead").getName()).isEqualTo("Accept lead (SAL): Ada Lovelace, Analytical Engines GmbH");
        s.accept(accepting);
        assertThat(s.task(accepting, "Task_ContactLead")).isNotNull();
    }
}
