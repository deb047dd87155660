package io.leadflow.modeling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a restart of the app does to a process owner's Modeler deployment, and what the deployment
 * check finds after many of them, on a plain engine (a restart cannot happen in the shared Spring
 * context). The app's start is simulated as the
 * process application deploys its archive: every file of processes/ and forms/, deployment name
 * "leadflow", source "process application", duplicate filtering with the archive's
 * {@code isDeployChangedOnly} from processes.xml.
 */
class AppRestartDeploymentTest {

    ProcessEngine engine;
    RepositoryService repository;

    @BeforeEach
    void plainEngine() {
        engine = ProcessEngineConfiguration.createStandaloneInMemProcessEngineConfiguration()
                .setProcessEngineName("restart-" + UUID.randomUUID())
                .setJdbcUrl("jdbc:h2:mem:restart-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .setJobExecutorActivate(false)
                .buildProcessEngine();
        repository = engine.getRepositoryService();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    static boolean deployChangedOnly() throws IOException {
        String archive = Files.readString(Path.of("src/main/resources/META-INF/processes.xml"));
        return archive.contains("<property name=\"isDeployChangedOnly\">true</property>");
    }

    static Map<String, byte[]> release() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String folder : List.of("processes", "forms")) {
            try (Stream<Path> paths = Files.list(Path.of(folder))) {
                for (Path path : paths.sorted().toList()) {
                    files.put(folder + "/" + path.getFileName(), Files.readAllBytes(path));
                }
            }
        }
        return files;
    }

    /** What the app does at every start. */
    void appStarts(Map<String, byte[]> release, boolean changedOnly) {
        DeploymentBuilder deployment = repository.createDeployment().name("leadflow").source("process application")
                .enableDuplicateFiltering(changedOnly);
        release.forEach((name, content) -> deployment.addInputStream(name, new ByteArrayInputStream(content)));
        deployment.deploy();
    }

    /** What Camunda Modeler's deploy button does with one edited file. */
    String processOwnerDeploys(String fileName, String content) {
        return repository.createDeployment().name(fileName).source("Camunda Modeler")
                .addInputStream(fileName, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8))).deploy().getId();
    }

    ProcessDefinition latestLifecycle() {
        return repository.createProcessDefinitionQuery().processDefinitionKey("leadLifecycle").latestVersion().singleResult();
    }

    String editedLifecycle(Map<String, byte[]> release) {
        return new String(release.get("processes/lead-lifecycle.bpmn"), StandardCharsets.UTF_8)
                .replace("name=\"Review MQL\"", "name=\"Review MQL today\"");
    }

    @Test
    void givenAModelerDeploy_whenTheAppRestarts_thenTheDeployIsNeitherUndoneNorRepeated() throws IOException {
        Map<String, byte[]> release = release();
        appStarts(release, deployChangedOnly());
        String modelers = processOwnerDeploys("lead-lifecycle.bpmn", editedLifecycle(release));
        long deployments = repository.createDeploymentQuery().count();

        appStarts(release, deployChangedOnly());

        assertThat(repository.createDeploymentQuery().count()).as("deployments after the restart").isEqualTo(deployments);
        assertThat(latestLifecycle().getDeploymentId()).isEqualTo(modelers);
        assertThat(latestLifecycle().getVersion()).isEqualTo(2);
    }

    @Test
    void givenAModelerDeploy_whenAReleaseChangesAnotherFile_thenOnlyThatFileIsDeployed_andTheModelersLifecycleStays() throws IOException {
        Map<String, byte[]> release = release();
        assertThat(deployChangedOnly()).as("processes.xml: isDeployChangedOnly").isTrue();
        appStarts(release, deployChangedOnly());
        String modelers = processOwnerDeploys("lead-lifecycle.bpmn", editedLifecycle(release));

        Map<String, byte[]> next = new LinkedHashMap<>(release);
        next.put("processes/mql-decision.dmn", new String(release.get("processes/mql-decision.dmn"), StandardCharsets.UTF_8)
                .replace("camunda:versionTag=\"2026.11\"", "camunda:versionTag=\"2026.12\"").getBytes(StandardCharsets.UTF_8));
        appStarts(next, deployChangedOnly());

        String released = repository.createDeploymentQuery().deploymentName("leadflow").orderByDeploymentTime().desc()
                .list().get(0).getId();
        assertThat(repository.getDeploymentResourceNames(released)).containsExactly("processes/mql-decision.dmn");
        assertThat(repository.createDecisionDefinitionQuery().decisionDefinitionKey("mqlDecision").latestVersion().singleResult()
                .getVersionTag()).isEqualTo("2026.12");
        assertThat(latestLifecycle().getDeploymentId()).isEqualTo(modelers);
    }

    @Test
    void withoutDeployChangedOnly_aReleaseOfAnotherFileWouldRedeployTheReleasedLifecycle_overTheModelersOne() throws IOException {
        // why processes.xml says isDeployChangedOnly true: with false, any change deploys every file
        Map<String, byte[]> release = release();
        appStarts(release, false);
        String modelers = processOwnerDeploys("lead-lifecycle.bpmn", editedLifecycle(release));
        Map<String, byte[]> next = new LinkedHashMap<>(release);
        next.put("processes/mql-decision.dmn", (new String(release.get("processes/mql-decision.dmn"), StandardCharsets.UTF_8)
                + "\n<!-- changed -->\n").getBytes(StandardCharsets.UTF_8));

        appStarts(next, false);

        assertThat(latestLifecycle().getDeploymentId()).isNotEqualTo(modelers);
        assertThat(latestLifecycle().getVersion()).isEqualTo(3);
    }

    /**
     * The deployment check finds a form however many deployments came after it: one deployed with
     * the app and unchanged since stays in that first deployment.
     */
    @Test
    void aFormDeployedBefore600OtherDeployments_isFound_andTheLifecycleThatUsesItPasses() throws Exception {
        var release = repository.createDeployment().name("leadflow");
        release().forEach((name, content) -> release.addInputStream(name, new ByteArrayInputStream(content)));
        release.deploy();
        String other = """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                    id="Definitions_Other" targetNamespace="http://leadflow.io/test">
                  <bpmn:process id="otherProcess" isExecutable="true" camunda:historyTimeToLive="P1D">
                    <bpmn:startEvent id="StartEvent_Other"/>
                  </bpmn:process>
                </bpmn:definitions>
                """;
        for (int i = 0; i < 600; i++) {
            repository.createDeployment().name("modeler-" + i).addString("other.bpmn", other).deploy();
        }
        byte[] lifecycle = Files.readAllBytes(Path.of("processes/lead-lifecycle.bpmn"));
        assertThat(new String(lifecycle, StandardCharsets.UTF_8)).contains("camunda:formRef=\"accept-lead\"");

        assertThat(DeploymentCheck.check(engine, bean -> true, Map.of("lead-lifecycle.bpmn", lifecycle)))
                .as("the lifecycle's forms are deployed, in the first of 601 deployments").isEmpty();
        assertThat(DeploymentCheck.deployedForms(engine)).contains("accept-lead", "review-mql");
        assertThat(DeploymentCheck.check(engine, bean -> true, Map.of("lead-lifecycle.bpmn",
                new String(lifecycle, StandardCharsets.UTF_8).replace("formRef=\"accept-lead\"", "formRef=\"no-such-form\"")
                        .getBytes(StandardCharsets.UTF_8))))
                .as("a form that is nowhere").anyMatch(v -> v.contains("'no-such-form', which is not deployed"));
    }
}
