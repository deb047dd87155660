package io.leadflow.modeling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deployment check finds a form however many deployments came after it, on a plain engine: a
 * form deployed once with the app and unchanged since stays in that first deployment.
 */
class DeploymentCheckFormsTest {

    ProcessEngine engine;
    RepositoryService repository;

    @BeforeEach
    void plainEngine() {
        engine = ProcessEngineConfiguration.createStandaloneInMemProcessEngineConfiguration()
                .setProcessEngineName("forms-" + UUID.randomUUID())
                .setJdbcUrl("jdbc:h2:mem:forms-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .setJobExecutorActivate(false)
                .buildProcessEngine();
        repository = engine.getRepositoryService();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aFormDeployedBefore600OtherDeployments_isFound_andTheLifecycleThatUsesItPasses() throws Exception {
        var release = repository.createDeployment().name("leadflow");
        AppRestartDeploymentTest.release().forEach((name, content) -> release.addInputStream(name, new java.io.ByteArrayInputStream(content)));
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
