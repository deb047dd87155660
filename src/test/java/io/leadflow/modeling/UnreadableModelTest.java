package io.leadflow.modeling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;

import org.junit.jupiter.api.Test;

/**
 * A model the parser refuses is refused with the parser's reason, its line and the id at fault: "SAXException
 * while parsing input stream" alone left a process owner to search 1,300 lines of XML.
 */
class UnreadableModelTest {

    @Test
    void aFlowToAnIdThatIsNowhere_isRefusedNamingTheLineAndTheId() throws Exception {
        String lifecycle = Files.readString(Path.of("processes/lead-lifecycle.bpmn"), StandardCharsets.UTF_8)
                .replace("targetRef=\"Task_RegisterLead\"", "targetRef=\"Task_RegisterLeadX\"");

        ProcessEngine engine = ProcessEngineConfiguration.createStandaloneInMemProcessEngineConfiguration()
                .setProcessEngineName("unreadable-" + UUID.randomUUID())
                .setJdbcUrl("jdbc:h2:mem:unreadable-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .setJobExecutorActivate(false).buildProcessEngine();
        List<String> violations;
        try {
            violations = DeploymentCheck.check(engine, bean -> true, Map.of("lead-lifecycle.bpmn", lifecycle.getBytes(StandardCharsets.UTF_8)));
        } finally {
            engine.close();
        }

        assertThat(violations).singleElement().asString().startsWith("lead-lifecycle.bpmn cannot be read: ")
                .contains("Line=", "Task_RegisterLeadX");
    }
}
