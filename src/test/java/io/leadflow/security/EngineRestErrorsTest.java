package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import io.leadflow.SpringIntegrationTest;

/**
 * What only a form's step can refuse is the submitter's mistake, answered 400 with the step's words
 * over the engine's REST API, as Tasklist submits: Camunda's task resource answered 500
 * "Cannot submit task form …" for it.
 */
class EngineRestErrorsTest extends SpringIntegrationTest {

    @Test
    void fixLeadData_withAnAddressAnotherLeadHas_isA400NamingTheField_andTheTaskStaysOpen() {
        String taken = "taken-" + System.nanoTime() + "@example.com";
        http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", taken, "firstName", "Grace", "lastName", "Hopper", "company", "Compilers Inc",
                        "companySize", 250, "country", "US"))
                .retrieve().toBodilessEntity();
        String leadId = leadAtAcceptance("fix");
        Map<String, Object> accept = openTask("max", leadId, "Task_AcceptLead");
        assertThat(submit((String) accept.get("assignee"), (String) accept.get("id"), Map.of("acceptDecision", "reject",
                "rejectReason", "clerical", "rejectComment", "wrong address")).getStatusCode().value()).isEqualTo(204);
        String fixId = openTaskId("mia", leadId, "Task_FixLeadData");
        Map<String, Object> fixed = new HashMap<>(Map.of("firstName", "Ada", "lastName", "Lovelace", "companyName", "Analytical Engines",
                "email", taken, "role", "executive", "companySize", 500, "country", "DE", "fixNote", "new address"));

        ResponseEntity<Map<String, Object>> refused = submit("mia", fixId, fixed);

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getBody()).containsEntry("type", "InvalidTaskInput");
        assertThat((String) refused.getBody().get("message")).startsWith("Email (email): another lead (")
                .endsWith("already has this address").doesNotContain(taken);
        assertThat(openTaskId("mia", leadId, "Task_FixLeadData")).as("still open").isEqualTo(fixId);
    }
}
