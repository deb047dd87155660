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
 * Two migrations of the same leads at the same moment (a second click on Migrate, two process owners):
 * the engine lets one move each lead, and the other's refusal is no failure, since the lead is where it
 * was asked to go. Each answer counted dozens of failures although every lead had moved.
 */
class ConcurrentMigrationProcessTest {

    static final ProcessTestEngine T = new ProcessTestEngine("concurrent-migration");
    static ProcessEngine engine;
    LeadScenarios s;

    @BeforeAll
    static void engineWithTheApp() throws Exception {
        engine = T.configuration.buildProcessEngine();
        var app = engine.getRepositoryService().createDeployment().name("leadflow");
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
        org.camunda.bpm.engine.impl.util.ClockUtil.reset();
    }

    void deployAlone(String fileName, String content) {
        engine.getRepositoryService().createDeployment().name(fileName).source("Camunda Modeler")
                .addString(fileName, content).deploy();
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
        int from = engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey("leadLifecycle").latestVersion()
                .singleResult().getVersion();
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

        assertThat(answers).allSatisfy(answer -> assertThat(answer.failed()).as("failures counted").isZero());
        for (String leadId : leads) {
            String definition = engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(s.lifecycle(leadId).getId())
                    .singleResult().getProcessDefinitionId();
            assertThat(engine.getRepositoryService().getProcessDefinition(definition).getVersion()).isEqualTo(from + 1);
            assertThat(s.task(leadId, "Task_ReviewMql").getName()).as("renamed once").startsWith("Review the MQL");
        }
    }
}
