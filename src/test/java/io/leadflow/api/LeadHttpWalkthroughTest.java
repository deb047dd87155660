package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import io.leadflow.SpringIntegrationTest;

/**
 * A lead from {@code POST /api/leads} to "Opportunity created" using only HTTP, as a client would:
 * our API to capture and look up the lead, Camunda's {@code /engine-rest} as each demo user to find
 * and complete their tasks.
 */
class LeadHttpWalkthroughTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() { };
    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    @Test
    void strongLead_capturedByApi_becomesAnOpportunity_throughTheRepsTasks() {
        ResponseEntity<Map<String, Object>> created = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", "walk-" + System.nanoTime() + "@example.com", "firstName", "Ada", "lastName", "Lovelace",
                        "company", "Analytical Engines", "jobTitle", "CTO", "role", "executive", "industry", "software",
                        "companySize", 500, "country", "DE", "source", "webForm"))
                .retrieve().toEntity(MAP);
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        String leadId = (String) created.getBody().get("id");
        assertThat(created.getHeaders().getLocation()).hasToString("/api/leads/" + leadId);

        Map<String, Object> review = openTask("mia", leadId, "Task_ReviewMql");
        assertThat(review.get("name")).isEqualTo("Review MQL: Ada Lovelace, Analytical Engines");
        Map<String, Object> form = as("mia", http.get().uri("/engine-rest/task/{id}/deployed-form", review.get("id")))
                .retrieve().body(MAP);
        assertThat(form).containsEntry("id", "review-mql");
        complete("mia", review, Map.of("reviewDecision", "approve", "reviewNote", "fits the ICP"));

        Map<String, Object> accept = openTask("max", leadId, "Task_AcceptLead");
        String rep = (String) accept.get("assignee");
        assertThat(rep).isIn("sam", "sara");
        complete(rep, accept, Map.of("acceptDecision", "accept"));

        Map<String, Object> contact = openTask(rep, leadId, "Task_ContactLead");
        assertThat(contact.get("name")).isEqualTo("Contact lead: Ada Lovelace, Analytical Engines (attempt 1)");
        assertThat((String) contact.get("description")).startsWith("Attempt 1 of 10: ");
        complete(rep, contact, Map.of("contactChannel", "phone", "contactOutcome", "connected", "contactNote", "demo booked"));

        Map<String, Object> qualify = openTask(rep, leadId, "Task_QualifyLead");
        complete(rep, qualify, Map.of("budgetConfirmed", true, "authorityConfirmed", true, "needConfirmed", true,
                "timeline", "quarter", "qualificationDecision", "qualified", "opportunityAmount", 48000));

        Map<String, Object> lead = awaitStage(leadId, "OPPORTUNITY");
        List<String> stages = ((List<?>) lead.get("stageHistory")).stream().map(e -> String.valueOf(((Map<?, ?>) e).get("stage"))).toList();
        assertThat(stages).containsExactly("INQUIRY", "MQL", "SAL", "SQL", "OPPORTUNITY");
        assertThat((List<?>) lead.get("openTasks")).isEmpty();
        assertThat((List<?>) lead.get("attempts")).hasSize(1);
        assertThat((List<?>) lead.get("scoreReasons")).isNotEmpty();
    }

    /** The hand-over is asynchronous (the job executor runs it): poll the lead record until it gets there. */
    Map<String, Object> awaitStage(String leadId, String stage) {
        return await("lead " + leadId + " reaches " + stage).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> http.get().uri("/api/leads/{id}", leadId).retrieve().body(MAP),
                        view -> stage.equals(((Map<?, ?>) view.get("lead")).get("stage")));
    }

    @Test
    void engineRest_refusesCallersWithoutCredentials() {
        assertThat(anonymous.get().uri("/engine-rest/task").retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(401);
    }
}
