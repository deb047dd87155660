package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.sla.SlaBreach;
import io.leadflow.sla.SlaBreachRepository;

/** Breach records and the SLA status of open tasks, as managers and systems read them. */
class SlaBreachApiTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() { };
    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    @Autowired
    SlaBreachRepository breaches;

    String captureStrongLead() {
        Map<String, Object> created = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", "sla-" + System.nanoTime() + "@example.com", "firstName", "Ada", "lastName", "Lovelace",
                        "company", "Analytical Engines", "role", "executive", "industry", "software",
                        "companySize", 500, "country", "DE"))
                .retrieve().body(MAP);
        return (String) created.get("id");
    }

    @Test
    void breachesOfALead_areListedNewestFirst_withDeadlineAndAssignee() {
        String leadId = captureStrongLead();
        OffsetDateTime deadline = OffsetDateTime.parse("2026-11-23T12:00:00Z");
        breaches.insert(new SlaBreach(leadId, "acceptLead", "Task_AcceptLead", "Accept lead", deadline, deadline, "sam"));
        breaches.insert(new SlaBreach(leadId, "acceptLead", "Task_AcceptLead", "Accept lead", deadline.plusHours(4),
                deadline.plusHours(4), "sara"));

        List<Map<String, Object>> listed = http.get().uri("/api/sla-breaches?leadId={id}", leadId).retrieve().body(LIST);

        assertThat(listed).extracting(b -> b.get("assignee")).containsExactly("sara", "sam");
        assertThat(listed.get(1)).containsEntry("sla", "acceptLead").containsEntry("taskName", "Accept lead")
                .containsEntry("deadline", "2026-11-23T12:00:00Z");
        assertThat(http.get().uri("/api/sla-breaches?leadId={id}&since=2026-11-23T13:00:00Z", leadId).retrieve().body(LIST))
                .hasSize(1);
    }

    @Test
    void openTaskOfALead_showsItsDeadlineAndSlaStatus() {
        String leadId = captureStrongLead();

        Map<String, Object> view = http.get().uri("/api/leads/{id}", leadId).retrieve().body(MAP);

        List<?> tasks = (List<?>) view.get("openTasks");
        assertThat(tasks).hasSize(1);
        Map<?, ?> review = (Map<?, ?>) tasks.get(0);
        assertThat(review.get("name")).isEqualTo("Review MQL");
        assertThat(review.get("due")).isNotNull();
        assertThat(review.get("slaStatus")).isIn("ON_TIME", "AT_RISK", "BREACHED");
    }

    @Test
    void anAbsurdLimit_isA400Problem() {
        assertThat(http.get().uri("/api/sla-breaches?limit=100000").retrieve().toEntity(MAP).getStatusCode().value())
                .isEqualTo(400);
    }
}
