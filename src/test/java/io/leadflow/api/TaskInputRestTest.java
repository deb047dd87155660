package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import io.leadflow.SpringIntegrationTest;

/**
 * What a client of the engine's REST API (Tasklist calls the same resource) gets when a task form
 * submits a value leadflow refuses: one line naming the field and the reason, the task still open,
 * and no ERROR in the engine's log. A value the form itself does not offer is refused before the engine
 * with a 400 ({@code security.FormInput}); what only a delegate can check is an engine exception, which
 * Camunda 7.24 answers with 500 (see README, "Task forms").
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskInputRestTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() { };
    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    @Test
    void contactFormWithAnUnknownOutcome_isAnsweredWithTheFieldAndReason_theTaskStaysOpen_andTheEngineLogsNoError(
            CapturedOutput output) {
        String leadId = leadAtAcceptance("refused");
        String accept = openTaskId("max", leadId, "Task_AcceptLead");
        String rep = (String) as("max", http.get().uri("/engine-rest/task/{id}", accept)).retrieve().body(MAP).get("assignee");
        assertThat(submit(rep, accept, Map.of("acceptDecision", "accept")).getStatusCode().value()).isEqualTo(204);
        String contact = openTaskId(rep, leadId, "Task_ContactLead");
        int logBefore = output.getAll().length();

        ResponseEntity<Map<String, Object>> refused = submit(rep, contact,
                Map.of("contactChannel", "phone", "contactOutcome", "maybe", "contactNote", "   "));

        assertThat(refused.getStatusCode().value()).as("refused before the engine by the form's own values").isEqualTo(400);
        assertThat(refused.getBody()).containsEntry("title", "Invalid form input")
                .containsEntry("message", "Outcome (contactOutcome): 'maybe' is not one of the offered values. Nothing was saved.");
        assertThat(openTaskId(rep, leadId, "Task_ContactLead")).isEqualTo(contact);
        String log = output.getAll().substring(logBefore);
        assertThat(log).doesNotContain("ENGINE-16004").doesNotContain(" ERROR ").doesNotContain("ENGINE-REST-HTTP500");
    }
}
