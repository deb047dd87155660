package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadflow.modeling.LeadMigrations;
import io.leadflow.modeling.LeadMigrations.MigrationReport;

/**
 * Migrations beside the main walk ({@link LeadMigrationProcessTest}), each test on the versions it
 * deploys: the same migration twice at once (a second click on Migrate, two process owners), where the
 * engine lets one move each lead and the other's refusal is no failure (each answer counted dozens of
 * failures although every lead had moved); a task given to another team by the new model, whose open
 * tasks stayed with the old team.
 */
class MigrationSideCasesProcessTest {

    static final ProcessTestEngine T = new ProcessTestEngine("migration-side-cases");
    static ProcessEngine engine;
    LeadScenarios s;

    @BeforeAll
    static void engineWithTheApp() {
        engine = T.configuration.buildProcessEngine();
        LeadMigrationProcessTest.deployTheApp(engine);
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
        org.camunda.bpm.engine.impl.util.ClockUtil.reset();
    }

    void deployAlone(String fileName, String content) {
        LeadMigrationProcessTest.deployAlone(engine, fileName, content);
    }

    static String resource(String name) throws Exception {
        return LeadMigrationProcessTest.resource(name);
    }

    @Test
    void theSameMigrationTwiceAtOnce_movesEveryLeadOnce_andNeitherAnswerCountsAFailure() throws Exception {
        s = LeadScenarios.begin(T, engine);
        List<String> leads = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            leads.add(s.capture(LeadScenarios.strongLead()));
        }
        int from = latestLifecycle();
        deployAlone("lead-lifecycle.bpmn", resource("processes/lead-lifecycle.bpmn")
                .replace("id=\"Task_ReviewMql\" name=\"Review MQL\"", "id=\"Task_ReviewMql\" name=\"Review the MQL\""));
        LeadMigrations migrations = new LeadMigrations(engine, T.configuration.getTransactionManager());

        // a second click on Migrate, or two process owners: the same request twice at the same moment
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<MigrationReport> answers;
        try {
            List<java.util.concurrent.Future<MigrationReport>> running = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                running.add(threads.submit(() -> {
                    together.await();
                    return migrations.migrate(from, from + 1);
                }));
            }
            answers = List.of(running.get(0).get(), running.get(1).get());
        } finally {
            threads.shutdownNow();
        }

        assertThat(answers).allSatisfy(answer -> assertThat(answer.failed()).as("failures counted: %s", answer.instances().stream().filter(r -> !r.migrated()).findFirst()).isZero());
        for (String leadId : leads) {
            String definition = engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(s.lifecycle(leadId).getId())
                    .singleResult().getProcessDefinitionId();
            assertThat(engine.getRepositoryService().getProcessDefinition(definition).getVersion()).isEqualTo(from + 1);
            assertThat(s.task(leadId, "Task_ReviewMql").getName()).as("renamed once").startsWith("Review the MQL");
        }
    }

    @Test
    void aTaskTheNewModelGivesToAnotherTeam_goesToThatTeam_forLeadsWaitingInIt_andTheDryRunSaysSo() throws Exception {
        s = LeadScenarios.begin(T, engine);
        String leadId = s.capture(LeadScenarios.strongLead());
        String taskId = s.task(leadId, "Task_ReviewMql").getId();
        engine.getTaskService().addCandidateGroup(taskId, "marketingManagers"); // as an escalation adds the managers
        int from = latestLifecycle();
        deployAlone("lead-lifecycle.bpmn", resource("processes/lead-lifecycle.bpmn").replace(
                "camunda:formRef=\"review-mql\" camunda:formRefBinding=\"latest\" camunda:candidateGroups=\"marketing\"",
                "camunda:formRef=\"review-mql\" camunda:formRefBinding=\"latest\" camunda:candidateGroups=\"sales\"")
                .replace("id=\"Task_ReviewMql\" name=\"Review MQL\"", "id=\"Task_ReviewMql\" name=\"Review the lead\""));
        LeadMigrations migrations = new LeadMigrations(engine, T.configuration.getTransactionManager());

        var planned = migrations.dryRun(from, from + 1).lifecycle().activities().stream()
                .filter(a -> a.activityId().equals("Task_ReviewMql")).findFirst().orElseThrow();
        assertThat(planned.candidateGroupsChanged()).isEqualTo("marketing → sales");
        assertThat(migrations.migrate(from, from + 1).failed()).isZero();

        assertThat(s.task(leadId, "Task_ReviewMql").getName()).as("renamed too").startsWith("Review the lead:");

        assertThat(engine.getTaskService().getIdentityLinksForTask(taskId)).filteredOn(link -> "candidate".equals(link.getType()))
                .extracting(org.camunda.bpm.engine.task.IdentityLink::getGroupId)
                .as("the new team; the managers an escalation added stay").containsExactlyInAnyOrder("sales", "marketingManagers");
        assertThat(engine.getAuthorizationService().createAuthorizationQuery().resourceType(org.camunda.bpm.engine.authorization.Resources.TASK)
                .resourceId(taskId).groupIdIn("salesManagers").count()).as("the new team's managers see it").isOne();
    }

    @Test
    void aChangedTimerANurturedLeadWaitsFor_aRemovedAndAnAddedReminder_areInTheDryRun() throws Exception {
        s = LeadScenarios.begin(T, engine);
        String nurtured = s.capture(LeadScenarios.weakLead());
        String accepting = s.capture(LeadScenarios.strongLead());
        s.approveMql(accepting);
        assertThat(s.child(nurtured, "leadNurture")).isNotNull();
        int from = latestLifecycle();
        // nurture: the decay timer after the wait for engagement gets another date
        deployAlone("lead-nurture.bpmn", resource("processes/lead-nurture.bpmn")
                .replace("${sla.nurtureRescore()}", "${sla.nurtureQuietPeriodEnd(lastEngagementAt)}"));
        // lifecycle: Accept lead's reminder replaced by one of another id
        deployAlone("lead-lifecycle.bpmn", resource("processes/lead-lifecycle.bpmn").replace("Timer_AcceptLeadReminder", "Timer_AcceptanceReminder"));
        LeadMigrations migrations = new LeadMigrations(engine, T.configuration.getTransactionManager());

        var dryRun = migrations.dryRun(from, from + 1);

        var accept = dryRun.lifecycle().activities().stream().filter(a -> a.activityId().equals("Task_AcceptLead")).findFirst().orElseThrow();
        assertThat(accept.timersRemoved()).containsExactly("Timer_AcceptLeadReminder");
        assertThat(accept.timersAdded()).containsExactly("Timer_AcceptanceReminder");
        var nurture = dryRun.calledProcesses().stream().filter(p -> p.processKey().equals("leadNurture")).findFirst().orElseThrow();
        assertThat(nurture.activities()).filteredOn(a -> a.activityId().equals("Gateway_WaitForEngagement")).singleElement()
                .satisfies(wait -> assertThat(wait.timersRecomputed()).containsExactly("Timer_DecayPeriodPassed"));
    }

    int latestLifecycle() {
        return engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey("leadLifecycle").latestVersion()
                .singleResult().getVersion();
    }
}
