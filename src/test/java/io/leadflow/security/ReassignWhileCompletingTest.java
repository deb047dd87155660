package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import io.leadflow.SpringIntegrationTest;

/**
 * A manager reassigns a rep's task while the rep submits its form: the rep's request passed the task
 * guard (the task was his), the reassignment commits, then the engine completes. The engine refuses
 * it in its own transaction (409, the task stays with its new assignee); before, sam's decision was
 * booked on sara's task and the history named sara.
 */
class ReassignWhileCompletingTest extends SpringIntegrationTest {

    @Test
    void aRepsSubmit_afterAManagerReassignedTheTask_isAConflict_andTheTaskStaysWithItsNewAssignee() throws Exception {
        String leadId = leadAtAcceptance("reassigned");
        Map<String, Object> task = openTask("max", leadId, "Task_AcceptLead");
        String taskId = (String) task.get("id");
        String rep = (String) task.get("assignee");
        String colleague = "sam".equals(rep) ? "sara" : "sam";
        String pause = "reassign-" + taskId;
        PauseAfterGuard.prepare(pause);

        CompletableFuture<ResponseEntity<Map<String, Object>>> submitted = CompletableFuture.supplyAsync(() ->
                as(rep, http.post().uri("/engine-rest/task/{id}/submit-form", taskId).header(PauseAfterGuard.HEADER, pause)
                        .contentType(MediaType.APPLICATION_JSON).body(variables(Map.of("acceptDecision", "accept"))))
                        .retrieve().toEntity(JSON_OBJECT));
        assertThat(PauseAfterGuard.awaitArrival(pause)).as("the rep's submit passed the guard").isTrue();
        ResponseEntity<Void> reassigned = as("max", http.post().uri("/engine-rest/task/{id}/assignee", taskId)
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("userId", colleague))).retrieve().toBodilessEntity();
        PauseAfterGuard.release(pause);
        ResponseEntity<Map<String, Object>> answer = submitted.get(60, TimeUnit.SECONDS);

        assertThat(reassigned.getStatusCode().value()).isEqualTo(204);
        assertThat(answer.getStatusCode().value()).isEqualTo(409);
        assertThat((String) answer.getBody().get("message")).isEqualTo("Task '" + task.get("name") + "' is assigned to " + colleague
                + " now: only " + colleague + " may complete it; nothing was changed. Reload the task list");
        assertThat(openTask("max", leadId, "Task_AcceptLead")).as("the task is still open, with its new assignee")
                .containsEntry("id", taskId).containsEntry("assignee", colleague);
    }
}
