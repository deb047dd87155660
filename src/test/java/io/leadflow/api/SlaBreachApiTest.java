package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.sla.SlaBreach;
import io.leadflow.sla.SlaBreachRepository;

/** Breach records and the SLA status of open tasks, as managers and systems read them. */
class SlaBreachApiTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() { };
    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    @Autowired
    SlaBreachRepository breaches;

    @Autowired
    TaskService tasks;

    @Autowired
    ManagementService management;

    @Autowired
    io.leadflow.sla.SlaProperties sla;

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

    Map<?, ?> openTask(String leadId) {
        List<?> tasks = (List<?>) http.get().uri("/api/leads/{id}", leadId).retrieve().body(MAP).get("openTasks");
        assertThat(tasks).hasSize(1);
        return (Map<?, ?>) tasks.get(0);
    }

    @Test
    void justCreatedTask_isOnTime_withTheDeadlineOfItsSla() {
        String leadId = captureStrongLead();
        Task task = tasks.createTaskQuery().processInstanceBusinessKey(leadNumber(leadId)).singleResult();
        Instant created = task.getCreateTime().toInstant();

        Map<?, ?> review = openTask(leadId);

        assertThat(review.get("name")).isEqualTo("Review MQL: Ada Lovelace, Analytical Engines");
        // 8 working hours on the business calendar (BusinessCalendarTest holds the calendar to its cases),
        // counted from the task's creation, within the milliseconds between creation and the timer's expression
        Instant businessDayLater = new io.leadflow.sla.BusinessCalendar(sla.zone(), sla.businessHours())
                .plus(created, sla.deadlines().forSla("reviewMql"));
        assertThat(sla.deadlines().forSla("reviewMql")).isEqualTo(Duration.ofHours(8));
        assertThat(OffsetDateTime.parse((String) review.get("due")).toInstant())
                .as("1 business day (8 working hours) after creation")
                .isCloseTo(businessDayLater, within(2, java.time.temporal.ChronoUnit.SECONDS))
                .isEqualTo(task.getDueDate().toInstant());
        assertThat(review.get("slaStatus")).as("seconds of a business day have passed, the reminder is hours away")
                .isEqualTo("ON_TIME");
    }

    @Test
    void taskWhoseReminderWent_isAtRisk_asTasklistsFilterShowsIt() {
        String leadId = captureStrongLead();
        Task task = tasks.createTaskQuery().processInstanceBusinessKey(leadNumber(leadId)).singleResult();
        var reminder = management.createJobQuery().processInstanceId(task.getProcessInstanceId()).timers()
                .activityId("Timer_ReviewMqlReminder").singleResult();

        management.executeJob(reminder.getId()); // as the job executor does at the reminder's due date

        assertThat(tasks.getVariableLocal(task.getId(), "slaStatus")).isEqualTo("AT_RISK");
        assertThat(openTask(leadId).get("slaStatus"))
                .as("the reminder went; by creation and due date alone it would be hours from the reminder point")
                .isEqualTo("AT_RISK");
    }

    @Test
    void taskPastItsDeadline_isBreached() {
        String leadId = captureStrongLead();
        Task task = tasks.createTaskQuery().processInstanceBusinessKey(leadNumber(leadId)).singleResult();
        task.setDueDate(Date.from(Instant.now().minus(Duration.ofMinutes(1))));
        tasks.saveTask(task);

        assertThat(openTask(leadId).get("slaStatus")).isEqualTo("BREACHED");
    }

    @Test
    void anAbsurdLimit_isA400Problem_namingTheParameter() {
        ResponseEntity<Map<String, Object>> response = http.get().uri("/api/sla-breaches?limit=100000").retrieve().toEntity(MAP);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(response.getBody().get("errors").toString()).contains("field=limit", "must be less than or equal to 500");
    }
}
