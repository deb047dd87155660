package io.leadflow.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.validation.Validation;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.support.TransactionTemplate;

import io.leadflow.lead.Lead;
import io.leadflow.lead.LeadVariables;
import io.leadflow.lead.NewLead;
import io.leadflow.process.ProcessTestEngine;

/**
 * An import starts and scores all its rows on the lifecycle and scoring tables deployed when it
 * started; a process owner's deploy during the import applies to the next import.
 */
class ImportModelVersionsTest {

    static ProcessTestEngine t;
    static ProcessEngine engine;

    @BeforeAll
    static void engineWithAllModels() {
        t = new ProcessTestEngine("import-versions");
        engine = t.startWithAllModels();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    @Test
    void rowsOfOneImport_useTheVersionsOfItsStart_evenWhenNewOnesAreDeployedDuringIt_andTheNextImportUsesTheNewOnes() throws Exception {
        String lifecycleAtStart = latestLifecycle().getId();
        AtomicInteger rowsCaptured = new AtomicInteger();
        // a process owner deploys from Modeler while the import's first row is being captured
        LeadCaptureService deployingDuringTheImport = new LeadCaptureService(null, null, null, null, null, null, null) {
            @Override
            public LeadModels currentModels() {
                return t.capture().currentModels();
            }

            @Override
            public CapturedLead capture(NewLead lead, LeadModels models) {
                if (rowsCaptured.incrementAndGet() == 1) {
                    deployNewVersions();
                }
                return t.capture().capture(lead, models);
            }
        };
        LeadImport first = importAndWait(deployingDuringTheImport, "during.csv", "during-1@example.com", "during-2@example.com", "during-3@example.com");

        assertThat(first.status()).isEqualTo(LeadImport.Status.DONE);
        assertThat(first.created()).isEqualTo(3);
        String lifecycleDeployedDuringIt = latestLifecycle().getId();
        assertThat(lifecycleDeployedDuringIt).as("a new lifecycle version was deployed").isNotEqualTo(lifecycleAtStart);
        for (String email : List.of("during-1@example.com", "during-2@example.com", "during-3@example.com")) {
            Lead lead = leadOf(email);
            assertThat(lifecycleOf(lead)).as("lifecycle of %s", email).isEqualTo(lifecycleAtStart);
            assertThat(lead.fitScore()).as("fit of %s: core industry at 15 points, as when the import started", email).isEqualTo(50);
        }

        LeadImport next = importAndWait(t.capture(), "after.csv", "after-1@example.com");

        assertThat(next.created()).isEqualTo(1);
        Lead after = leadOf("after-1@example.com");
        assertThat(lifecycleOf(after)).isEqualTo(lifecycleDeployedDuringIt);
        assertThat(after.fitScore()).as("fit with the table deployed during the first import: core industry at 5 points").isEqualTo(40);
        assertThat(t.leads.latestScoreReasons(after.id())).filteredOn(r -> r.reason().startsWith("Industry is core ICP"))
                .singleElement().satisfies(r -> assertThat(r.points()).isEqualTo(5));
    }

    private static void deployNewVersions() {
        try {
            String fit = new String(ImportModelVersionsTest.class.getResourceAsStream("/processes/lead-fit.dmn").readAllBytes(),
                    StandardCharsets.UTF_8);
            String changed = fit.replace("<outputEntry id=\"LE_IndustryCore_1\"><text>15</text>",
                    "<outputEntry id=\"LE_IndustryCore_1\"><text>5</text>");
            assertThat(changed).isNotEqualTo(fit);
            engine.getRepositoryService().createDeployment().name("from Modeler")
                    .addString("lead-fit.dmn", changed)
                    .addClasspathResource("processes/lead-lifecycle.bpmn")
                    .deploy();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Imports grade-A rows (executive, software, 500 employees, Germany: 50 fit points with the shipped table) through {@code capture}, one row at a time. */
    private static LeadImport importAndWait(LeadCaptureService capture, String fileName, String... emails) throws Exception {
        StringBuilder csv = new StringBuilder("email,firstName,lastName,company,companySize,country,jobTitle,role,industry\n");
        for (String email : emails) {
            csv.append(email).append(",Ada,Lovelace,Analytical Engines,500,DE,CTO,executive,software\n");
        }
        LeadImportRepository repository = new LeadImportRepository(t.jdbc);
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.initialize();
        try {
            LeadImports imports = new LeadImports(repository, new LeadTextInput(Validation.buildDefaultValidatorFactory().getValidator()),
                    capture, executor, new TransactionTemplate(t.configuration.getTransactionManager()), t.clock, 1);
            String id = imports.start(fileName, null, new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            LeadImport status = repository.find(id).orElseThrow();
            while (status.status().open() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                status = repository.find(id).orElseThrow();
            }
            return status;
        } finally {
            executor.shutdown();
        }
    }

    private static Lead leadOf(String email) {
        return t.leads.get(t.leads.findIdByEmail(email).orElseThrow());
    }

    private static String lifecycleOf(Lead lead) {
        return engine.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(lead.number())
                .processDefinitionKey(LeadVariables.PROCESS_LEAD_LIFECYCLE).singleResult().getProcessDefinitionId();
    }

    private static ProcessDefinition latestLifecycle() {
        return engine.getRepositoryService().createProcessDefinitionQuery()
                .processDefinitionKey(LeadVariables.PROCESS_LEAD_LIFECYCLE).latestVersion().singleResult();
    }
}
