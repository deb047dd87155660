package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.camunda.bpm.engine.authorization.Resources;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.client.RestClient;

import io.leadflow.SpringIntegrationTest;

/**
 * Who may do what, over HTTP as each demo user: every user × every user task × see / claim /
 * complete / reassign on {@code /engine-rest} (a fresh task for every cell, walked there by the
 * people whose work it is), plus the webapps, deploying and starting a lead by hand. The matrix
 * is printed; every cell is asserted.
 */
class AuthorizationMatrixTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() { };
    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };
    static final List<String> USERS = List.of("mia", "mona", "sam", "sara", "max", "paula", "admin");

    /** A task of the lifecycle in the state a cell starts from. */
    record Variant(String label, String taskKey, String assignee, Map<String, Object> completion, boolean marketing) {
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("Review MQL", "Task_ReviewMql", null, Map.of("reviewDecision", "approve", "reviewNote", "fits"), true),
            new Variant("Fix lead data", "Task_FixLeadData", null, Map.of("phone", "+49 30 1234567", "fixNote", "added"), true),
            new Variant("Accept lead (sara's)", "Task_AcceptLead", "sara", Map.of("acceptDecision", "accept"), false),
            new Variant("Accept lead (unassigned)", "Task_AcceptLead", null, Map.of("acceptDecision", "accept"), false),
            new Variant("Contact lead (sara's)", "Task_ContactLead", "sara",
                    Map.of("contactChannel", "phone", "contactOutcome", "voicemail", "contactNote", "left a message"), false),
            new Variant("Qualify lead (sara's)", "Task_QualifyLead", "sara",
                    Map.of("timeline", "later", "qualificationDecision", "disqualified", "disqualifyReason", "noBudget",
                            "qualificationNote", "no budget"), false));

    @org.springframework.beans.factory.annotation.Autowired
    org.camunda.bpm.engine.TaskService taskService;

    @org.springframework.beans.factory.annotation.Autowired
    org.camunda.bpm.engine.RepositoryService repositoryService;

    @org.springframework.beans.factory.annotation.Autowired
    org.camunda.bpm.engine.RuntimeService runtimeService;

    @org.springframework.beans.factory.annotation.Autowired
    org.camunda.bpm.engine.AuthorizationService authorizationService;

    int post(String user, String uri, Object body, Object... vars) {
        return as(user, http.post().uri(uri, vars).contentType(MediaType.APPLICATION_JSON).body(body)).retrieve()
                .toBodilessEntity().getStatusCode().value();
    }

    /** A lead entered by hand in Tasklist's start form by the process owner; its lifecycle instance id. */
    String startLeadByHand(String user, int[] status) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("email", "authz-" + System.nanoTime() + "@example.com");
        values.put("firstName", "Ada");
        values.put("lastName", "Lovelace");
        values.put("companyName", "Analytical Engines");
        values.put("jobTitle", "CTO");
        values.put("role", "executive");
        values.put("industry", "software");
        values.put("companySize", 500);
        values.put("country", "DE");
        values.put("source", "event");
        var response = as(user, http.post().uri("/engine-rest/process-definition/key/leadLifecycle/submit-form")
                .contentType(MediaType.APPLICATION_JSON).body(variables(values))).retrieve().toEntity(MAP);
        status[0] = response.getStatusCode().value();
        return response.getStatusCode().is2xxSuccessful() ? (String) response.getBody().get("id") : null;
    }

    Map<String, Object> openTask(String lifecycleId, String taskKey) {
        String businessKey = (String) as("admin", http.get().uri("/engine-rest/process-instance/{id}", lifecycleId))
                .retrieve().body(MAP).get("businessKey");
        List<Map<String, Object>> tasks = as("admin", http.get().uri(
                "/engine-rest/task?processInstanceBusinessKey={key}&taskDefinitionKey={task}&firstResult=0&maxResults=10", businessKey, taskKey))
                .retrieve().body(LIST);
        assertThat(tasks).as("open %s of lead %s", taskKey, businessKey).hasSize(1);
        return tasks.get(0);
    }

    void completeAsItsWorker(Map<String, Object> task, String worker, Map<String, Object> values) {
        String user = task.get("assignee") != null ? (String) task.get("assignee") : worker;
        assertThat(post(user, "/engine-rest/task/{id}/complete", variables(values), task.get("id")))
                .as("%s completes %s", user, task.get("name")).isEqualTo(204);
    }

    /** A new lead walked by the people whose work it is to a fresh task of the variant. */
    Map<String, Object> fresh(Variant variant) {
        String lifecycle = startLeadByHand("paula", new int[1]);
        assertThat(lifecycle).as("paula starts a lead by hand").isNotNull();
        Map<String, Object> task = openTask(lifecycle, "Task_ReviewMql");
        if (!variant.taskKey().equals("Task_ReviewMql")) {
            completeAsItsWorker(task, "mia", Map.of("reviewDecision", "approve", "reviewNote", "fits"));
            task = openTask(lifecycle, "Task_AcceptLead");
            if (variant.taskKey().equals("Task_FixLeadData")) {
                completeAsItsWorker(task, null, Map.of("acceptDecision", "reject", "rejectReason", "clerical",
                        "rejectComment", "no phone number"));
                task = openTask(lifecycle, "Task_FixLeadData");
            } else if (!variant.taskKey().equals("Task_AcceptLead")) {
                completeAsItsWorker(task, null, Map.of("acceptDecision", "accept"));
                task = openTask(lifecycle, "Task_ContactLead");
                if (variant.taskKey().equals("Task_QualifyLead")) {
                    completeAsItsWorker(task, null, Map.of("contactChannel", "phone", "contactOutcome", "connected",
                            "contactNote", "demo booked"));
                    task = openTask(lifecycle, "Task_QualifyLead");
                }
            }
        }
        restore(task, variant.assignee());
        task.put("lifecycle", lifecycle);
        return task;
    }

    /** The administrator puts the task back to the variant's assignee. */
    void restore(Map<String, Object> task, String assignee) {
        int status = assignee == null ? post("admin", "/engine-rest/task/{id}/unclaim", Map.of(), task.get("id"))
                : post("admin", "/engine-rest/task/{id}/assignee", Map.of("userId", assignee), task.get("id"));
        assertThat(status).as("admin reassigns %s to %s", task.get("name"), assignee).isEqualTo(204);
    }

    static String yes(boolean allowed) {
        return allowed ? "yes" : "no";
    }

    /** What the agreement says each user may do with a task of the variant. */
    static Map<String, Boolean> expected(String user, Variant v) {
        boolean marketer = List.of("mia", "mona").contains(user);
        boolean rep = List.of("sam", "sara", "max").contains(user);
        boolean admin = "admin".equals(user);
        boolean team = admin || (v.marketing() ? marketer : rep);
        boolean manager = admin || (v.marketing() ? "mona".equals(user) : "max".equals(user));
        boolean mineOrFree = v.assignee() == null || v.assignee().equals(user);
        Map<String, Boolean> cell = new LinkedHashMap<>();
        cell.put("see", team);
        cell.put("claim", team && mineOrFree);
        cell.put("complete", team && mineOrFree);
        cell.put("reassign", manager);
        return cell;
    }

    @Test
    void everyUser_mayDoWithEveryTask_exactlyWhatTheAgreementSays() {
        List<String> rows = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        rows.add(String.format("%-26s %-6s %-10s %-10s %-10s %-10s", "task", "user", "see", "claim", "complete", "reassign"));
        for (Variant variant : VARIANTS) {
            for (String user : USERS) {
                Map<String, Object> task = fresh(variant);
                Object id = task.get("id");
                Map<String, Boolean> actual = new LinkedHashMap<>();
                actual.put("see", as(user, http.get().uri("/engine-rest/task/{id}", id)).retrieve().toBodilessEntity()
                        .getStatusCode().value() == 200);
                boolean claimed = post(user, "/engine-rest/task/{id}/claim", Map.of("userId", user), id) == 204;
                actual.put("claim", claimed);
                if (claimed) {
                    restore(task, variant.assignee());
                }
                String colleague = variant.marketing() ? ("mia".equals(user) ? "mona" : "mia") : ("sam".equals(user) ? "max" : "sam");
                boolean reassigned = post(user, "/engine-rest/task/{id}/assignee", Map.of("userId", colleague), id) == 204;
                actual.put("reassign", reassigned);
                if (reassigned) {
                    restore(task, variant.assignee());
                }
                actual.put("complete", post(user, "/engine-rest/task/{id}/complete", variables(variant.completion()), id) == 204);
                Map<String, Boolean> want = expected(user, variant);
                rows.add(String.format("%-26s %-6s %-10s %-10s %-10s %-10s", variant.label(), user,
                        mark(actual, want, "see"), mark(actual, want, "claim"), mark(actual, want, "complete"), mark(actual, want, "reassign")));
                want.forEach((action, allowed) -> {
                    if (!allowed.equals(actual.get(action))) {
                        mismatches.add(user + " " + action + " " + variant.label() + ": expected " + yes(allowed) + ", was " + yes(actual.get(action)));
                    }
                });
                as("admin", http.delete().uri("/engine-rest/process-instance/{id}?skipCustomListeners=true", task.get("lifecycle")))
                        .retrieve().toBodilessEntity();
            }
        }
        System.out.println("Who may do what with each user task (engine-rest, HTTP Basic):\n" + String.join("\n", rows));
        assertThat(mismatches).isEmpty();
    }

    static String mark(Map<String, Boolean> actual, Map<String, Boolean> want, String action) {
        return yes(actual.get(action)) + (actual.get(action).equals(want.get(action)) ? "" : " (!)");
    }

    @Test
    void onlyProcessOwnersAndAdmins_deployAndStartLeadsByHand_andEachGroupOpensItsWebapps() {
        Map<String, Map<String, Boolean>> expected = Map.of(
                "mia", Map.of("tasklist", true, "cockpit", false, "admin", false, "deploy", false, "start", false),
                "mona", Map.of("tasklist", true, "cockpit", true, "admin", false, "deploy", false, "start", false),
                "sam", Map.of("tasklist", true, "cockpit", false, "admin", false, "deploy", false, "start", false),
                "sara", Map.of("tasklist", true, "cockpit", false, "admin", false, "deploy", false, "start", false),
                "max", Map.of("tasklist", true, "cockpit", true, "admin", false, "deploy", false, "start", false),
                "paula", Map.of("tasklist", true, "cockpit", true, "admin", false, "deploy", true, "start", true),
                "admin", Map.of("tasklist", true, "cockpit", true, "admin", true, "deploy", true, "start", true));
        List<String> rows = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        rows.add(String.format("%-6s %-9s %-9s %-9s %-9s %-9s", "user", "tasklist", "cockpit", "admin", "deploy", "start"));
        for (String user : USERS) {
            Map<String, Boolean> actual = new LinkedHashMap<>();
            for (String app : List.of("tasklist", "cockpit", "admin")) {
                Map<String, Object> check = as(user, http.get().uri(
                        "/engine-rest/authorization/check?permissionName=ACCESS&resourceName=application&resourceType=0&resourceId={app}", app))
                        .retrieve().body(MAP);
                actual.put(app, Boolean.TRUE.equals(check.get("authorized")));
            }
            actual.put("deploy", deploy(user) == 200);
            int[] status = new int[1];
            String started = startLeadByHand(user, status);
            actual.put("start", started != null);
            if (started == null) {
                assertThat(status[0]).as("%s starting a lead", user).isEqualTo(403);
            }
            rows.add(String.format("%-6s %-9s %-9s %-9s %-9s %-9s", user, yes(actual.get("tasklist")), yes(actual.get("cockpit")),
                    yes(actual.get("admin")), yes(actual.get("deploy")), yes(actual.get("start"))));
            expected.get(user).forEach((what, allowed) -> {
                if (!allowed.equals(actual.get(what))) {
                    mismatches.add(user + " " + what + ": expected " + yes(allowed));
                }
            });
        }
        System.out.println("Webapps, deploying (as Camunda Modeler does) and starting a lead by hand:\n" + String.join("\n", rows));
        assertThat(mismatches).isEmpty();
    }

    /** The request Camunda Modeler sends: POST /engine-rest/deployment/create, multipart. */
    int deploy(String user) {
        String bpmn = """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_AuthzProbe" targetNamespace="http://leadflow.io/test">
                  <bpmn:process id="authzProbe" name="Authorization probe" isExecutable="true" camunda:historyTimeToLive="P1D">
                    <bpmn:startEvent id="StartEvent_Probed"/>
                  </bpmn:process>
                </bpmn:definitions>
                """;
        LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("deployment-name", "authz-probe-" + user);
        parts.add("deployment-source", "Camunda Modeler");
        parts.add("data", new ByteArrayResource(bpmn.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return "authz-probe.bpmn";
            }
        });
        return as(user, http.post().uri("/engine-rest/deployment/create").contentType(MediaType.MULTIPART_FORM_DATA).body(parts))
                .retrieve().toBodilessEntity().getStatusCode().value();
    }

    @Test
    void aRep_cannotCompleteAColleaguesTask_butCompletesHisOwn() {
        Map<String, Object> sarasTask = fresh(VARIANTS.get(2));
        var refused = as("sam", http.post().uri("/engine-rest/task/{id}/complete", sarasTask.get("id"))
                .contentType(MediaType.APPLICATION_JSON).body(variables(Map.of("acceptDecision", "accept")))).retrieve().toEntity(MAP);
        assertThat(refused.getStatusCode().value()).isEqualTo(403);
        assertThat((String) refused.getBody().get("detail")).contains("assigned to sara");
        // nor can he take it: releasing someone else's task is reassigning it (refused by leadflow's guard, which
        // names the assignee; the engine's own refusal would not), and a claimed task cannot be claimed again
        var released = as("sam", http.post().uri("/engine-rest/task/{id}/unclaim", sarasTask.get("id"))
                .contentType(MediaType.APPLICATION_JSON).body(Map.of())).retrieve().toEntity(MAP);
        assertThat(released.getStatusCode().value()).isEqualTo(403);
        assertThat((String) released.getBody().get("detail")).contains("assigned to sara", "may release it");
        assertThat(post("sam", "/engine-rest/task/{id}/claim", Map.of("userId", "sam"), sarasTask.get("id"))).isNotEqualTo(204);
        // a claim for nobody is the engine's other way to release a task (it checks only the candidate's TASK_WORK)
        for (String body : List.of("{}", "{\"userId\": null}")) {
            var releasedByClaim = as("sam", http.post().uri("/engine-rest/task/{id}/claim", sarasTask.get("id"))
                    .contentType(MediaType.APPLICATION_JSON).body(body)).retrieve().toEntity(MAP);
            assertThat(releasedByClaim.getStatusCode().value()).as("claim with %s", body).isEqualTo(403);
            assertThat((String) releasedByClaim.getBody().get("detail")).contains("assigned to sara", "may release it");
        }
        assertThat(taskAssignee(sarasTask)).isEqualTo("sara");

        restore(sarasTask, "sam");
        assertThat(post("sam", "/engine-rest/task/{id}/complete", variables(Map.of("acceptDecision", "accept")), sarasTask.get("id")))
                .isEqualTo(204);
    }

    @Test
    void aRep_claimsAnOpenTaskForHimself_butNotForAColleague_whileAManagerAssignsIt() {
        Map<String, Object> open = fresh(VARIANTS.get(3)); // Accept lead, unassigned, sales candidates

        var forSara = as("sam", http.post().uri("/engine-rest/task/{id}/claim", open.get("id"))
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("userId", "sara"))).retrieve().toEntity(MAP);
        assertThat(forSara.getStatusCode().value()).isEqualTo(403);
        assertThat((String) forSara.getBody().get("detail")).contains("can be claimed only for yourself");
        assertThat(taskAssignee(open)).as("nobody got the task").isNull();

        assertThat(post("max", "/engine-rest/task/{id}/claim", Map.of("userId", "sara"), open.get("id")))
                .as("the sales manager assigns it to sara").isEqualTo(204);
        assertThat(taskAssignee(open)).isEqualTo("sara");
        restore(open, null);
        assertThat(post("sam", "/engine-rest/task/{id}/claim", Map.of("userId", "sam"), open.get("id"))).isEqualTo(204);
        assertThat(taskAssignee(open)).isEqualTo("sam");
    }

    @Test
    void aMatrixParameterInThePath_isRefused_soNoGuardIsGoneAround() {
        Map<String, Object> sarasTask = fresh(VARIANTS.get(2)); // Accept lead, sara's
        long lifecycles = runtimeLifecycles();
        String task = "http://localhost:" + port + "/engine-rest/task/" + sarasTask.get("id") + "/";
        Map<String, Object> accept = variables(Map.of("acceptDecision", "accept", "salesRep", "sam"));
        Map<String, Object> nobody = new HashMap<>();
        nobody.put("userId", null);

        // JAX-RS routes complete;x to complete: without the refusal these ran unchecked
        Map<String, Object> attempts = new LinkedHashMap<>();
        attempts.put("complete;x", accept);
        attempts.put("complete;jsessionid=x", accept);
        attempts.put("submit-form;x", accept);
        attempts.put("claim;x", nobody);
        attempts.put("unclaim;x", Map.of());
        attempts.put("bpmnError;x", Map.of("errorCode", "x"));
        attempts.forEach((action, body) -> {
            var refused = as("sam", http.post().uri(java.net.URI.create(task + action)).contentType(MediaType.APPLICATION_JSON).body(body))
                    .retrieve().toEntity(MAP);
            assertThat(refused.getStatusCode().value()).as(action).isEqualTo(400);
            assertThat((String) refused.getBody().get("detail")).as(action).contains("matrix parameter");
        });
        assertThat(taskAssignee(sarasTask)).as("the task is still open and sara's").isEqualTo("sara");

        String definitionId = (String) as("admin", http.get().uri("/engine-rest/process-definition/key/leadLifecycle")).retrieve()
                .body(MAP).get("id");
        var midway = as("paula", http.post().uri(java.net.URI.create("http://localhost:" + port
                        + "/engine-rest/process-definition/key/leadLifecycle/start;x")).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("startInstructions", List.of(Map.of("type", "startBeforeActivity", "activityId", "Task_QualifyLead")))))
                .retrieve().toEntity(MAP);
        var restart = as("paula", http.post().uri(java.net.URI.create("http://localhost:" + port + "/engine-rest/process-definition/"
                        + definitionId + "/restart;x")).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("processInstanceIds", List.of("any-ended-lifecycle"),
                        "instructions", List.of(Map.of("type", "startBeforeActivity", "activityId", "Task_AcceptLead")))))
                .retrieve().toEntity(MAP);
        assertThat(midway.getStatusCode().value()).isEqualTo(400);
        assertThat(restart.getStatusCode().value()).isEqualTo(400);
        assertThat(runtimeLifecycles()).as("nothing started").isEqualTo(lifecycles);
    }

    @Test
    void aManager_findsTheUserATaskGoesTo_asTasklistsSetAssigneeLooksItUpFirst() {
        // Tasklist's "Set assignee" asks for the user before it takes the name; an empty answer leaves the field red
        for (Map.Entry<String, String> lookUp : Map.of("max", "sam", "mona", "mia").entrySet()) {
            List<Map<String, Object>> found = as(lookUp.getKey(), http.get().uri("/engine-rest/user?maxResults=1&id={id}", lookUp.getValue()))
                    .retrieve().body(LIST);
            assertThat(found).as("%s looks up %s", lookUp.getKey(), lookUp.getValue()).extracting(u -> u.get("id"))
                    .containsExactly(lookUp.getValue());
        }
    }

    @Test
    void aManager_setsAFollowUpDateAsTasklistSendsIt_wholeTaskWithItsFormReference_butTheSlaDueDateStays() {
        Map<String, Object> acceptance = fresh(VARIANTS.get(3)); // Accept lead, unassigned, sales' work
        // Tasklist reads the task and sends all of it back with the changed date
        Map<String, Object> whole = as("max", http.get().uri("/engine-rest/task/{id}", acceptance.get("id"))).retrieve().body(MAP);
        assertThat(whole).containsKey("camundaFormRef");
        Object due = whole.get("due");
        assertThat(due).isNotNull();

        Map<String, Object> followUp = new HashMap<>(whole);
        followUp.put("followUp", "2030-12-02T09:00:00.000+0100");
        ResponseEntity<String> set = as("max", http.put().uri("/engine-rest/task/{id}", acceptance.get("id"))
                .contentType(MediaType.APPLICATION_JSON).body(followUp)).retrieve().toEntity(String.class);
        assertThat(set.getStatusCode().value()).as("%s", set.getBody()).isEqualTo(204);
        Map<String, Object> after = as("max", http.get().uri("/engine-rest/task/{id}", acceptance.get("id"))).retrieve().body(MAP);
        assertThat((String) after.get("followUp")).startsWith("2030-12-02T");
        assertThat(after.get("due")).isEqualTo(due);

        Map<String, Object> moved = new HashMap<>(whole);
        moved.put("due", "2030-12-24T17:00:00.000+0100");
        ResponseEntity<Map<String, Object>> refused = as("max", http.put().uri("/engine-rest/task/{id}", acceptance.get("id"))
                .contentType(MediaType.APPLICATION_JSON).body(moved)).retrieve().toEntity(MAP);
        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getBody().get("errors").toString()).contains("due").contains("SLA deadline");
        assertThat((String) refused.getBody().get("detail")).startsWith("The due date is the SLA deadline");

        // a rep of the team is told in words what the engine would answer with permission names and resource ids
        ResponseEntity<Map<String, Object>> byRep = as("sam", http.put().uri("/engine-rest/task/{id}", acceptance.get("id"))
                .contentType(MediaType.APPLICATION_JSON).body(followUp)).retrieve().toEntity(MAP);
        assertThat(byRep.getStatusCode().value()).isEqualTo(403);
        assertThat((String) byRep.getBody().get("detail")).startsWith("Only the team's managers change a task's dates and details")
                .doesNotContain("permission");
        assertThat(as("max", http.get().uri("/engine-rest/task/{id}", acceptance.get("id"))).retrieve().body(MAP).get("due"))
                .as("unchanged").isEqualTo(due);
    }

    @Test
    void aManager_givesATaskOnlyToAMemberOfItsTeam_notToTheOtherTeamOrANameNobodyHas() {
        Map<String, Object> acceptance = fresh(VARIANTS.get(3)); // Accept lead, unassigned, sales' work
        Map<String, Object> review = fresh(VARIANTS.get(0));     // Review MQL, marketing's work

        Map<String, Integer> refusals = new LinkedHashMap<>();
        refusals.put("max gives Accept lead to mia (marketing)",
                post("max", "/engine-rest/task/{id}/assignee", Map.of("userId", "mia"), acceptance.get("id")));
        refusals.put("max gives Accept lead to a user nobody has",
                post("max", "/engine-rest/task/{id}/assignee", Map.of("userId", "ghost-nobody"), acceptance.get("id")));
        refusals.put("max claims Accept lead for mia", post("max", "/engine-rest/task/{id}/claim", Map.of("userId", "mia"), acceptance.get("id")));
        refusals.put("max delegates Accept lead to mia",
                post("max", "/engine-rest/task/{id}/delegate", Map.of("userId", "mia"), acceptance.get("id")));
        refusals.put("mona gives Review MQL to sam (sales)", post("mona", "/engine-rest/task/{id}/assignee", Map.of("userId", "sam"), review.get("id")));
        refusals.put("max updates Accept lead with assignee mia", as("max", http.put().uri("/engine-rest/task/{id}", acceptance.get("id"))
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("name", "Accept lead", "assignee", "mia", "priority", 50)))
                .retrieve().toBodilessEntity().getStatusCode().value());

        assertThat(refusals).allSatisfy((what, status) -> assertThat(status).as(what).isEqualTo(400));
        assertThat(taskAssignee(acceptance)).as("nobody got Accept lead").isNull();
        assertThat(taskAssignee(review)).as("nobody got Review MQL").isNull();

        assertThat(post("max", "/engine-rest/task/{id}/assignee", Map.of("userId", "sara"), acceptance.get("id")))
                .as("a rep of the team").isEqualTo(204);
        assertThat(post("mona", "/engine-rest/task/{id}/assignee", Map.of("userId", "mia"), review.get("id"))).isEqualTo(204);
        assertThat(taskAssignee(acceptance)).isEqualTo("sara");
    }

    @Test
    void aManager_cannotGoAroundTheTeamRule_byIdentityLinksOrTheOwner_norClearOrRollTheSlaDueDate() {
        Map<String, Object> acceptance = fresh(VARIANTS.get(3)); // Accept lead, unassigned, sales' work
        Object id = acceptance.get("id");
        Object due = acceptance.get("due");
        assertThat(due).isNotNull();

        Map<String, Integer> refusals = new LinkedHashMap<>();
        refusals.put("max makes mia (marketing) the assignee by an identity link",
                post("max", "/engine-rest/task/{id}/identity-links", Map.of("userId", "mia", "type", "assignee"), id));
        refusals.put("max makes mia (marketing) the owner by an identity link",
                post("max", "/engine-rest/task/{id}/identity-links", Map.of("userId", "mia", "type", "owner"), id));
        refusals.put("max adds marketing as a candidate group",
                post("max", "/engine-rest/task/{id}/identity-links", Map.of("groupId", "marketing", "type", "candidate"), id));
        refusals.put("max adds mia as a candidate user",
                post("max", "/engine-rest/task/{id}/identity-links", Map.of("userId", "mia", "type", "candidate"), id));
        refusals.put("max removes sales as a candidate group",
                post("max", "/engine-rest/task/{id}/identity-links/delete", Map.of("groupId", "sales", "type", "candidate"), id));
        Map<String, Object> whole = as("max", http.get().uri("/engine-rest/task/{id}", id)).retrieve().body(MAP);
        whole.remove("camundaFormRef");
        Map<String, Object> owner = new HashMap<>(whole);
        owner.put("owner", "mia");
        owner.put("delegationState", "PENDING");
        Map<String, Object> rolled = new HashMap<>(whole);
        rolled.put("due", "2030-12-32T12:00:00.000+0000"); // the REST API reads it as 1 January 2031
        Map<String, Object> withoutDue = new HashMap<>(whole);
        withoutDue.remove("due");
        for (Map.Entry<String, Map<String, Object>> put : Map.of("owner mia", owner, "a due date of 32 December", rolled,
                "no due date", withoutDue).entrySet()) {
            refusals.put("max updates Accept lead with " + put.getKey(), as("max", http.put().uri("/engine-rest/task/{id}", id)
                    .contentType(MediaType.APPLICATION_JSON).body(put.getValue())).retrieve().toBodilessEntity().getStatusCode().value());
        }

        assertThat(refusals).containsEntry("max adds marketing as a candidate group", 403)
                .containsEntry("max adds mia as a candidate user", 403).containsEntry("max removes sales as a candidate group", 403);
        refusals.forEach((what, status) -> assertThat(status).as(what).isEqualTo(what.contains("candidate") ? 403 : 400));
        Map<String, Object> after = as("max", http.get().uri("/engine-rest/task/{id}", id)).retrieve().body(MAP);
        assertThat(after.get("assignee")).isNull();
        assertThat(after.get("owner")).isNull();
        assertThat(after.get("due")).isEqualTo(due);
        assertThat(taskService.getIdentityLinksForTask((String) id)).filteredOn(link -> "candidate".equals(link.getType()))
                .extracting(org.camunda.bpm.engine.task.IdentityLink::getGroupId).containsExactly("sales");
        assertThat(as("mia", http.get().uri("/engine-rest/task?taskId={id}&firstResult=0&maxResults=10", id)).retrieve().body(LIST)).as("mia never sees it").isEmpty();

        // within the team an identity link is as good as Set assignee
        assertThat(post("max", "/engine-rest/task/{id}/identity-links", Map.of("userId", "sara", "type", "assignee"), id)).isEqualTo(204);
        assertThat(taskAssignee(acceptance)).isEqualTo("sara");
    }

    @Test
    void noUserButAnAdministrator_startsAProcessWithoutStartForm_orSendsAMessageOrSignal_evenWithTheEnginesPermission() {
        // a process leadflow starts itself, and the engine's permission to start it (as an operator might grant it)
        String deployment = repositoryService.createDeployment().addModelInstance("started-by-the-app.bpmn",
                org.camunda.bpm.model.bpmn.Bpmn.createExecutableProcess("startedByTheApp").camundaHistoryTimeToLive(1)
                        .startEvent().userTask("Task_Wait").endEvent().done()).deploy().getId();
        org.camunda.bpm.engine.authorization.Authorization grant = authorizationService.createNewAuthorization(
                org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT);
        grant.setGroupId("processOwners");
        grant.setResource(org.camunda.bpm.engine.authorization.Resources.PROCESS_DEFINITION);
        grant.setResourceId("startedByTheApp");
        grant.addPermission(org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions.CREATE_INSTANCE);
        authorizationService.saveAuthorization(grant);
        try {
            String victim = (String) as("admin", http.get().uri("/engine-rest/process-instance/{id}",
                    startLeadByHand("paula", new int[1]))).retrieve().body(MAP).get("businessKey");
            Map<String, Object> start = Map.of("businessKey", victim, "variables", Map.of("leadId", Map.of("value", "any-lead")));

            ResponseEntity<Map<String, Object>> started = as("paula", http.post().uri("/engine-rest/process-definition/key/startedByTheApp/start")
                    .contentType(MediaType.APPLICATION_JSON).body(start)).retrieve().toEntity(MAP);
            ResponseEntity<Map<String, Object>> message = as("paula", http.post().uri("/engine-rest/message").contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("messageName", "leadDoNotContact", "businessKey", victim))).retrieve().toEntity(MAP);
            ResponseEntity<Map<String, Object>> signal = as("max", http.post().uri("/engine-rest/signal").contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("name", "anything"))).retrieve().toEntity(MAP);

            assertThat(started.getStatusCode().value()).isEqualTo(403);
            assertThat((String) started.getBody().get("detail")).contains("has no start form: leadflow starts it itself");
            assertThat(message.getStatusCode().value()).isEqualTo(403);
            assertThat(signal.getStatusCode().value()).isEqualTo(403);
            assertThat(post("mia", "/engine-rest/telemetry/configuration", Map.of("enableTelemetry", true)))
                    .as("the installation's telemetry").isEqualTo(403);
            // a start that names a lead's number as its business key: one of that lead's processes, its steps on that lead
            ResponseEntity<Map<String, Object>> keyed = as("paula", http.post().uri("/engine-rest/process-definition/key/leadLifecycle/submit-form")
                    .contentType(MediaType.APPLICATION_JSON).body(Map.of("businessKey", victim, "variables", Map.of()))).retrieve().toEntity(MAP);
            assertThat(keyed.getStatusCode().value()).isEqualTo(400);
            assertThat(keyed.getBody().get("errors").toString()).contains("businessKey");
            assertThat((String) signal.getBody().get("detail")).contains("sent by leadflow itself");
            assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey("startedByTheApp").count()).isZero();
            // an administrator may
            assertThat(as("admin", http.post().uri("/engine-rest/process-definition/key/startedByTheApp/start")
                    .contentType(MediaType.APPLICATION_JSON).body(Map.of())).retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(200);
        } finally {
            authorizationService.deleteAuthorization(grant.getId());
            repositoryService.deleteDeployment(deployment, true);
        }
    }

    @Test
    void aProcessOwner_deploysButDoesNotDeleteADeployment_whichWouldTakeEveryLeadsProcessOnItsVersionsWithIt() {
        org.springframework.util.LinkedMultiValueMap<String, Object> parts = new org.springframework.util.LinkedMultiValueMap<>();
        parts.add("deployment-name", "owners-form");
        parts.add("owners-form.form", new org.springframework.core.io.ByteArrayResource(
                "{\"id\": \"ownersForm\", \"type\": \"default\", \"components\": []}".getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return "owners-form.form";
            }
        });
        ResponseEntity<Map<String, Object>> deployed = as("paula", http.post().uri("/engine-rest/deployment/create")
                .contentType(MediaType.MULTIPART_FORM_DATA).body(parts)).retrieve().toEntity(MAP);
        assertThat(deployed.getStatusCode().value()).as("%s", deployed.getBody()).isEqualTo(200);
        String id = (String) deployed.getBody().get("id");
        try {
            ResponseEntity<Map<String, Object>> deleted = as("paula", http.delete().uri("/engine-rest/deployment/{id}?cascade=true", id))
                    .retrieve().toEntity(MAP);
            assertThat(deleted.getStatusCode().value()).isEqualTo(403);
            assertThat((String) deleted.getBody().get("detail")).contains("Deleting a deployment");
            assertThat(repositoryService.createDeploymentQuery().deploymentId(id).count()).isEqualTo(1);
        } finally {
            repositoryService.deleteDeployment(id, true);
        }
    }

    @Test
    void aRep_cannotCommentOnOrAttachALinkToAColleaguesTask_butOnHisOwn_andTheManagerOnEither() {
        Map<String, Object> sarasTask = fresh(VARIANTS.get(4)); // Contact lead (sara's)
        Object id = sarasTask.get("id");

        ResponseEntity<Map<String, Object>> comment = as("sam", http.post().uri("/engine-rest/task/{id}/comment/create", id)
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("message", "call me at evil.example"))).retrieve().toEntity(MAP);
        org.springframework.util.LinkedMultiValueMap<String, Object> link = new org.springframework.util.LinkedMultiValueMap<>();
        link.add("attachment-name", "offer");
        link.add("url", "http://evil.example/login");
        int attachment = as("sam", http.post().uri("/engine-rest/task/{id}/attachment/create", id)
                .contentType(MediaType.MULTIPART_FORM_DATA).body(link)).retrieve().toBodilessEntity().getStatusCode().value();

        assertThat(comment.getStatusCode().value()).isEqualTo(403);
        assertThat((String) comment.getBody().get("detail")).contains("is assigned to sara");
        assertThat(attachment).isEqualTo(403);
        assertThat(as("admin", http.get().uri("/engine-rest/task/{id}/comment", id)).retrieve().body(LIST)).isEmpty();
        assertThat(as("admin", http.get().uri("/engine-rest/task/{id}/attachment", id)).retrieve().body(LIST)).isEmpty();

        assertThat(post("sara", "/engine-rest/task/{id}/comment/create", Map.of("message", "left a voicemail"), id)).isEqualTo(200);
        assertThat(post("max", "/engine-rest/task/{id}/comment/create", Map.of("message", "try again Monday"), id)).isEqualTo(200);
    }

    @Test
    void aColleague_cannotRewordOrDeleteARepsCommentsOrAttachments_norReadThemFromAnotherTeam_butTheRepAndTheManagerMay() {
        Map<String, Object> sarasTask = fresh(VARIANTS.get(4)); // Contact lead (sara's)
        Object id = sarasTask.get("id");
        Map<String, Object> comment = as("sara", http.post().uri("/engine-rest/task/{id}/comment/create", id)
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("message", "left a voicemail"))).retrieve().body(MAP);
        var link = new org.springframework.util.LinkedMultiValueMap<String, Object>();
        link.add("attachment-name", "offer");
        link.add("url", "https://offers.example/2027");
        Map<String, Object> attachment = as("sara", http.post().uri("/engine-rest/task/{id}/attachment/create", id)
                .contentType(MediaType.MULTIPART_FORM_DATA).body(link)).retrieve().body(MAP);
        Object commentId = comment.get("id");
        Object attachmentId = attachment.get("id");

        Map<String, Integer> refused = new LinkedHashMap<>();
        refused.put("sam rewords sara's comment", status(as("sam", http.put().uri("/engine-rest/task/{id}/comment", id)
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("id", commentId, "message", "see http://evil.example/login")))));
        refused.put("sam deletes sara's comment", status(as("sam", http.delete().uri("/engine-rest/task/{id}/comment/{c}", id, commentId))));
        refused.put("sam deletes all comments", status(as("sam", http.delete().uri("/engine-rest/task/{id}/comment", id))));
        refused.put("sam deletes sara's attachment", status(as("sam", http.delete().uri("/engine-rest/task/{id}/attachment/{a}", id, attachmentId))));
        Map<String, Integer> unseen = new LinkedHashMap<>();
        unseen.put("mia reads the attachment", status(as("mia", http.get().uri("/engine-rest/task/{id}/attachment/{a}", id, attachmentId))));
        unseen.put("mia reads its file", status(as("mia", http.get().uri("/engine-rest/task/{id}/attachment/{a}/data", id, attachmentId))));
        unseen.put("mia deletes it", status(as("mia", http.delete().uri("/engine-rest/task/{id}/attachment/{a}", id, attachmentId))));
        unseen.put("mia reads the comment", status(as("mia", http.get().uri("/engine-rest/task/{id}/comment/{c}", id, commentId))));

        assertThat(refused).allSatisfy((what, status) -> assertThat(status).as(what).isEqualTo(403));
        assertThat(unseen).allSatisfy((what, status) -> assertThat(status).as(what).isEqualTo(404));
        assertThat(taskService.getTaskComment((String) id, (String) commentId).getFullMessage()).isEqualTo("left a voicemail");
        assertThat(taskService.getTaskAttachment((String) id, (String) attachmentId)).isNotNull();

        assertThat(status(as("sam", http.get().uri("/engine-rest/task/{id}/attachment/{a}", id, attachmentId))))
                .as("the team reads it").isEqualTo(200);
        assertThat(status(as("sara", http.put().uri("/engine-rest/task/{id}/comment", id).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("id", commentId, "message", "left a voicemail, call back Monday"))))).as("her own").isEqualTo(204);
        assertThat(status(as("max", http.delete().uri("/engine-rest/task/{id}/attachment/{a}", id, attachmentId))))
                .as("the team's manager").isEqualTo(204);
    }

    @Test
    void aRep_givingATaskToSomeone_isRefusedAlike_whetherTheNameExistsOrIsOfTheTeam() {
        Map<String, Object> sarasTask = fresh(VARIANTS.get(2)); // Accept lead, sara's
        Map<String, Map<String, Object>> answers = new LinkedHashMap<>();
        for (String to : List.of("nobody42", "mia", "sam", "admin")) {
            for (String action : List.of("delegate", "assignee")) {
                answers.put(action + " to " + to, as("sara", http.post().uri("/engine-rest/task/{id}/" + action, sarasTask.get("id"))
                        .contentType(MediaType.APPLICATION_JSON).body(Map.of("userId", to))).retrieve().toEntity(MAP).getBody());
            }
        }
        assertThat(answers.values()).allSatisfy(body -> assertThat(body).containsEntry("status", 403));
        assertThat(answers.values().stream().map(body -> body.get("detail")).distinct()).as("one answer, naming nobody").hasSize(1);
        assertThat(taskAssignee(sarasTask)).isEqualTo("sara");

        // Tasklist's × beside sara's name, clicked by sam: a release, refused in words, not in permission names
        Map<String, Object> reset = new HashMap<>();
        reset.put("userId", null);
        var released = as("sam", http.post().uri("/engine-rest/task/{id}/assignee", sarasTask.get("id"))
                .contentType(MediaType.APPLICATION_JSON).body(reset)).retrieve().toEntity(MAP);
        assertThat(released.getStatusCode().value()).isEqualTo(403);
        assertThat((String) released.getBody().get("detail")).isEqualTo("Task '" + sarasTask.get("name")
                + "' is assigned to sara: only sara or a manager may release it. Nothing was changed");
        assertThat(taskAssignee(sarasTask)).isEqualTo("sara");
    }

    @Test
    void aManager_cannotRenameOrRewriteATeamTask_onlyItsPeopleAndFollowUpDate() {
        Map<String, Object> sarasTask = fresh(VARIANTS.get(2)); // Accept lead, sara's
        Object id = sarasTask.get("id");
        Map<String, Object> whole = as("max", http.get().uri("/engine-rest/task/{id}", id)).retrieve().body(MAP);
        Map<String, Map<String, Object>> changes = new LinkedHashMap<>();
        for (var field : Map.of("name", "URGENT: call http://evil.example", "description", "changed", "priority", 100).entrySet()) {
            Map<String, Object> changed = new HashMap<>(whole);
            changed.put(field.getKey(), field.getValue());
            changes.put(field.getKey(), as("max", http.put().uri("/engine-rest/task/{id}", id).contentType(MediaType.APPLICATION_JSON)
                    .body(changed)).retrieve().toEntity(MAP).getBody());
        }
        Map<String, Object> nameless = new HashMap<>(whole);
        nameless.remove("name");
        changes.put("no name", as("max", http.put().uri("/engine-rest/task/{id}", id).contentType(MediaType.APPLICATION_JSON)
                .body(nameless)).retrieve().toEntity(MAP).getBody());

        changes.forEach((what, body) -> assertThat(body).as(what).containsEntry("status", 400));
        assertThat(changes.get("name").get("errors")).asString().contains("field=name");
        Map<String, Object> after = as("max", http.get().uri("/engine-rest/task/{id}", id)).retrieve().body(MAP);
        assertThat(after.get("name")).isEqualTo(whole.get("name"));
        assertThat(after.get("priority")).isEqualTo(whole.get("priority"));
        assertThat(after.get("description")).isEqualTo(whole.get("description"));
    }

    @Test
    void cockpitsHumanTasks_countsAManagersTeamTasks_insteadOfA403() {
        fresh(VARIANTS.get(2)); // an Accept lead (sales) and, before it, a Review MQL done
        fresh(VARIANTS.get(0)); // a Review MQL (marketing)
        for (var manager : Map.of("max", "sales", "mona", "marketing").entrySet()) {
            var report = as(manager.getKey(), http.get().uri("/engine-rest/task/report/candidate-group-count")).retrieve().toEntity(LIST);
            assertThat(report.getStatusCode().value()).as(manager.getKey()).isEqualTo(200);
            Map<String, Object> count = as(manager.getKey(), http.get().uri(
                    "/engine-rest/task/count?candidateGroup={g}&includeAssignedTasks=true", manager.getValue())).retrieve().body(MAP);
            assertThat(report.getBody()).as(manager.getKey()).anySatisfy(row -> {
                assertThat(row.get("groupName")).isEqualTo(manager.getValue());
                assertThat(row.get("taskCount")).isEqualTo(count.get("count"));
            });
            assertThat(((Number) count.get("count")).longValue()).isPositive();
            assertThat(report.getBody()).extracting(row -> row.get("groupName")).as("only their team's")
                    .doesNotContain("max".equals(manager.getKey()) ? "marketing" : "sales");
        }
        assertThat(status(as("sam", http.get().uri("/engine-rest/task/report/candidate-group-count")))).as("no manager").isEqualTo(403);
    }

    int status(org.springframework.web.client.RestClient.RequestHeadersSpec<?> request) {
        return request.retrieve().toBodilessEntity().getStatusCode().value();
    }

    @Test
    void noTask_endsByABpmnErrorOrEscalation_whichWouldSkipWhatCompletingRecords() {
        Map<String, Object> sarasTask = fresh(VARIANTS.get(2)); // Accept lead, sara's

        for (String user : List.of("sara", "sam", "admin")) {
            for (String thrown : List.of("bpmnError", "bpmnEscalation")) {
                var refused = as(user, http.post().uri("/engine-rest/task/{id}/" + thrown, sarasTask.get("id"))
                        .contentType(MediaType.APPLICATION_JSON).body(Map.of(thrown.equals("bpmnError") ? "errorCode" : "escalationCode", "x",
                                "variables", Map.of("acceptDecision", Map.of("value", "accept"))))).retrieve().toEntity(MAP);
                assertThat(refused.getStatusCode().value()).as("%s by %s", thrown, user).isEqualTo(403);
                assertThat((String) refused.getBody().get("detail")).contains("event that catches it");
            }
        }
        assertThat(taskAssignee(sarasTask)).as("the task is still open and sara's").isEqualTo("sara");
    }

    @Test
    void aLeadStartsAtItsStartEvent_andNoEndedLifecycleIsRestartedButByAnAdministrator() {
        long lifecycles = runtimeLifecycles();
        // no variables of its own for the form check to see: the instruction carries them
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("startInstructions", List.of(Map.of("type", "startBeforeActivity", "activityId", "Task_QualifyLead",
                "variables", variables(Map.of("salesRep", "paula", "leadId", "no-such-lead")).get("variables"))));

        var midway = as("paula", http.post().uri("/engine-rest/process-definition/key/leadLifecycle/start")
                .contentType(MediaType.APPLICATION_JSON).body(body)).retrieve().toEntity(MAP);
        assertThat(midway.getStatusCode().value()).as("a start at Qualify lead, past capture, scoring and routing").isEqualTo(400);
        assertThat((String) midway.getBody().get("detail")).contains("startInstructions");
        var skipping = as("paula", http.post().uri("/engine-rest/process-definition/key/leadLifecycle/start")
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("skipCustomListeners", true))).retrieve().toEntity(MAP);
        assertThat(skipping.getStatusCode().value()).isEqualTo(400);

        String definitionId = (String) as("admin", http.get().uri("/engine-rest/process-definition/key/leadLifecycle")).retrieve()
                .body(MAP).get("id");
        var restart = as("paula", http.post().uri("/engine-rest/process-definition/{id}/restart", definitionId)
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("processInstanceIds", List.of("any-ended-lifecycle"),
                        "instructions", List.of(Map.of("type", "startBeforeActivity", "activityId", "Task_AcceptLead")))))
                .retrieve().toEntity(MAP);
        assertThat(restart.getStatusCode().value()).isEqualTo(403);
        assertThat((String) restart.getBody().get("detail")).contains("only an administrator");
        // the same resource under the definition's key
        var byKey = as("paula", http.post().uri("/engine-rest/process-definition/key/leadLifecycle/restart")
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("processInstanceIds", List.of("any-ended-lifecycle"),
                        "instructions", List.of(Map.of("type", "startBeforeActivity", "activityId", "Task_AcceptLead")))))
                .retrieve().toEntity(MAP);
        assertThat(byKey.getStatusCode().value()).isEqualTo(403);
        assertThat((String) byKey.getBody().get("detail")).contains("only an administrator");
        assertThat(runtimeLifecycles()).as("nothing started").isEqualTo(lifecycles);
    }

    long runtimeLifecycles() {
        return ((Number) as("admin", http.get().uri("/engine-rest/process-instance/count?processDefinitionKey=leadLifecycle"))
                .retrieve().body(MAP).get("count")).longValue();
    }

    String taskAssignee(Map<String, Object> task) {
        return (String) as("admin", http.get().uri("/engine-rest/task/{id}", task.get("id"))).retrieve().body(MAP).get("assignee");
    }

    @Test
    void aCompletion_setsOnlyTheFieldsOfItsForm_notTheRepOrTheScores() {
        Map<String, Object> task = fresh(VARIANTS.get(2));
        Map<String, Object> values = new HashMap<>(Map.of("acceptDecision", "accept", "salesRep", "sara", "leadScore", 99));
        var refused = as("sara", http.post().uri("/engine-rest/task/{id}/complete", task.get("id"))
                .contentType(MediaType.APPLICATION_JSON).body(variables(values))).retrieve().toEntity(MAP);

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(((List<?>) refused.getBody().get("errors")).stream().map(e -> String.valueOf(((Map<?, ?>) e).get("field"))).toList())
                .containsExactly("leadScore", "salesRep");
        assertThat(as("sara", http.get().uri("/engine-rest/task/{id}", task.get("id"))).retrieve().toBodilessEntity()
                .getStatusCode().value()).as("the task is still open").isEqualTo(200);

        // the same through submit-form, and a start by hand that tries to set the stage
        assertThat(post("sara", "/engine-rest/task/{id}/submit-form", variables(Map.of("acceptDecision", "accept", "stage", "SQL")),
                task.get("id"))).isEqualTo(400);
        Map<String, Object> start = new HashMap<>(Map.of("email", "stage-" + System.nanoTime() + "@example.com", "firstName", "A",
                "lastName", "B", "companyName", "C", "companySize", 10, "country", "DE", "leadScore", 100));
        assertThat(post("paula", "/engine-rest/process-definition/key/leadLifecycle/submit-form", variables(start))).isEqualTo(400);
    }

    @Test
    void everyGroup_seesItsTasklistFilters_andTheyRunWithoutExpressions() {
        Function<String, List<String>> filterNames = user -> as(user, http.get().uri("/engine-rest/filter?resourceType=Task&firstResult=0&maxResults=100"))
                .retrieve().body(LIST).stream().map(f -> (String) f.get("name")).toList();
        assertThat(filterNames.apply("mia")).contains(TasklistFilters.MY_TASKS, TasklistFilters.OPEN_TASKS, TasklistFilters.MARKETING_TASKS)
                .doesNotContain(TasklistFilters.SALES_TASKS);
        assertThat(filterNames.apply("sam")).contains(TasklistFilters.MY_TASKS, TasklistFilters.OPEN_TASKS, TasklistFilters.SALES_TASKS)
                .doesNotContain(TasklistFilters.MARKETING_TASKS);
        assertThat(filterNames.apply("max")).contains(TasklistFilters.SALES_TASKS);
        assertThat(filterNames.apply("mona")).contains(TasklistFilters.MARKETING_TASKS);

        Map<String, Object> sarasTask = fresh(VARIANTS.get(2));
        List<Map<String, Object>> sarasFilters = as("sara", http.get().uri("/engine-rest/filter?resourceType=Task&firstResult=0&maxResults=100"))
                .retrieve().body(LIST);
        assertThat(sarasFilters).extracting(f -> f.get("name")).contains(TasklistFilters.MY_TASKS);
        for (Map<String, Object> filter : sarasFilters) {
            var result = as("sara", http.get().uri("/engine-rest/filter/{id}/list?firstResult=0&maxResults=50", filter.get("id")))
                    .retrieve().toEntity(String.class);
            assertThat(result.getStatusCode().value()).as("filter %s runs", filter.get("name")).isEqualTo(200);
            if (TasklistFilters.MY_TASKS.equals(filter.get("name"))) {
                assertThat(result.getBody()).contains((String) sarasTask.get("id"));
            }
        }
        // a list without a page is refused (queryMaxResultsLimit), and so is a stored expression
        assertThat(as("sam", http.get().uri("/engine-rest/task")).retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(400);
        Map<String, Object> sneaky = Map.of("resourceType", "Task", "name", "sneaky",
                "query", Map.of("assigneeExpression", "${currentUser()}"));
        assertThat(post("sam", "/engine-rest/filter/create", sneaky)).isEqualTo(400);

        // a filter goes into its owner's Tasklist: sam cannot put one into sara's, but makes his own
        Map<String, Object> planted = Map.of("resourceType", "Task", "name", "planted-" + System.nanoTime(), "owner", "sara",
                "query", Map.of("assignee", "sam"));
        var refused = as("sam", http.post().uri("/engine-rest/filter/create").contentType(MediaType.APPLICATION_JSON).body(planted))
                .retrieve().toEntity(MAP);
        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getBody().get("errors")).asString().contains("field=owner");
        assertThat(as("sara", http.get().uri("/engine-rest/filter?resourceType=Task&firstResult=0&maxResults=100")).retrieve().body(LIST))
                .extracting(f -> f.get("name")).doesNotContain(planted.get("name"));
        // nor one without an owner, which would go into the administrators' Tasklist
        Map<String, Object> ownerless = Map.of("resourceType", "Task", "name", "ownerless-" + System.nanoTime(), "query", Map.of());
        assertThat(post("sam", "/engine-rest/filter/create", ownerless)).isEqualTo(400);
        assertThat(as("admin", http.get().uri("/engine-rest/filter?resourceType=Task&firstResult=0&maxResults=500")).retrieve().body(LIST))
                .extracting(f -> f.get("name")).doesNotContain(ownerless.get("name"));
        Map<String, Object> own = new HashMap<>(planted);
        own.put("owner", "sam");
        var created = as("sam", http.post().uri("/engine-rest/filter/create").contentType(MediaType.APPLICATION_JSON).body(own))
                .retrieve().toEntity(MAP);
        assertThat(created.getStatusCode().value()).isEqualTo(200);
        own.put("owner", "sara");
        assertThat(as("sam", http.put().uri("/engine-rest/filter/{id}", created.getBody().get("id")).contentType(MediaType.APPLICATION_JSON)
                .body(own)).retrieve().toBodilessEntity().getStatusCode().value()).as("nor handed over to sara").isEqualTo(400);
        as("sam", http.delete().uri("/engine-rest/filter/{id}", created.getBody().get("id"))).retrieve().toBodilessEntity();
    }

    @Test
    void theApiBehindTasklist_refusesAColleaguesTaskAndForeignVariables_too() throws Exception {
        Map<String, Object> sarasTask = fresh(VARIANTS.get(2));
        WebappSession sam = WebappSession.logIn("http://localhost:" + port, "tasklist", "sam", "demo");
        // taskId: the task's id and its action, e.g. "<id>/submit-form"
        java.util.function.BiFunction<String, Map<String, Object>, java.net.http.HttpResponse<String>> submit = (taskId, values) -> {
            try {
                return sam.post("task/" + taskId, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(variables(values)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        var colleagues = submit.apply(sarasTask.get("id") + "/submit-form", Map.of("acceptDecision", "accept"));
        assertThat(colleagues.statusCode()).as(colleagues.body()).isEqualTo(403);
        assertThat(colleagues.body()).contains("assigned to sara");
        var aroundTheGuard = submit.apply(sarasTask.get("id") + "/submit-form;x", Map.of("acceptDecision", "accept"));
        assertThat(aroundTheGuard.statusCode()).as(aroundTheGuard.body()).isEqualTo(400);
        assertThat(aroundTheGuard.body()).contains("matrix parameter");

        restore(sarasTask, "sam");
        var foreign = submit.apply(sarasTask.get("id") + "/submit-form", Map.of("acceptDecision", "accept", "salesRep", "sam"));
        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(400);
        assertThat(foreign.body()).contains("salesRep");
        var own = submit.apply(sarasTask.get("id") + "/submit-form", Map.of("acceptDecision", "accept"));
        assertThat(own.statusCode()).as(own.body()).isEqualTo(204);
    }

    @Test
    void cockpitsVersionList_asksWithoutALimit_andGetsTheVersions_whileAnApiClientMustPage() throws Exception {
        // the request Cockpit's process definition page makes for its version list: no maxResults
        String versions = "process-definition?key=leadLifecycle&sortBy=version&sortOrder=desc&withoutTenantId=true";
        var cockpit = WebappSession.logIn("http://localhost:" + port, "cockpit", "paula", "demo").get(versions);
        assertThat(cockpit.statusCode()).as(cockpit.body()).isEqualTo(200);
        assertThat(cockpit.body()).contains("\"key\":\"leadLifecycle\"");

        // the same query from an API client is refused unbounded, as queryMaxResultsLimit says
        ResponseEntity<String> client = as("paula", http.get().uri("/engine-rest/" + versions)).retrieve().toEntity(String.class);
        assertThat(client.getStatusCode().value()).isEqualTo(400);
        assertThat(client.getBody()).contains("unbound number of results");
    }

    String leadIdOf(Map<String, Object> task) {
        return (String) as("admin", http.get().uri("/engine-rest/process-instance/{id}/variables/leadId", task.get("lifecycle")))
                .retrieve().body(MAP).get("value");
    }

    String otherRepThanTheVariable(Object processInstanceId) {
        String salesRep = (String) as("admin", http.get().uri("/engine-rest/process-instance/{id}/variables/salesRep", processInstanceId))
                .retrieve().body(MAP).get("value");
        return "sam".equals(salesRep) ? "sara" : "sam";
    }

    @Test
    void theRejectingAndTheAttemptingRep_areTheAuthenticatedUsers_notTheSalesRepVariable() {
        // the rotation's pick stays in the variable salesRep; another rep does the work
        Map<String, Object> accept = fresh(VARIANTS.get(3));
        String rep = otherRepThanTheVariable(accept.get("lifecycle"));
        assertThat(post(rep, "/engine-rest/task/{id}/complete", variables(Map.of("acceptDecision", "reject",
                "rejectReason", "definitional", "rejectComment", "student project")), accept.get("id"))).isEqualTo(204);
        Map<String, Object> lead = http.get().uri("/api/leads/{id}", leadIdOf(accept)).retrieve().body(MAP);
        assertThat((List<?>) lead.get("rejections")).singleElement()
                .satisfies(r -> assertThat(((Map<?, ?>) r).get("rejectedBy")).isEqualTo(rep));

        Map<String, Object> contact = fresh(VARIANTS.get(4));
        String attempting = otherRepThanTheVariable(contact.get("processInstanceId"));
        restore(contact, attempting);
        assertThat(post(attempting, "/engine-rest/task/{id}/complete", variables(VARIANTS.get(4).completion()), contact.get("id")))
                .isEqualTo(204);
        lead = http.get().uri("/api/leads/{id}", leadIdOf(contact)).retrieve().body(MAP);
        assertThat((List<?>) lead.get("attempts")).singleElement()
                .satisfies(a -> assertThat(((Map<?, ?>) a).get("rep")).isEqualTo(attempting));
    }

    @Test
    void aTeamTasksHistory_isReadByItsManagersThroughTheirProcessGrant_notByTheOtherTeam_withoutAGrantPerTask() {
        Map<String, Object> task = fresh(VARIANTS.get(2)); // Accept lead, sara's
        String id = (String) task.get("id");
        // an entry in the task's history whichever rep the rotation chose (an assignment to the same rep logs none)
        restore(task, "sam");
        restore(task, "sara");
        assertThat(operationLog("max", id)).as("the sales manager's History tab of the open task").isNotEmpty();
        assertThat(operationLog("mia", id)).as("marketing's").isEmpty();

        assertThat(post("sara", "/engine-rest/task/{id}/complete", variables(Map.of("acceptDecision", "accept")), id))
                .as("sara accepts her lead").isEqualTo(204);

        // the history grants per task stay for the history's 365 days: none for the managers, who have READ_HISTORY
        List<Map<String, Object>> grants = as("admin", http.get().uri(
                "/engine-rest/authorization?resourceType={type}&resourceId={id}&firstResult=0&maxResults=100", Resources.HISTORIC_TASK.resourceType(), id))
                .retrieve().body(LIST);
        assertThat(grants).as("history grants of the task").isNotEmpty()
                .extracting(g -> g.get("groupId")).doesNotContain(Groups.SALES_MANAGERS);
        assertThat(historicTasks("max", id)).as("the sales manager reads the completed task").isEqualTo(1);
        assertThat(historicTasks("sara", id)).as("the rep who did it").isEqualTo(1);
        assertThat(historicTasks("mia", id)).as("marketing").isZero();
    }

    List<Map<String, Object>> operationLog(String user, String taskId) {
        return as(user, http.get().uri("/engine-rest/history/user-operation?taskId={id}&firstResult=0&maxResults=100", taskId)).retrieve().body(LIST);
    }

    int historicTasks(String user, String taskId) {
        return as(user, http.get().uri("/engine-rest/history/task?taskId={id}&firstResult=0&maxResults=100", taskId)).retrieve().body(LIST).size();
    }
}
