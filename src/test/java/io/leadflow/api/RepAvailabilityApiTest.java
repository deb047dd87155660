package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import io.leadflow.SpringIntegrationTest;

/**
 * {@code /api/reps}: sales managers and administrators set a rep's capacity, deactivate them and
 * record absences; reps and readers only read; bad input is a 400 naming the field and writes
 * nothing. Tasklist's start form "Manage rep availability" is startable by sales managers only.
 * Absences here lie weeks ahead, so the re-routing check of this context moves no task.
 */
class RepAvailabilityApiTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };
    static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() { };

    /** The demo profile's key (scopes capture, events, read). */
    static final String DEMO_KEY = "lf_demo-key-not-for-production";

    static final OffsetDateTime IN_A_MONTH = OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).withNano(0);

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void repsAsConfigured() {
        jdbc.sql("delete from rep_absence").update();
        jdbc.sql("update rep_rotation set capacity = 1, active = true").update();
    }

    RestClient as(String user, String password) {
        return anonymous.mutate().defaultHeaders(h -> h.setBasicAuth(user, password)).build();
    }

    RestClient max() {
        return as("max", "demo");
    }

    Map<String, Object> rep(String userId) {
        return max().get().uri("/api/reps").retrieve().body(LIST).stream()
                .filter(r -> userId.equals(r.get("userId"))).findFirst().orElseThrow();
    }

    long absences() {
        return jdbc.sql("select count(*) from rep_absence").query(Long.class).single();
    }

    static Map<String, Object> absence(Object from, Object to, Object reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        body.put("to", to);
        body.put("reason", reason);
        return body;
    }

    static void assertProblemNaming(ResponseEntity<Map<String, Object>> answer, int status, String... fields) {
        assertThat(answer.getStatusCode().value()).isEqualTo(status);
        assertThat(answer.getHeaders().getContentType()).hasToString("application/problem+json");
        if (fields.length > 0) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> errors = (List<Map<String, Object>>) answer.getBody().get("errors");
            assertThat(errors).extracting(e -> e.get("field")).containsExactlyInAnyOrder((Object[]) fields);
        }
    }

    @Test
    void aSalesManager_setsCapacity_deactivates_andRecordsAndRemovesAnAbsence() {
        // when max sets sara's capacity to 3 and deactivates sam
        ResponseEntity<Map<String, Object>> sara = max().put().uri("/api/reps/sara").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("capacity", 3)).retrieve().toEntity(MAP);
        ResponseEntity<Map<String, Object>> sam = max().put().uri("/api/reps/sam").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("active", false)).retrieve().toEntity(MAP);

        // then both are set, and the list says so
        assertThat(sara.getStatusCode().value()).isEqualTo(200);
        assertThat(sara.getBody()).containsEntry("capacity", 3).containsEntry("active", true);
        assertThat(sam.getBody()).containsEntry("active", false).containsEntry("availableNow", false);
        assertThat(rep("sara")).containsEntry("capacity", 3).containsKey("openAcceptLeadTasks");

        // when max records sara's vacation in a month
        ResponseEntity<Map<String, Object>> created = max().post().uri("/api/reps/sara/absences").contentType(MediaType.APPLICATION_JSON)
                .body(absence(IN_A_MONTH.toString(), IN_A_MONTH.plusDays(5).toString(), "vacation")).retrieve().toEntity(MAP);

        // then it is listed with who entered it, and sara is still available now
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        String id = (String) created.getBody().get("id");
        assertThat(created.getHeaders().getLocation()).hasToString("/api/reps/sara/absences/" + id);
        assertThat(max().get().uri(created.getHeaders().getLocation().toString()).retrieve().toEntity(MAP).getBody())
                .as("the Location names the absence").isEqualTo(created.getBody());
        assertThat(rep("sara")).containsEntry("availableNow", true);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed = (List<Map<String, Object>>) rep("sara").get("absences");
        assertThat(listed).singleElement().satisfies(a -> assertThat(a).containsEntry("id", id).containsEntry("reason", "vacation")
                .containsEntry("createdBy", "max"));

        // when it is removed, it is gone; removing it again is a 404
        assertThat(max().delete().uri("/api/reps/sara/absences/{id}", id).retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(204);
        assertThat(absences()).isZero();
        assertProblemNaming(max().delete().uri("/api/reps/sara/absences/{id}", id).retrieve().toEntity(MAP), 404);
        assertProblemNaming(max().get().uri("/api/reps/sara/absences/{id}", id).retrieve().toEntity(MAP), 404);
    }

    @Test
    void anAbsencesReason_isShownToTheRepAndWhoManagesAvailability_notToColleaguesOrReadKeys() {
        String id = (String) max().post().uri("/api/reps/sara/absences").contentType(MediaType.APPLICATION_JSON)
                .body(absence(IN_A_MONTH.toString(), IN_A_MONTH.plusDays(5).toString(), "medical leave (surgery)"))
                .retrieve().body(MAP).get("id");
        try {
            Map<String, Object> readers = new java.util.LinkedHashMap<>();
            readers.put("sam (a colleague)", absenceAsListed(as("sam", "demo"), id));
            readers.put("mia (marketing)", absenceAsListed(as("mia", "demo"), id));
            readers.put("a key with scope read", absenceAsListed(withKey(DEMO_KEY), id));
            readers.put("sam, by its Location", as("sam", "demo").get().uri("/api/reps/sara/absences/{id}", id).retrieve().body(MAP));
            assertThat(readers).allSatisfy((who, absence) -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> shown = (Map<String, Object>) absence;
                assertThat(shown).as(who).containsEntry("id", id).containsKey("from").containsKey("to");
                assertThat(shown.get("reason")).as(who).isNull();
            });
            assertThat(absenceAsListed(as("sara", "demo"), id)).as("sara, whose absence it is").containsEntry("reason", "medical leave (surgery)");
            assertThat(absenceAsListed(max(), id)).as("a sales manager").containsEntry("reason", "medical leave (surgery)");
            assertThat(absenceAsListed(as("admin", "admin"), id)).as("an administrator").containsEntry("reason", "medical leave (surgery)");
        } finally {
            max().delete().uri("/api/reps/sara/absences/{id}", id).retrieve().toBodilessEntity();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> absenceAsListed(org.springframework.web.client.RestClient client, String id) {
        return client.get().uri("/api/reps").retrieve().body(LIST).stream()
                .flatMap(rep -> ((List<Map<String, Object>>) rep.get("absences")).stream())
                .filter(a -> id.equals(a.get("id"))).findFirst().orElseThrow();
    }

    @Test
    void aRepOrAReadKey_readsTheReps_butCannotChangeThem() {
        // when sam (sales) and a key with scope read ask
        ResponseEntity<List<Map<String, Object>>> samReads = as("sam", "demo").get().uri("/api/reps").retrieve().toEntity(LIST);
        ResponseEntity<List<Map<String, Object>>> keyReads = withKey(DEMO_KEY).get().uri("/api/reps").retrieve().toEntity(LIST);
        ResponseEntity<Map<String, Object>> samWrites = as("sam", "demo").put().uri("/api/reps/sam").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("capacity", 50)).retrieve().toEntity(MAP);
        ResponseEntity<Map<String, Object>> samAway = as("sam", "demo").post().uri("/api/reps/sara/absences").contentType(MediaType.APPLICATION_JSON)
                .body(absence(IN_A_MONTH.toString(), IN_A_MONTH.plusDays(1).toString(), "made up")).retrieve().toEntity(MAP);
        ResponseEntity<Map<String, Object>> keyWrites = withKey(DEMO_KEY).put().uri("/api/reps/sam")
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("active", false)).retrieve().toEntity(MAP);
        ResponseEntity<List<Map<String, Object>>> marketingReads = as("mia", "demo").get().uri("/api/reps").retrieve().toEntity(LIST);

        // then reading works, every change is a 403 problem and nothing changed
        assertThat(samReads.getStatusCode().value()).isEqualTo(200);
        assertThat(samReads.getBody()).extracting(r -> r.get("userId")).contains("sam", "sara");
        assertThat(keyReads.getStatusCode().value()).isEqualTo(200);
        assertProblemNaming(samWrites, 403);
        assertThat((String) samWrites.getBody().get("detail")).contains("salesManagers");
        assertProblemNaming(samAway, 403);
        assertProblemNaming(keyWrites, 403);
        assertThat(marketingReads.getStatusCode().value()).as("marketing has scope read").isEqualTo(200);
        assertThat(rep("sam")).containsEntry("capacity", 1).containsEntry("active", true);
        assertThat(absences()).isZero();
        assertProblemNaming(anonymous.get().uri("/api/reps").retrieve().toEntity(MAP), 401);
    }

    @Test
    void badInput_isA400NamingEachField_andWritesNothing() {
        // capacity below 1, or nothing to set
        assertProblemNaming(max().put().uri("/api/reps/sara").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("capacity", 0)).retrieve().toEntity(MAP), 400, "capacity");
        assertProblemNaming(max().put().uri("/api/reps/sara").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of()).retrieve().toEntity(MAP), 400, "capacity");
        assertProblemNaming(max().put().uri("/api/reps/sara").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("capacity", "lots")).retrieve().toEntity(MAP), 400, "capacity");
        assertProblemNaming(max().put().uri("/api/reps/sara").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("capacity", 2.5)).retrieve().toEntity(MAP), 400, "capacity");
        // longer than a year (a year PostgreSQL cannot store would have been a 500 there)
        assertProblemNaming(max().post().uri("/api/reps/sara/absences").contentType(MediaType.APPLICATION_JSON)
                .body(absence(IN_A_MONTH.toString(), IN_A_MONTH.plusDays(400).toString(), "sabbatical")).retrieve().toEntity(MAP), 400, "to");
        assertProblemNaming(max().post().uri("/api/reps/sara/absences").contentType(MediaType.APPLICATION_JSON)
                .body(absence(IN_A_MONTH.toString(), "+999999-01-01T00:00:00Z", "forever")).retrieve().toEntity(MAP), 400, "to");
        assertProblemNaming(max().post().uri("/api/reps/sara/absences").contentType(MediaType.APPLICATION_JSON)
                .body(absence("+294277-01-01T00:00:00Z", "+294277-01-02T00:00:00Z", "far ahead")).retrieve().toEntity(MAP), 400, "from");
        // a reason with a NUL (PostgreSQL refuses it in text) or a line break
        assertProblemNaming(max().post().uri("/api/reps/sara/absences").contentType(MediaType.APPLICATION_JSON)
                .body(absence(IN_A_MONTH.toString(), IN_A_MONTH.plusDays(1).toString(), "trade\u0000fair")).retrieve().toEntity(MAP), 400, "reason");
        assertProblemNaming(max().post().uri("/api/reps/sara/absences").contentType(MediaType.APPLICATION_JSON)
                .body(absence(IN_A_MONTH.toString(), IN_A_MONTH.plusDays(1).toString(), "trade\nfair")).retrieve().toEntity(MAP), 400, "reason");
        // to before from; an absence that is over; nothing given; a date without offset
        assertProblemNaming(max().post().uri("/api/reps/sara/absences").contentType(MediaType.APPLICATION_JSON)
                .body(absence(IN_A_MONTH.toString(), IN_A_MONTH.minusDays(1).toString(), "vacation")).retrieve().toEntity(MAP), 400, "to");
        assertProblemNaming(max().post().uri("/api/reps/sara/absences").contentType(MediaType.APPLICATION_JSON)
                .body(absence("2020-01-01T09:00:00+01:00", "2020-01-05T17:00:00+01:00", "vacation")).retrieve().toEntity(MAP), 400, "to");
        assertProblemNaming(max().post().uri("/api/reps/sara/absences").contentType(MediaType.APPLICATION_JSON)
                .body(absence(null, null, " ")).retrieve().toEntity(MAP), 400, "from", "to", "reason");
        assertProblemNaming(max().post().uri("/api/reps/sara/absences").contentType(MediaType.APPLICATION_JSON)
                .body(absence("next monday", IN_A_MONTH.toString(), "vacation")).retrieve().toEntity(MAP), 400, "from");
        // an unknown rep
        assertProblemNaming(max().put().uri("/api/reps/nobody").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("capacity", 2)).retrieve().toEntity(MAP), 404);
        assertProblemNaming(max().post().uri("/api/reps/nobody/absences").contentType(MediaType.APPLICATION_JSON)
                .body(absence(IN_A_MONTH.toString(), IN_A_MONTH.plusDays(1).toString(), "vacation")).retrieve().toEntity(MAP), 404);

        // nothing was written
        assertThat(rep("sara")).containsEntry("capacity", 1).containsEntry("active", true);
        assertThat(absences()).isZero();
        assertThat(jdbc.sql("select count(*) from rep_rotation where rep_id = 'nobody'").query(Long.class).single()).isZero();
    }

    Map<String, Object> startFormVariables() {
        return Map.of("variables", Map.of(
                "repId", Map.of("value", "sara"),
                "availabilityChange", Map.of("value", "absence"),
                "absenceFrom", Map.of("value", IN_A_MONTH.toString()),
                "absenceTo", Map.of("value", IN_A_MONTH.plusDays(2).toString()),
                "absenceReason", Map.of("value", "trade fair")));
    }

    ResponseEntity<Map<String, Object>> startForm(Map<String, Object> values) {
        Map<String, Object> variables = new LinkedHashMap<>();
        values.forEach((name, value) -> variables.put(name, java.util.Collections.singletonMap("value", value)));
        return max().post().uri("/engine-rest/process-definition/key/repAvailability/submit-form")
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("variables", variables)).retrieve().toEntity(MAP);
    }

    static Map<String, Object> absenceStart(String without, String name, Object value) {
        Map<String, Object> values = new LinkedHashMap<>(Map.of("repId", "sara", "availabilityChange", "absence",
                "absenceFrom", IN_A_MONTH.toString(), "absenceTo", IN_A_MONTH.plusDays(2).toString(), "absenceReason", "trade fair"));
        values.remove(without);
        if (name != null) {
            values.put(name, value);
        }
        return values;
    }

    static Map<String, Object> settingsStart(Object capacity) {
        Map<String, Object> values = new LinkedHashMap<>(Map.of("repId", "sara", "availabilityChange", "settings", "repActive", "keep"));
        if (capacity != null) {
            values.put("repCapacity", capacity);
        }
        return values;
    }

    @Test
    void theStartForm_refusesWhatItsRulesRefuse_withA400NamingTheField_andChangesNothing() {
        long started = ((Number) max().get().uri("/engine-rest/history/process-instance/count?processDefinitionKey=repAvailability")
                .retrieve().body(MAP).get("count")).longValue();
        List<Map.Entry<String, ResponseEntity<Map<String, Object>>>> answers = List.of(
                // an absence without its start or end (left out, or sent empty), with a reason too long or of only spaces
                Map.entry("Out of office from (absenceFrom): is required when Change is \"Out of office for a period\"",
                        startForm(absenceStart("absenceFrom", null, null))),
                Map.entry("Out of office from (absenceFrom): is required when Change is \"Out of office for a period\"",
                        startForm(absenceStart(null, "absenceFrom", null))),
                Map.entry("Back on (absenceTo): is required when Change is \"Out of office for a period\"",
                        startForm(absenceStart(null, "absenceTo", ""))),
                Map.entry("Reason (absenceReason): must be at most 200 characters, was 201",
                        startForm(absenceStart(null, "absenceReason", "x".repeat(201)))),
                Map.entry("Reason (absenceReason): must not be only spaces",
                        startForm(absenceStart(null, "absenceReason", "   "))),
                Map.entry("Reason (absenceReason): is required when Change is \"Out of office for a period\"",
                        startForm(absenceStart("absenceReason", null, null))),
                // a capacity out of 1 to 1000, not a number, or none
                Map.entry("Capacity (repCapacity): must be at least 1", startForm(settingsStart(0))),
                Map.entry("Capacity (repCapacity): must be at most 1,000, was 1,001", startForm(settingsStart(1001))),
                Map.entry("Capacity (repCapacity): must be a number", startForm(settingsStart("lots"))),
                Map.entry("Capacity (repCapacity): give a capacity or change whether the rep takes leads (or both)", startForm(settingsStart(null))),
                // the rules of the rep and the absence, before the engine sees them (they were a 500 from inside it)
                Map.entry("Sales rep (repId): is no sales rep of the rotation (a user of the group sales), was 'mia'",
                        startForm(absenceStart(null, "repId", "mia"))),
                Map.entry("Back on (absenceTo): must be after Out of office from",
                        startForm(absenceStart(null, "absenceTo", IN_A_MONTH.minusDays(1).toString()))),
                Map.entry("Back on (absenceTo): must be at most 366 days after Out of office from: deactivate a rep who is away for longer"
                        + " (Takes leads: No)", startForm(absenceStart(null, "absenceTo", IN_A_MONTH.plusDays(400).toString()))));

        answers.forEach(entry -> {
            String message = entry.getKey();
            ResponseEntity<Map<String, Object>> answer = entry.getValue();
            String field = message.substring(message.indexOf('(') + 1, message.indexOf(')'));
            assertProblemNaming(answer, 400, field);
            assertThat(answer.getBody()).as(message).containsEntry("message", message + ". Nothing was saved.");
        });
        assertThat(absences()).isZero();
        assertThat(rep("sara")).containsEntry("capacity", 1).containsEntry("active", true);
        assertThat(((Number) max().get().uri("/engine-rest/history/process-instance/count?processDefinitionKey=repAvailability")
                .retrieve().body(MAP).get("count")).longValue()).as("nothing started").isEqualTo(started);

        // and within the rules, both changes are made
        assertThat(startForm(settingsStart(1000)).getStatusCode().value()).isEqualTo(200);
        assertThat(rep("sara")).as("the capacity changed, whether she takes leads left as it was").containsEntry("active", true);
        assertThat(startForm(absenceStart(null, "absenceReason", "x".repeat(200))).getStatusCode().value()).isEqualTo(200);
        assertThat(rep("sara")).containsEntry("capacity", 1000);
        assertThat(absences()).isOne();
    }

    @Test
    void aDeactivatedRep_staysDeactivated_whenAManagerChangesOnlyTheCapacityInTheStartForm_andIsSwitchedOnOnlyByChoice() {
        assertThat(max().put().uri("/api/reps/sara").contentType(MediaType.APPLICATION_JSON).body(Map.of("active", false))
                .retrieve().toEntity(MAP).getStatusCode().value()).isEqualTo(200);

        // the form as Tasklist sends it: "Takes leads" at its default, "Leave as it is"
        assertThat(startForm(settingsStart(3)).getStatusCode().value()).isEqualTo(200);
        assertThat(rep("sara")).containsEntry("capacity", 3).containsEntry("active", false);

        Map<String, Object> switchOn = new LinkedHashMap<>(settingsStart(null));
        switchOn.put("repActive", "yes");
        assertThat(startForm(switchOn).getStatusCode().value()).isEqualTo(200);
        assertThat(rep("sara")).containsEntry("capacity", 3).containsEntry("active", true);
    }

    /** What Tasklist's "Start process" offers the user. */
    List<Object> startableInTasklist(String user, String password) {
        return as(user, password).get().uri("/engine-rest/process-definition?latest=true&startableInTasklist=true"
                        + "&startablePermissionCheck=true&firstResult=0&maxResults=100")
                .retrieve().body(LIST).stream().map(d -> d.get("key")).toList();
    }

    @Test
    void theTasklistStartForm_manageRepAvailability_isStartedBySalesManagersOnly() {
        // given Tasklist offers "Manage rep availability" to max, not to sam
        assertThat(startableInTasklist("max", "demo")).contains("repAvailability");
        assertThat(startableInTasklist("sam", "demo")).doesNotContain("repAvailability");

        // when sam, then max submit the start form as Tasklist does
        ResponseEntity<Map<String, Object>> bySam = as("sam", "demo").post().uri("/engine-rest/process-definition/key/repAvailability/submit-form")
                .contentType(MediaType.APPLICATION_JSON).body(startFormVariables()).retrieve().toEntity(MAP);
        long afterSam = absences();
        ResponseEntity<Map<String, Object>> byMax = max().post().uri("/engine-rest/process-definition/key/repAvailability/submit-form")
                .contentType(MediaType.APPLICATION_JSON).body(startFormVariables()).retrieve().toEntity(MAP);

        // then sam is refused (he cannot even read the process: 404) and nothing recorded; max's change is recorded as his
        assertThat(bySam.getStatusCode().value()).isEqualTo(404);
        assertThat(afterSam).isZero();
        assertThat(byMax.getStatusCode().value()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed = (List<Map<String, Object>>) rep("sara").get("absences");
        assertThat(listed).singleElement().satisfies(a -> assertThat(a).containsEntry("reason", "trade fair").containsEntry("createdBy", "max"));
    }
}
