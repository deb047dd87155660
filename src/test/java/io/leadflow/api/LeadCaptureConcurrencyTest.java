package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.leadflow.SpringIntegrationTest;

/** Retries, double submits and bursts from marketing tools never lose or duplicate a lead (H2; PostgreSQL: PostgresCaptureConcurrencyTest). */
class LeadCaptureConcurrencyTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };
    static final int SUBMISSIONS = 1000;
    static final int CLIENTS = 32;
    /** Enough to keep all clients busy at once: a race test, not a throughput test (that is CaptureBenchmark). */
    static final int DISTINCT_LEADS = 64;
    static final int NUMBERED_LEADS = 200;

    @Autowired
    JdbcClient jdbc;

    static String lead(String email) {
        return """
                {"email": "%s", "firstName": "Ada", "lastName": "Lovelace", "company": "Analytical Engines",
                 "role": "executive", "industry": "software", "companySize": 500, "country": "DE"}""".formatted(email);
    }

    ResponseEntity<Map<String, Object>> post(String body, String idempotencyKey) {
        return http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .headers(h -> { if (idempotencyKey != null) { h.set("Idempotency-Key", idempotencyKey); } })
                .body(body).retrieve().toEntity(MAP);
    }

    List<ResponseEntity<Map<String, Object>>> concurrently(List<Callable<ResponseEntity<Map<String, Object>>>> calls)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<ResponseEntity<Map<String, Object>>> answers = new ArrayList<>();
            for (Future<ResponseEntity<Map<String, Object>>> f : pool.invokeAll(calls)) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    long count(String sql, Object param) {
        return jdbc.sql(sql).param(param).query(Long.class).single();
    }

    @Test
    void thousandConcurrentSubmissionsOfTheSameLead_makeExactlyOneLeadAndOneLifecycle() throws Exception {
        String email = "burst-" + System.nanoTime() + "@example.com";
        List<Callable<ResponseEntity<Map<String, Object>>>> calls = new ArrayList<>();
        for (int i = 0; i < SUBMISSIONS; i++) {
            calls.add(() -> post(lead(email), null));
        }

        List<ResponseEntity<Map<String, Object>>> answers = concurrently(calls);

        assertThat(answers).extracting(a -> a.getStatusCode().value()).containsOnly(201, 200);
        assertThat(answers).filteredOn(a -> a.getStatusCode().value() == 201).hasSize(1);
        assertThat(answers).extracting(a -> a.getBody().get("id")).containsOnly(answers.get(0).getBody().get("id"));
        String leadId = (String) answers.get(0).getBody().get("id");
        assertThat(count("select count(*) from lead where email_normalized = ?", email)).isEqualTo(1);
        assertThat(count("select count(*) from act_ru_execution where business_key_ = (select lead_number from lead where id = ?) and parent_id_ is null "
                + "and proc_def_id_ like 'leadLifecycle:%'", leadId)).isEqualTo(1);
        assertThat(count("select count(*) from lead_engagement where lead_id = ?", leadId))
                .as("the capture and every repeat recorded as engagement").isEqualTo(SUBMISSIONS);
    }

    @Test
    void distinctLeadsCapturedConcurrently_whileDuplicatesOfOneLeadRace_areEachCreatedExactlyOnce() throws Exception {
        String prefix = "distinct-" + System.nanoTime() + "-";
        String contested = "contested-" + System.nanoTime() + "@example.com";
        List<Callable<ResponseEntity<Map<String, Object>>>> calls = new ArrayList<>();
        for (int i = 0; i < DISTINCT_LEADS; i++) {
            String email = prefix + i + "@example.com";
            calls.add(() -> post(lead(email), null));
            calls.add(() -> post(lead(contested), null));
        }

        List<ResponseEntity<Map<String, Object>>> answers = concurrently(calls);

        // invokeAll answers in the order of the calls: even ones are the distinct leads, odd ones the contested lead
        List<ResponseEntity<Map<String, Object>>> distinct = IntStream.range(0, answers.size()).filter(i -> i % 2 == 0)
                .mapToObj(answers::get).toList();
        List<ResponseEntity<Map<String, Object>>> duplicates = IntStream.range(0, answers.size()).filter(i -> i % 2 == 1)
                .mapToObj(answers::get).toList();
        assertThat(distinct).extracting(a -> a.getStatusCode().value()).containsOnly(201);
        assertThat(distinct).extracting(a -> a.getBody().get("id")).doesNotHaveDuplicates();
        assertThat(count("select count(*) from lead where email_normalized like ?", prefix + "%")).isEqualTo(DISTINCT_LEADS);
        assertThat(duplicates).filteredOn(a -> a.getStatusCode().value() == 201).hasSize(1);
        assertThat(duplicates).extracting(a -> a.getBody().get("id")).containsOnly(duplicates.get(0).getBody().get("id"));
        assertThat(count("select count(*) from lead where email_normalized = ?", contested)).isEqualTo(1);
    }

    @Test
    void twoHundredLeadsCapturedConcurrently_getTwoHundredDistinctNumbers_eachTheBusinessKeyOfItsLifecycle() throws Exception {
        String prefix = "numbered-" + System.nanoTime() + "-";
        List<Callable<ResponseEntity<Map<String, Object>>>> calls = new ArrayList<>();
        for (int i = 0; i < NUMBERED_LEADS; i++) {
            String email = prefix + i + "@example.com";
            calls.add(() -> post(lead(email), null));
        }

        List<ResponseEntity<Map<String, Object>>> answers = concurrently(calls);

        assertThat(answers).extracting(a -> a.getStatusCode().value()).containsOnly(201);
        List<Object> numbers = answers.stream().map(a -> a.getBody().get("number")).toList();
        assertThat(numbers).doesNotHaveDuplicates().hasSize(NUMBERED_LEADS)
                .allSatisfy(n -> assertThat((String) n).matches("L-\\d{4}-\\d{6,}"));
        assertThat(count("select count(distinct lead_number) from lead where email_normalized like ?", prefix + "%"))
                .isEqualTo(NUMBERED_LEADS);
        assertThat(count("select count(*) from lead l join act_ru_execution e on e.business_key_ = l.lead_number"
                + " and e.parent_id_ is null and e.proc_def_id_ like 'leadLifecycle:%' where l.email_normalized like ?", prefix + "%"))
                .as("each lifecycle runs under its lead's number").isEqualTo(NUMBERED_LEADS);
    }

    @Test
    void retryWithTheSameIdempotencyKey_getsTheFirstAnswerAgain_andChangesNothing() {
        String email = "retry-" + System.nanoTime() + "@example.com";
        String key = "form-submit-" + System.nanoTime();

        ResponseEntity<Map<String, Object>> first = post(lead(email), key);
        ResponseEntity<Map<String, Object>> retry = post(lead(email), key);

        assertThat(first.getStatusCode().value()).isEqualTo(201);
        assertThat(retry.getStatusCode().value()).isEqualTo(201);
        assertThat(retry.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.getBody()).isEqualTo(first.getBody());
        assertThat(count("select count(*) from lead_engagement where lead_id = ?", first.getBody().get("id")))
                .as("a replay is not a second form fill").isEqualTo(1);
    }

    @Test
    void concurrentRetriesWithOneIdempotencyKey_makeOneLead() throws Exception {
        String email = "key-burst-" + System.nanoTime() + "@example.com";
        String key = "burst-" + System.nanoTime();
        List<Callable<ResponseEntity<Map<String, Object>>>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(() -> post(lead(email), key));
        }

        List<ResponseEntity<Map<String, Object>>> answers = concurrently(calls);

        assertThat(answers).extracting(a -> a.getStatusCode().value()).containsOnly(201);
        assertThat(count("select count(*) from lead where email_normalized = ?", email)).isEqualTo(1);
        assertThat(count("select count(*) from lead_engagement where lead_id = ?", answers.get(0).getBody().get("id")))
                .isEqualTo(1);
    }

    @Test
    void sameIdempotencyKeyForAnotherLead_isA422_andStoresNothing() {
        String key = "reused-" + System.nanoTime();
        post(lead("first-" + System.nanoTime() + "@example.com"), key);
        String other = "other-" + System.nanoTime() + "@example.com";

        ResponseEntity<Map<String, Object>> answer = post(lead(other), key);

        assertThat(answer.getStatusCode().value()).isEqualTo(422);
        assertThat(answer.getBody()).containsEntry("title", "Idempotency key reused");
        assertThat(count("select count(*) from lead where email_normalized = ?", other)).isZero();
    }

    @Test
    void anIdempotencyKeyIsTheCallersOwn_anotherCallerWithTheSameKeyNeitherGetsTheAnswerNorIsRefused() {
        String key = "shared-" + System.nanoTime();
        String firstEmail = "mine-" + System.nanoTime() + "@example.com";
        String otherEmail = "theirs-" + System.nanoTime() + "@example.com";
        ResponseEntity<Map<String, Object>> admins = post(lead(firstEmail), key);

        ResponseEntity<Map<String, Object>> otherBody = as("mia", http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", key).body(lead(otherEmail))).retrieve().toEntity(MAP);
        ResponseEntity<Map<String, Object>> sameBody = withKey(RepAvailabilityApiTest.DEMO_KEY).post().uri("/api/leads")
                .contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", key).body(lead(firstEmail)).retrieve().toEntity(MAP);

        assertThat(admins.getStatusCode().value()).isEqualTo(201);
        assertThat(otherBody.getStatusCode().value()).as("mia's key, not refused for admin's use of it").isEqualTo(201);
        assertThat(sameBody.getHeaders().getFirst("Idempotent-Replayed")).as("not admin's answer replayed to the demo key").isNull();
        assertThat(sameBody.getStatusCode().value()).as("the known email, captured as the key's own request").isEqualTo(200);
        assertThat(count("select count(*) from lead where email_normalized = ?", otherEmail)).isEqualTo(1);
    }

    @Test
    void anIdempotencyKeyThatIsNotVisibleAscii_isA400() {
        ResponseEntity<Map<String, Object>> answer = post(lead("k-" + System.nanoTime() + "@example.com"), "has space");
        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        assertThat(answer.getBody().get("errors")).as("named as the client sends it")
                .isEqualTo(List.of(Map.of("field", "Idempotency-Key", "reason", "must be 1 to 200 visible ASCII characters")));
    }
}
