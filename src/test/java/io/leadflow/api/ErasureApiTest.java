package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.notification.Notifications;

/**
 * {@code POST /api/leads/{id}/erasure}: a lead that went through review, a rejection, an attempt and
 * notifications is erased, and afterwards neither its email nor its names occur anywhere in the
 * database, nor in the application log at INFO or above.
 */
class ErasureApiTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() { };
    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    static final String EMAIL = "Quirinella.Vandertwist@erasure-proof.example";
    static final String FIRST_NAME = "Quirinella";
    static final String LAST_NAME = "Vandertwist";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    HistoryService history;

    @Autowired
    RuntimeService runtime;

    ListAppender<ILoggingEvent> logged;

    @BeforeEach
    void captureTheLog() {
        logged = new ListAppender<>();
        logged.start();
        root().addAppender(logged);
    }

    @AfterEach
    void stopCapturingTheLog() {
        root().detachAppender(logged);
    }

    static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    void comment(String user, Map<String, Object> task, String message) {
        ResponseEntity<String> response = as(user, http.post().uri("/engine-rest/task/{id}/comment/create", task.get("id"))
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("message", message))).retrieve().toEntity(String.class);
        assertThat(response.getStatusCode().value()).as("comment by %s: %s", user, response.getBody()).isEqualTo(200);
    }

    void engagement(String uri, Map<String, Object> body) {
        assertThat(http.post().uri(uri).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(202);
    }

    @Test
    void leadWithNotesCommentsAndNotifications_isErased_andItsEmailAndNamesOccurNowhereInTheDatabaseOrTheLog() {
        // given a lead with engagements, a review note, a comment, a rejection, an attempt and notifications
        ResponseEntity<Map<String, Object>> created = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "erasure-proof-1")
                .body(Map.ofEntries(Map.entry("email", EMAIL), Map.entry("firstName", FIRST_NAME), Map.entry("lastName", LAST_NAME),
                        Map.entry("phone", "+49 30 1234567"), Map.entry("company", "Twist Analytics"),
                        Map.entry("jobTitle", "Chief Twister"), Map.entry("role", "executive"), Map.entry("industry", "software"),
                        Map.entry("companySize", 500), Map.entry("country", "DE"), Map.entry("source", "webForm")))
                .retrieve().toEntity(MAP);
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        String leadId = (String) created.getBody().get("id");
        engagement("/api/leads/" + leadId + "/engagements", Map.of("type", "download", "detail", "whitepaper for " + FIRST_NAME + " " + LAST_NAME));
        engagement("/api/engagements", Map.of("email", EMAIL, "type", "webinar", "detail", "asked by " + EMAIL));
        // a colleague enters the same contact in Tasklist's start form: attached to the lead, its form values in the history
        Map<String, Object> byHand = new java.util.LinkedHashMap<>(Map.of("email", EMAIL, "firstName", FIRST_NAME, "lastName", LAST_NAME,
                "phone", "+49 30 7654321", "companyName", "Twist Analytics", "companySize", 500, "country", "DE", "source", "event",
                "role", "executive")); // as Tasklist sends it: the start form requires the role
        ResponseEntity<Map<String, Object>> enteredAgain = as("paula", http.post().uri("/engine-rest/process-definition/key/leadLifecycle/submit-form")
                .contentType(MediaType.APPLICATION_JSON).body(variables(byHand))).retrieve().toEntity(MAP);
        assertThat(enteredAgain.getStatusCode().value()).as("entered in Tasklist: %s", enteredAgain.getBody()).isEqualTo(200);

        Map<String, Object> review = openTask("mia", leadId, "Task_ReviewMql");
        comment("mia", review, "Called " + FIRST_NAME + " " + LAST_NAME + " at " + EMAIL);
        complete("mia", review, Map.of("reviewDecision", "approve", "reviewNote", LAST_NAME + " fits the ICP"));

        Map<String, Object> accept = openTask("max", leadId, "Task_AcceptLead");
        String firstRep = (String) accept.get("assignee");
        complete(firstRep, accept, Map.of("acceptDecision", "reject", "rejectReason", "procedural",
                "rejectComment", FIRST_NAME + " " + LAST_NAME + " is in the other territory"));
        Map<String, Object> acceptAgain = openTask("max", leadId, "Task_AcceptLead");
        String rep = (String) acceptAgain.get("assignee");
        complete(rep, acceptAgain, Map.of("acceptDecision", "accept"));

        Map<String, Object> contact = openTask(rep, leadId, "Task_ContactLead");
        complete(rep, contact, Map.of("contactChannel", "phone", "contactOutcome", "noAnswer",
                "contactNote", "voicemail for " + FIRST_NAME + ", mail to " + EMAIL));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> jdbc
                .sql("select count(*) from notification_outbox where lead_id = ? and sent_at is not null").param(leadId)
                .query(Long.class).single() >= 2);
        // and one whose send failed, retried by an instance of its own (as a batch hands it over)
        var failed = new io.leadflow.notification.Notification(io.leadflow.notification.NotificationEvent.SLA_BREACH,
                "webhook", leadId, leadNumber(leadId), null, null, "task-x", "Accept lead", null, rep, "acceptLead", false, List.of());
        runtime.startProcessInstanceByKey(Notifications.PROCESS, leadNumber(leadId), failed.toVariables());
        assertThat(occurrences()).as("the lead's data is spread over the database before the erasure").isNotEmpty();
        assertThat(history.createHistoricTaskInstanceQuery().processInstanceBusinessKey(leadNumber(leadId)).list())
                .as("Tasklist rows name the lead").extracting(t -> t.getName())
                .contains("Accept lead: " + FIRST_NAME + " " + LAST_NAME + ", Twist Analytics");

        // when a marketing manager erases it
        ResponseEntity<Map<String, Object>> erased = http.post().uri("/api/leads/{id}/erasure", leadId)
                .headers(h -> h.setBasicAuth("mona", "demo")).retrieve().toEntity(MAP);

        // then the report counts what was erased per place
        assertThat(erased.getStatusCode().value()).isEqualTo(200);
        Map<String, Object> report = erased.getBody();
        assertThat(report).containsEntry("leadId", leadId).containsEntry("stoppedLifecycle", true).containsKey("erasedAt");
        @SuppressWarnings("unchecked")
        Map<String, Integer> counts = (Map<String, Integer>) report.get("erased");
        assertThat(counts).containsEntry("leadRecord", 1).containsEntry("attemptNotes", 1).containsEntry("rejectionComments", 1)
                .containsEntry("engagementDetails", 4 /* the capture's form fill, two events and the Tasklist entry's form fill */).containsEntry("idempotencyKeys", 1).containsEntry("comments", 1);
        assertThat(counts.get("notifications")).as("its notifications, sent in batches").isGreaterThanOrEqualTo(2);
        assertThat(counts.get("notificationInstances")).as("the one retried on its own").isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from notification_outbox where lead_id = ?").param(leadId).query(Long.class).single())
                .isZero();
        assertThat(counts.get("processInstances")).as("the lifecycle, its follow-up and the Tasklist entry attached to the lead")
                .isEqualTo(3);
        assertThat(counts.get("historicVariables")).isPositive();
        assertThat(counts.get("taskNames")).as("the tasks named after the lead").isPositive();
        assertThat(counts.get("historicVariableDetails")).as("the app's history level writes no variable details").isZero();
        assertThat((List<?>) report.get("kept")).isNotEmpty();

        // and the same address is refused from now on, without writing anything
        Map<String, Object> again = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", EMAIL.toLowerCase(Locale.ROOT), "firstName", FIRST_NAME, "lastName", LAST_NAME,
                        "company", "Twist Analytics", "companySize", 500, "country", "DE"))
                .retrieve().body(MAP);
        assertThat(again).containsEntry("status", "suppressed").doesNotContainKey("id");

        // and neither the email nor the names occur anywhere in the database
        assertThat(occurrences()).as("places still holding the lead's email or names").isEmpty();

        // while the non-personal facts stay: the lead row, its stages and its attempts
        Map<String, Object> view = http.get().uri("/api/leads/{id}", leadId).retrieve().body(MAP);
        Map<?, ?> lead = (Map<?, ?>) view.get("lead");
        assertThat(lead.get("stage")).isEqualTo("BLACKLISTED");
        assertThat(lead.get("email")).isEqualTo("erased:" + leadId);
        assertThat(lead.get("company")).isEqualTo("Twist Analytics");
        assertThat((String) lead.get("number")).as("the lead number is no personal data: it stays").matches("L-\\d{4}-\\d{6,}");
        assertThat(((Map<?, ?>) http.get().uri("/api/leads/by-number/{number}", lead.get("number")).retrieve().body(MAP).get("lead"))
                .get("id")).isEqualTo(leadId);
        assertThat(((List<?>) view.get("stageHistory")).stream().map(e -> String.valueOf(((Map<?, ?>) e).get("stage"))).toList())
                .containsSubsequence("INQUIRY", "MQL", "SAL", "BLACKLISTED");
        List<?> attempts = (List<?>) view.get("attempts");
        assertThat(attempts).hasSize(1);
        Map<?, ?> attempt = (Map<?, ?>) attempts.get(0);
        assertThat(attempt.get("outcome")).isEqualTo("noAnswer");
        assertThat(attempt.get("note")).isNull();
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(leadNumber(leadId)).count()).isZero();

        // and the application log never printed them at INFO or above
        assertThat(loggedAtInfoOrAbove()).as("log lines naming the lead").noneMatch(this::mentionsTheLead);
    }

    @Test
    void attachmentsOfItsTasks_andTheLogOfCommentsAndAttachments_areErasedWhateverTheirTextsMention() {
        String marker = "Glimmerquartz";
        ResponseEntity<Map<String, Object>> created = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", "attachments-erased@erasure-proof.example", "firstName", "Ottilie", "lastName", "Brackwater",
                        "company", "Brackwater Software", "role", "executive", "industry", "software", "companySize", 500,
                        "country", "DE", "source", "webForm"))
                .retrieve().toEntity(MAP);
        String leadId = (String) created.getBody().get("id");
        complete("mia", openTask("mia", leadId, "Task_ReviewMql"), Map.of("reviewDecision", "approve", "reviewNote", "fits"));
        Map<String, Object> accept = openTask("max", leadId, "Task_AcceptLead");
        String rep = (String) accept.get("assignee");
        // the rep attaches a scan and a link, and comments and rewords the comment, as Tasklist and the REST API let him
        var file = new org.springframework.util.LinkedMultiValueMap<String, Object>();
        file.add("attachment-name", "passport " + marker);
        file.add("content", new org.springframework.core.io.ByteArrayResource(("scan of the passport, " + marker + " 123")
                .getBytes(StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return "passport.txt";
            }
        });
        var link = new org.springframework.util.LinkedMultiValueMap<String, Object>();
        link.add("attachment-name", "card " + marker);
        link.add("url", "https://cards.example/" + marker);
        for (var parts : List.of(file, link)) {
            assertThat(as(rep, http.post().uri("/engine-rest/task/{id}/attachment/create", accept.get("id"))
                    .contentType(MediaType.MULTIPART_FORM_DATA).body(parts)).retrieve().toBodilessEntity().getStatusCode().value())
                    .isEqualTo(200);
        }
        Map<String, Object> comment = as(rep, http.post().uri("/engine-rest/task/{id}/comment/create", accept.get("id"))
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("message", "she mentioned her diagnosis, " + marker)))
                .retrieve().body(MAP);
        assertThat(as(rep, http.put().uri("/engine-rest/task/{id}/comment", accept.get("id")).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("id", comment.get("id"), "message", "called back"))).retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(204);
        List<Map<String, Object>> attachments = as(rep, http.get().uri("/engine-rest/task/{id}/attachment", accept.get("id")))
                .retrieve().body(LIST);
        assertThat(attachments).hasSize(2);
        assertThat(occurrences(List.of(marker.toLowerCase(Locale.ROOT)))).as("the texts are in the engine's tables").isNotEmpty();

        ResponseEntity<Map<String, Object>> erased = http.post().uri("/api/leads/{id}/erasure", leadId)
                .headers(h -> h.setBasicAuth("max", "demo")).retrieve().toEntity(MAP);

        assertThat(erased.getStatusCode().value()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Integer> counts = (Map<String, Integer>) erased.getBody().get("erased");
        assertThat(counts).containsEntry("attachments", 2);
        assertThat(counts.get("userOperationLogEntries")).as("the log of the attachments and the reworded comment").isPositive();
        assertThat(occurrences(List.of(marker.toLowerCase(Locale.ROOT)))).as("places still holding the texts").isEmpty();
        for (Map<String, Object> attachment : attachments) {
            assertThat(as("admin", http.get().uri("/engine-rest/task/{id}/attachment/{a}/data", accept.get("id"), attachment.get("id")))
                    .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(404);
        }
    }

    @Test
    void anErasureRequestOfSeveralMegabytes_isRefusedBeforeItIsRead_andSuppressesNobody() {
        String address = "megabytes@erasure-proof.example";
        String padding = "x".repeat(3 * 1024 * 1024);
        long suppressionsBefore = jdbc.sql("select count(*) from lead_suppression").query(Long.class).single();
        ResponseEntity<Map<String, Object>> refused = http.post().uri("/api/erasures").contentType(MediaType.APPLICATION_JSON)
                .headers(h -> h.setBasicAuth("max", "demo"))
                .body("{\"email\": \"" + address + "\", \"firstName\": \"" + padding + "\"}").retrieve().toEntity(MAP);

        assertThat(refused.getStatusCode().value()).isEqualTo(413);
        assertThat((String) refused.getBody().get("detail")).contains("at most 1048576");
        assertThat(jdbc.sql("select count(*) from lead_suppression").query(Long.class).single())
                .as("nothing suppressed: the same count as before").isEqualTo(suppressionsBefore);
    }

    boolean mentionsTheLead(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.contains(EMAIL.toLowerCase(Locale.ROOT)) || lower.contains(FIRST_NAME.toLowerCase(Locale.ROOT))
                || lower.contains(LAST_NAME.toLowerCase(Locale.ROOT));
    }

    List<String> loggedAtInfoOrAbove() {
        List<ILoggingEvent> events;
        synchronized (logged) {
            events = new ArrayList<>(logged.list);
        }
        List<String> texts = new ArrayList<>();
        for (ILoggingEvent event : events) {
            if (event.getLevel().isGreaterOrEqual(Level.INFO)) {
                StringBuilder text = new StringBuilder(event.getLoggerName()).append(": ").append(event.getFormattedMessage());
                for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                    text.append(" / ").append(t.getMessage());
                }
                texts.add(text.toString());
            }
        }
        return texts;
    }

    /**
     * Every text and binary column of every table (the engine's byte arrays decoded as UTF-8) that
     * holds the email, the first or the last name, ignoring case: "TABLE.COLUMN" per hit.
     */
    List<String> occurrences() {
        return occurrences(List.of(EMAIL.toLowerCase(Locale.ROOT), FIRST_NAME.toLowerCase(Locale.ROOT),
                LAST_NAME.toLowerCase(Locale.ROOT)));
    }

    /** Every text and binary column holding one of these lower-case texts, as above. */
    List<String> occurrences(List<String> needles) {
        List<Map<String, Object>> columns = jdbc.sql("""
                select table_name, column_name, data_type from information_schema.columns
                where table_schema = 'PUBLIC'
                  and (data_type like '%CHAR%' or data_type like '%CLOB%' or data_type like '%CHARACTER LARGE OBJECT%'
                       or data_type like '%BINARY%' or data_type like '%BLOB%' or data_type = 'JSON')
                order by table_name, column_name
                """).query().listOfRows();
        assertThat(columns).as("the scan reaches the engine's byte arrays")
                .anyMatch(c -> "ACT_GE_BYTEARRAY".equals(c.get("TABLE_NAME")) && "BYTES_".equals(c.get("COLUMN_NAME")));
        List<String> hits = new ArrayList<>();
        for (Map<String, Object> column : columns) {
            String table = (String) column.get("TABLE_NAME");
            String name = (String) column.get("COLUMN_NAME");
            String type = (String) column.get("DATA_TYPE");
            String from = " from \"" + table + "\" where \"" + name + "\" is not null";
            if (type.contains("BINARY") || type.contains("BLOB") || type.equals("JSON")) {
                for (byte[] bytes : jdbc.sql("select \"" + name + "\"" + from).query(byte[].class).list()) {
                    String text = new String(bytes, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
                    needles.stream().filter(text::contains).forEach(n -> hits.add(table + "." + name + " (" + n + ")"));
                }
            } else {
                for (String needle : needles) {
                    long count = jdbc.sql("select count(*)" + from + " and lower(\"" + name + "\") like :needle")
                            .param("needle", "%" + needle + "%").query(Long.class).single();
                    if (count > 0) {
                        hits.add(table + "." + name + " (" + needle + ", " + count + " rows)");
                    }
                }
            }
        }
        return hits;
    }
}
