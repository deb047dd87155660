package io.leadflow.modeling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.client.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.sla.SlaTimers;

/**
 * A process owner at work, over HTTP as Camunda Modeler and a client would: every file of processes/
 * and forms/ deployed alone keeps intake, task forms and decisions working; a deployment that would
 * break the running system is refused with the reason; a changed acceptance SLA reaches the leads
 * already waiting through a migration. Every deployment here is as {@code paula} (processOwners),
 * with the engine's authorizations on. The original lifecycle is deployed again at the end, so later
 * tests start leads on it.
 */
class ModelerDeployApiTest extends SpringIntegrationTest {

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };
    static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() { };
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Autowired
    SlaTimers sla;

    @Autowired
    RepositoryService repository;

    @Autowired
    RuntimeService runtime;

    @Autowired
    org.camunda.bpm.engine.ProcessEngine engineServices;

    /** The request Modeler's deploy button sends: POST /engine-rest/deployment/create, one file. */
    ResponseEntity<Map<String, Object>> deploy(String fileName, byte[] content) {
        return deploy("/engine-rest/deployment/create", fileName, content);
    }

    ResponseEntity<Map<String, Object>> deploy(String path, String fileName, byte[] content) {
        return deployAs("paula", path, fileName, content);
    }

    ResponseEntity<Map<String, Object>> deployAs(String user, String path, String fileName, byte[] content) {
        LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("deployment-name", fileName);
        parts.add("deployment-source", "Camunda Modeler");
        parts.add(fileName, new ByteArrayResource(content) {
            @Override
            public String getFilename() {
                return fileName;
            }
        });
        return as(user, http.post().uri(java.net.URI.create("http://localhost:" + port + path)).contentType(MediaType.MULTIPART_FORM_DATA)
                .body(parts)).retrieve().toEntity(MAP);
    }

    static String lifecycle() throws IOException {
        return Files.readString(Path.of("processes/lead-lifecycle.bpmn"));
    }

    String capture() {
        return capture("software", "DE");
    }

    /** A new lead of this industry and country (an executive of a company of 500). */
    String capture(String industry, String country) {
        ResponseEntity<Map<String, Object>> created = http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", "modeler-" + System.nanoTime() + "@example.com", "firstName", "Ada", "lastName", "Lovelace",
                        "company", "Analytical Engines", "jobTitle", "CTO", "role", "executive", "industry", industry,
                        "companySize", 500, "country", country, "source", "webForm"))
                .retrieve().toEntity(MAP);
        assertThat(created.getStatusCode().value()).as("capture").isEqualTo(201);
        return (String) created.getBody().get("id");
    }

    String formOf(String user, Map<String, Object> task) {
        ResponseEntity<Map<String, Object>> form = as(user, http.get().uri("/engine-rest/task/{id}/deployed-form", task.get("id")))
                .retrieve().toEntity(MAP);
        assertThat(form.getStatusCode().value()).as("form of %s", task.get("name")).isEqualTo(200);
        return (String) form.getBody().get("id");
    }

    int latestLifecycleVersion() {
        return ((Number) as("paula", http.get().uri("/engine-rest/process-definition/key/leadLifecycle")).retrieve().body(MAP)
                .get("version")).intValue();
    }

    @Test
    void givenEachFileDeployedAloneFromModeler_whenALeadIsCaptured_thenIntakeTaskFormsAndDecisionsStillWork() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String folder : List.of("processes", "forms")) {
            try (Stream<Path> paths = Files.list(Path.of(folder))) {
                files.addAll(paths.sorted().toList());
            }
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(15);
        String leadId = null;
        for (Path file : files) {
            // when one file is deployed alone (leadflow's own machinery by an administrator, the rest by the process owner)
            String name = file.getFileName().toString();
            ResponseEntity<Map<String, Object>> deployed = deployAs(List.of("rep-availability.bpmn", "lead-notification.bpmn").contains(name)
                    ? "admin" : "paula", "/engine-rest/deployment/create", name, Files.readAllBytes(file));
            assertThat(deployed.getStatusCode().value()).as("deploy %s alone: %s", file, deployed.getBody()).isEqualTo(200);

            // then a lead is captured, decided an MQL and waits in Review MQL with its form
            leadId = capture();
            assertThat(formOf("mia", openTask("mia", leadId, "Task_ReviewMql"))).as("after deploying %s", file).isEqualTo("review-mql");
        }
        // and the last lead goes on: routed and assigned (the routing decision), accepted, contacted, each with its form
        Map<String, Object> review = openTask("mia", leadId, "Task_ReviewMql");
        complete("mia", review, Map.of("reviewDecision", "approve", "reviewNote", "fits the ICP"));
        Map<String, Object> accept = openTask("max", leadId, "Task_AcceptLead");
        String rep = (String) accept.get("assignee");
        assertThat(rep).isIn("sam", "sara");
        assertThat(formOf(rep, accept)).isEqualTo("accept-lead");
        complete(rep, accept, Map.of("acceptDecision", "accept"));
        assertThat(formOf(rep, openTask(rep, leadId, "Task_ContactLead"))).isEqualTo("contact-lead");
    }

    @Test
    void givenAModelThatWouldBreakTheRunningSystem_whenDeployedFromModeler_thenItIsRefusedWithTheReasons_andNothingIsDeployed() throws IOException {
        long deployments = ((Number) as("admin", http.get().uri("/engine-rest/deployment/count")).headers(h -> h.setBasicAuth("admin", "admin"))
                .retrieve().body(MAP).get("count")).longValue();
        String broken = lifecycle()
                .replace("${registerLeadDelegate}", "${registerLeadDelegat}")
                .replace("camunda:formRef=\"review-mql\"", "camunda:formRef=\"review-mql-v2\"")
                .replace("camunda:decisionRef=\"leadRouting\"", "camunda:decisionRef=\"leadRoutingV2\"")
                .replace("${sla.reminder('reviewMql')}", "2026-12-01T09:00:00+01:00");

        ResponseEntity<Map<String, Object>> refused = deploy("lead-lifecycle.bpmn", broken.getBytes(StandardCharsets.UTF_8));

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat((String) refused.getBody().get("message"))
                .contains("Task_RegisterLead calls ${registerLeadDelegat}, but the app has no bean registerLeadDelegat")
                .contains("Task_ReviewMql uses form 'review-mql-v2', which is not deployed")
                .contains("Task_RouteLead uses decision 'leadRoutingV2', which is not deployed")
                .contains("timer Timer_ReviewMqlReminder does not get its date from the SLA bean");
        assertThat(((Number) as("admin", http.get().uri("/engine-rest/deployment/count")).headers(h -> h.setBasicAuth("admin", "admin"))
                .retrieve().body(MAP).get("count")).longValue()).isEqualTo(deployments);
    }

    @Test
    void givenAConditionReadingAMisspeltVariable_whenDeployedFromModeler_thenItIsRefusedNamingFlowAndVariable_butAFieldOfADeployedFormIsKnown()
            throws IOException {
        int before = latestLifecycleVersion();
        String misspelt = lifecycle().replace("${disqualifyReason == 'timing'}", "${disqualifyReasn == 'timing'}");
        assertThat(misspelt).contains("disqualifyReasn");

        ResponseEntity<Map<String, Object>> refused = deploy("lead-lifecycle.bpmn", misspelt.getBytes(StandardCharsets.UTF_8));

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat((String) refused.getBody().get("message")).contains("flow Flow_BadTiming 'yes: timing': its condition reads"
                + " disqualifyReasn, which no form, decision or step gives a lead: every lead reaching Gateway_WorthRevisiting would fail there");
        assertThat(latestLifecycleVersion()).as("nothing deployed").isEqualTo(before);

        // a process owner's new form, deployed before: its field is a variable a condition may read
        String budgetForm = """
                {"id": "budget-check-%d", "type": "default", "schemaVersion": 16, "components": [
                  {"label": "Budget confirmed", "type": "checkbox", "id": "Field_budget", "key": "budgetConfirmed"}]}
                """.formatted(System.nanoTime());
        assertThat(deploy("budget-check.form", budgetForm.getBytes(StandardCharsets.UTF_8)).getStatusCode().value()).isEqualTo(200);
        String readsTheNewField = lifecycle().replace("${disqualifyReason == 'timing'}", "${disqualifyReason == 'timing' &amp;&amp; !budgetConfirmed}");
        assertThat(readsTheNewField).contains("budgetConfirmed");
        assertThat(DeploymentCheck.check(engineServices, bean -> true, Map.of("lead-lifecycle.bpmn",
                readsTheNewField.getBytes(StandardCharsets.UTF_8)))).as("checked, not deployed").isEmpty();
    }

    @Test
    void givenAMatrixParameterInThePath_whenABreakingModelIsDeployed_thenItIsRefused_andNothingIsDeployed() throws IOException {
        long deployments = ((Number) as("admin", http.get().uri("/engine-rest/deployment/count")).retrieve().body(MAP).get("count")).longValue();
        byte[] broken = lifecycle().replace("${registerLeadDelegate}", "${registerLeadDelegat}").getBytes(StandardCharsets.UTF_8);

        // JAX-RS routes deployment/create;x to deployment/create: the check must see it as that
        for (String path : List.of("/engine-rest/deployment/create;x", "/engine-rest/deployment/create;jsessionid=x")) {
            ResponseEntity<Map<String, Object>> refused = deploy(path, "lead-lifecycle.bpmn", broken);
            assertThat(refused.getStatusCode().value()).as(path).isEqualTo(400);
        }
        assertThat(((Number) as("admin", http.get().uri("/engine-rest/deployment/count")).retrieve().body(MAP).get("count")).longValue())
                .isEqualTo(deployments);
    }

    @Test
    void givenAFormWhoseCustomRuleIsNotANumber_whenDeployedFromModeler_thenItIsRefusedNamingTheField_andNothingIsDeployed() throws IOException {
        long deployments = deploymentCount();
        ObjectNode form = (ObjectNode) JSON.readTree(Path.of("forms/qualify-lead.form").toFile());
        for (JsonNode field : form.path("components")) {
            if ("opportunityAmount".equals(field.path("key").asText())) {
                ((ObjectNode) field.path("properties")).put("min", "zero");
            }
        }

        ResponseEntity<Map<String, Object>> refused = deploy("qualify-lead.form", JSON.writeValueAsBytes(form));

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat((String) refused.getBody().get("message")).isEqualTo("Deployment refused, nothing was deployed: qualify-lead.form:"
                + " form 'qualify-lead', field 'opportunityAmount': custom property min is 'zero', not a number");
        assertThat(deploymentCount()).isEqualTo(deployments);
    }

    @Test
    void givenAFormWithAFormJsRuleOnAFieldAConditionHides_whenDeployedFromModeler_thenItIsRefused_soCompleteCannotLock() throws IOException {
        long deployments = deploymentCount();
        ObjectNode form = (ObjectNode) JSON.readTree(Path.of("forms/qualify-lead.form").toFile());
        for (JsonNode field : form.path("components")) {
            if ("opportunityAmount".equals(field.path("key").asText())) {
                ((ObjectNode) field).remove("properties");
                ((ObjectNode) field).putObject("validate").put("min", 0);
            }
        }

        ResponseEntity<Map<String, Object>> refused = deploy("qualify-lead.form", JSON.writeValueAsBytes(form));

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat((String) refused.getBody().get("message")).contains("field opportunityAmount [min] has a form-js rule but a condition"
                + " can hide it, which would lock Complete");
        assertThat(deploymentCount()).isEqualTo(deployments);
    }

    /**
     * Modeler's deploy request with a file part whose headers this test writes itself: the
     * {@code Content-Disposition} and the boundary parameter exactly as given.
     */
    ResponseEntity<Map<String, Object>> deployWithHeaders(String boundaryParameter, String contentDisposition, byte[] content) {
        String boundary = "leadflow-" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"deployment-name\"\r\n\r\n"
                + "lead-lifecycle\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"deployment-source\"\r\n\r\n"
                + "Camunda Modeler\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: " + contentDisposition + "\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        return as("paula", http.post().uri("/engine-rest/deployment/create")
                .header("Content-Type", "multipart/form-data; " + boundaryParameter + "=" + boundary).body(body))
                .retrieve().toEntity(MAP);
    }

    long deploymentCount() {
        return ((Number) as("admin", http.get().uri("/engine-rest/deployment/count")).retrieve().body(MAP).get("count")).longValue();
    }

    @Test
    void givenABreakingModel_whenItsPartHeadersAreWrittenAsTheEngineStillReadsThem_thenItIsRefusedWithTheReasons_andNothingIsDeployed() throws IOException {
        byte[] broken = lifecycle().replace("${registerLeadDelegate}", "${registerLeadDelegat}").getBytes(StandardCharsets.UTF_8);
        // the ways of writing a part's headers that Camunda's REST (commons-fileupload) reads as the file lead-lifecycle.bpmn
        Map<String, String[]> variants = new java.util.LinkedHashMap<>();
        variants.put("unquoted file name", new String[] { "boundary", "form-data; name=\"lead-lifecycle.bpmn\"; filename=lead-lifecycle.bpmn" });
        variants.put("parameter name in capitals", new String[] { "boundary", "form-data; name=\"lead-lifecycle.bpmn\"; FILENAME=\"lead-lifecycle.bpmn\"" });
        variants.put("spaces around =", new String[] { "boundary", "form-data; name=\"lead-lifecycle.bpmn\"; filename = \"lead-lifecycle.bpmn\"" });
        variants.put("boundary parameter in capitals", new String[] { "BOUNDARY", "form-data; name=\"lead-lifecycle.bpmn\"; filename=\"lead-lifecycle.bpmn\"" });
        long deployments = deploymentCount();
        try {
            // each variant on its own: one that gets through does not hide the others
            SoftAssertions each = new SoftAssertions();
            for (Map.Entry<String, String[]> variant : variants.entrySet()) {
                long before = deploymentCount();
                ResponseEntity<Map<String, Object>> refused = deployWithHeaders(variant.getValue()[0], variant.getValue()[1], broken);

                each.assertThat(refused.getStatusCode().value()).as("%s: %s", variant.getKey(), refused.getBody()).isEqualTo(400);
                each.assertThat(String.valueOf(refused.getHeaders().getContentType())).as(variant.getKey()).startsWith("application/problem+json");
                each.assertThat(String.valueOf(refused.getBody().get("message"))).as(variant.getKey())
                        .contains("Task_RegisterLead calls ${registerLeadDelegat}, but the app has no bean registerLeadDelegat");
                each.assertThat(deploymentCount()).as("%s: nothing deployed", variant.getKey()).isEqualTo(before);
            }
            each.assertAll();

            // and a part named like a model that has no file name the engine could deploy is refused, naming the part
            ResponseEntity<Map<String, Object>> nameless = deployWithHeaders("boundary", "form-data; name=\"lead-lifecycle.bpmn\"; file-name=\"lead-lifecycle.bpmn\"", broken);
            assertThat(nameless.getStatusCode().value()).isEqualTo(400);
            assertThat((String) nameless.getBody().get("message")).contains("part 'lead-lifecycle.bpmn' cannot be read");
            assertThat(deploymentCount()).isEqualTo(deployments);
        } finally {
            if (deploymentCount() != deployments) {
                // a broken lifecycle got through: later tests start leads on the lifecycle as released
                deploy("lead-lifecycle.bpmn", lifecycle().getBytes(StandardCharsets.UTF_8));
            }
        }

        // and the engine does read such a part: the released lifecycle with an unquoted file name deploys
        ResponseEntity<Map<String, Object>> deployed = deployWithHeaders("boundary",
                "form-data; name=\"lead-lifecycle.bpmn\"; filename=lead-lifecycle.bpmn", lifecycle().getBytes(StandardCharsets.UTF_8));
        assertThat(deployed.getStatusCode().value()).as("%s", deployed.getBody()).isEqualTo(200);
        assertThat((Map<?, ?>) deployed.getBody().get("deployedProcessDefinitions")).hasSize(1);
    }

    /** A redeploy of this deployment over {@code /engine-rest} as {@code paula}, with this body (null: none). */
    ResponseEntity<Map<String, Object>> redeploy(String deploymentId, Map<String, Object> body) {
        RestClient.RequestBodySpec request = http.post().uri("/engine-rest/deployment/{id}/redeploy", deploymentId)
                .contentType(MediaType.APPLICATION_JSON);
        return as("paula", body == null ? request : request.body(body)).retrieve().toEntity(MAP);
    }

    long versions(String processKey) {
        return repository.createProcessDefinitionQuery().processDefinitionKey(processKey).count();
    }

    @Test
    void givenADeploymentWhoseModelNoLongerPassesTheCheck_whenRedeployed_thenItIsRefusedWithTheReasons_andAValidOneRedeploys() {
        // given one deployment, made past the check (as before a bean was removed), of a model that still
        // works and one that calls a bean the app no longer has
        BpmnModelInstance works = Bpmn.createExecutableProcess("redeployCheckWorks").name("Redeploy check: works")
                .camundaHistoryTimeToLive(1).camundaVersionTag("test").startEvent().endEvent().done();
        BpmnModelInstance retired = Bpmn.createExecutableProcess("redeployCheckRetired").name("Redeploy check: retired bean")
                .camundaHistoryTimeToLive(1).camundaVersionTag("test")
                .startEvent().serviceTask("Task_Retired").camundaDelegateExpression("${retiredDelegate}").endEvent().done();
        Deployment old = repository.createDeployment().name("redeploy check").source("test")
                .addModelInstance("works.bpmn", works).addModelInstance("retired.bpmn", retired).deploy();
        String retiredId = repository.getDeploymentResources(old.getId()).stream()
                .filter(r -> r.getName().equals("retired.bpmn")).findFirst().orElseThrow().getId();
        try {
            // when the process owner redeploys all of it, or the retired model by name or by id
            List<ResponseEntity<Map<String, Object>>> refused = new ArrayList<>();
            refused.add(redeploy(old.getId(), null));
            refused.add(redeploy(old.getId(), Map.of("resourceNames", List.of("retired.bpmn"))));
            refused.add(redeploy(old.getId(), Map.of("resourceIds", List.of(retiredId))));

            // then each is refused with the reason, and neither model gets a new version
            for (ResponseEntity<Map<String, Object>> answer : refused) {
                assertThat(answer.getStatusCode().value()).as("%s", answer.getBody()).isEqualTo(400);
                assertThat(answer.getHeaders().getContentType().toString()).startsWith("application/problem+json");
                assertThat((String) answer.getBody().get("message"))
                        .contains("service task Task_Retired calls ${retiredDelegate}, but the app has no bean retiredDelegate");
            }
            assertThat(versions("redeployCheckRetired")).as("versions of the retired model").isEqualTo(1);
            assertThat(versions("redeployCheckWorks")).as("versions of the working model").isEqualTo(1);

            // and the model that still works redeploys on its own, by name: a new version
            ResponseEntity<Map<String, Object>> redeployed = redeploy(old.getId(), Map.of("resourceNames", List.of("works.bpmn")));
            assertThat(redeployed.getStatusCode().value()).as("%s", redeployed.getBody()).isEqualTo(200);
            assertThat(versions("redeployCheckWorks")).isEqualTo(2);
            assertThat(versions("redeployCheckRetired")).isEqualTo(1);
        } finally {
            for (String key : List.of("redeployCheckWorks", "redeployCheckRetired")) {
                repository.createProcessDefinitionQuery().processDefinitionKey(key).list().stream()
                        .map(ProcessDefinition::getDeploymentId).distinct().forEach(id -> repository.deleteDeployment(id, true));
            }
        }
    }

    static String released(String file) throws IOException {
        return Files.readString(Path.of("processes", file));
    }

    /** Every running process instance: id → process definition id. */
    Map<String, String> definitionsOfRunningInstances() {
        Map<String, String> definitions = new HashMap<>();
        runtime.createProcessInstanceQuery().list().forEach(p -> definitions.put(p.getId(), p.getProcessDefinitionId()));
        return definitions;
    }

    @Test
    void givenAModelWhoseListenerWouldMakeItsDeployerAnAdministrator_whenDeployedFromModeler_thenItIsRefused() throws IOException {
        long deployments = ((Number) as("admin", http.get().uri("/engine-rest/deployment/count")).retrieve().body(MAP).get("count")).longValue();
        // a timer start on the SLA bean passes the timer rule; the listener is the point
        String sneaky = org.camunda.bpm.model.bpmn.Bpmn.convertToString(org.camunda.bpm.model.bpmn.Bpmn.createExecutableProcess("sneaky")
                .camundaHistoryTimeToLive(1).startEvent("StartEvent_Sneaky").timerWithDate("${sla.revisit('2020-01-01')}")
                .camundaExecutionListenerExpression("start", "${identityService.createMembership('paula', 'camunda-admin')}")
                .endEvent().done());

        ResponseEntity<Map<String, Object>> refused = deploy("sneaky.bpmn", sneaky.getBytes(StandardCharsets.UTF_8));

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat((String) refused.getBody().get("message")).contains("identityService.createMembership is not allowed");
        assertThat(((Number) as("admin", http.get().uri("/engine-rest/deployment/count")).retrieve().body(MAP).get("count")).longValue())
                .isEqualTo(deployments);
        assertThat(as("admin", http.get().uri("/engine-rest/group?member=paula&firstResult=0&maxResults=10")).retrieve().body(LIST))
                .extracting(g -> g.get("id")).doesNotContain("camunda-admin");
        // nor as a decision in JUEL
        String juel = released("mql-decision.dmn").replace("<inputExpression id=", "<inputExpression expressionLanguage=\"juel\" id=");
        ResponseEntity<Map<String, Object>> juelRefused = deploy("mql-decision.dmn", juel.getBytes(StandardCharsets.UTF_8));
        assertThat(juelRefused.getStatusCode().value()).isEqualTo(400);
        assertThat((String) juelRefused.getBody().get("message")).contains("expression language juel: decisions are FEEL only");
        // nor written so that a check of the file's text would miss it: single quotes, spaces, on the definitions
        String quoted = released("mql-decision.dmn").replace("<inputExpression id=", "<inputExpression expressionLanguage = 'juel' id=");
        ResponseEntity<Map<String, Object>> quotedRefused = deploy("mql-decision.dmn", quoted.getBytes(StandardCharsets.UTF_8));
        assertThat(quotedRefused.getStatusCode().value()).isEqualTo(400);
        assertThat((String) quotedRefused.getBody().get("message")).contains("expression language juel: decisions are FEEL only");
        String onDefinitions = released("mql-decision.dmn").replaceFirst("<definitions ", "<definitions expressionLanguage='Groovy' ");
        ResponseEntity<Map<String, Object>> definitionsRefused = deploy("mql-decision.dmn", onDefinitions.getBytes(StandardCharsets.UTF_8));
        assertThat(definitionsRefused.getStatusCode().value()).isEqualTo(400);
        assertThat((String) definitionsRefused.getBody().get("message")).contains("expression language Groovy: decisions are FEEL only");
        // nor behind a closing brace in a string literal, where a check that ended the expression at the first brace stopped reading
        String braced = sneaky.replace("${identityService.createMembership('paula', 'camunda-admin')}",
                "${'}' == '}' ? identityService.createMembership('paula', 'camunda-admin') : null}");
        ResponseEntity<Map<String, Object>> bracedRefused = deploy("sneaky.bpmn", braced.getBytes(StandardCharsets.UTF_8));
        assertThat(bracedRefused.getStatusCode().value()).isEqualTo(400);
        assertThat((String) bracedRefused.getBody().get("message")).contains("identityService.createMembership is not allowed");
        // nor an expression the check would read otherwise than the engine: after an escaped \${, or with a Unicode space before a dot
        for (String hidden : List.of("\\${'} ${identityService.createMembership(\"paula\",\"camunda-admin\")} '}",
                "${identityService\u2003.createMembership(\"paula\",\"camunda-admin\")}")) {
            String model = sneaky.replace("${identityService.createMembership('paula', 'camunda-admin')}",
                    hidden.replace("\"", "&quot;"));
            assertThat(model).as("the test placed it").contains("camunda-admin&quot;");
            ResponseEntity<Map<String, Object>> hiddenRefused = deploy("hidden.bpmn", model.getBytes(StandardCharsets.UTF_8));
            assertThat(hiddenRefused.getStatusCode().value()).as(hidden).isEqualTo(400);
            assertThat((String) hiddenRefused.getBody().get("message")).as(hidden).contains("identityService.createMembership is not allowed");
        }
        // nor a conditional event whose condition is a FEEL script, which reaches every Java method of the execution
        String feelScript = HostileModels.feelCondition("", HostileModels.MAKE_PAULA_ADMIN);
        assertThat(feelScript).contains("language=\"feel\"");
        ResponseEntity<Map<String, Object>> feelRefused = deploy("feel-script.bpmn", feelScript.getBytes(StandardCharsets.UTF_8));
        assertThat(feelRefused.getStatusCode().value()).isEqualTo(400);
        assertThat((String) feelRefused.getBody().get("message")).contains("language names a script language");
        // nor a version of leadflow's own machinery: a process owner's Manage rep availability ran for every sales manager's change
        for (String machinery : List.of("rep-availability.bpmn", "lead-notification.bpmn")) {
            ResponseEntity<Map<String, Object>> own = deploy(machinery, released(machinery).getBytes(StandardCharsets.UTF_8));
            assertThat(own.getStatusCode().value()).as(machinery).isEqualTo(400);
            assertThat((String) own.getBody().get("message")).as(machinery).contains("is leadflow's own machinery");
        }
        // nor a page the REST API would serve from leadflow's own address, nor an HTML form whose scripts Tasklist runs
        ResponseEntity<Map<String, Object>> page = deploy("offer.html",
                "<script>fetch('/engine-rest/group/camunda-admin/members/paula', {method: 'PUT'})</script>".getBytes(StandardCharsets.UTF_8));
        assertThat(page.getStatusCode().value()).isEqualTo(400);
        assertThat((String) page.getBody().get("message"))
                .contains("offer.html: leadflow deploys processes (.bpmn), decisions (.dmn) and forms (.form) only");
        String htmlForm = org.camunda.bpm.model.bpmn.Bpmn.convertToString(org.camunda.bpm.model.bpmn.Bpmn.createExecutableProcess("htmlForm")
                .camundaHistoryTimeToLive(1).startEvent("StartEvent_HtmlForm").camundaFormKey("embedded:deployment:offer.html")
                .endEvent().done());
        ResponseEntity<Map<String, Object>> formKey = deploy("html-form.bpmn", htmlForm.getBytes(StandardCharsets.UTF_8));
        assertThat(formKey.getStatusCode().value()).isEqualTo(400);
        assertThat((String) formKey.getBody().get("message")).contains("StartEvent_HtmlForm has an HTML form (camunda:formKey)");
        assertThat(((Number) as("admin", http.get().uri("/engine-rest/deployment/count")).retrieve().body(MAP).get("count")).longValue())
                .isEqualTo(deployments);
        assertThat(as("admin", http.get().uri("/engine-rest/group?member=paula&firstResult=0&maxResults=10")).retrieve().body(LIST))
                .extracting(g -> g.get("id")).doesNotContain("camunda-admin");
    }

    @Test
    void givenAnSlaTypoOrADecisionTableThatFailsSomeLeads_whenDeployedFromModeler_thenItIsRefusedNamingFileElementAndInputs_andIntakeGoesOn()
            throws IOException {
        long deployments = deploymentCount();
        try {
            // a typo in an SLA's name, and a method the SLA bean does not have
            String typo = lifecycle().replace("${sla.deadline('reviewMql')}", "${sla.deadline('reviewMQL')}")
                    .replace("${sla.reminder('acceptLead')}", "${sla.remind('acceptLead')}");
            ResponseEntity<Map<String, Object>> refused = deploy("lead-lifecycle.bpmn", typo.getBytes(StandardCharsets.UTF_8));
            assertThat(refused.getStatusCode().value()).isEqualTo(400);
            assertThat((String) refused.getBody().get("message"))
                    .contains("lead-lifecycle.bpmn: Task_ReviewMql, attribute camunda:dueDate: ${sla.deadline('reviewMQL')}: sla.deadline knows no 'reviewMQL'; it knows [")
                    .contains("lead-lifecycle.bpmn: bpmn:timeDate in TimerDefinition_AcceptLeadReminder: ${sla.remind('acceptLead')}: sla has no method"
                            + " remind; its methods: [");

            // grade A from fit 35 while B still runs to 38: leads with fit 35-37 would get no grade
            String overlapping = released("lead-fit.dmn").replace("<text>&gt;= 38</text>", "<text>&gt;= 35</text>");
            ResponseEntity<Map<String, Object>> grades = deploy("lead-fit.dmn", overlapping.getBytes(StandardCharsets.UTF_8));
            assertThat(grades.getStatusCode().value()).isEqualTo(400);
            assertThat((String) grades.getBody().get("message"))
                    .contains("lead-fit.dmn: decision leadFitGrade fails: ").contains("Rule_GradeA").contains("(inputs {fitScore=35})");
            assertThat(deploymentCount()).as("nothing deployed").isEqualTo(deployments);

            // and a lead of fit 37 (financial services 10, 500 employees 15, executive 12, not a served market) is captured
            assertThat(capture("financial services", "IT")).isNotNull();
        } finally {
            if (deploymentCount() != deployments) {
                for (String file : List.of("lead-lifecycle.bpmn", "lead-fit.dmn")) {
                    deploy(file, released(file).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Test
    void givenTheLifecycleAsModelerSavesALatestBinding_withoutTheAttribute_whenDeployed_thenItIsTaken_andALeadIsDecidedAndRouted()
            throws IOException {
        try {
            // Modeler removes camunda:decisionRefBinding and camunda:calledElementBinding when "latest" is chosen
            String modeler = lifecycle().replace(" camunda:decisionRefBinding=\"latest\"", "")
                    .replace(" camunda:calledElementBinding=\"latest\"", "");
            assertThat(modeler).doesNotContain("decisionRefBinding").doesNotContain("calledElementBinding");
            ResponseEntity<Map<String, Object>> deployed = deploy("lead-lifecycle.bpmn", modeler.getBytes(StandardCharsets.UTF_8));
            assertThat(deployed.getStatusCode().value()).as("%s", deployed.getBody()).isEqualTo(200);

            String leadId = capture();
            complete("mia", openTask("mia", leadId, "Task_ReviewMql"), Map.of("reviewDecision", "approve", "reviewNote", "fits the ICP"));
            assertThat(openTask("max", leadId, "Task_AcceptLead").get("assignee")).as("routed to a rep of its territory").isIn("sam", "sara");
        } finally {
            deploy("lead-lifecycle.bpmn", lifecycle().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void givenAPageCursorThatNoAnswerGave_whenMigrating_thenItIs400NamingAfter() {
        // a NUL: PostgreSQL refuses it in text, which was a 500 there
        for (String path : List.of("/api/migrations/dry-run", "/api/migrations")) {
            ResponseEntity<Map<String, Object>> refused = as("paula", http.post().uri(path).contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("sourceVersion", 1, "targetVersion", 1, "after", "a\u0000b"))).retrieve().toEntity(MAP);
            assertThat(refused.getStatusCode().value()).as(path).isEqualTo(400);
            assertThat(refused.getBody().get("errors")).as(path)
                    .isEqualTo(List.of(Map.of("field", "after", "reason", "must be the value next of an earlier answer")));
        }
    }

    @Test
    void givenATargetVersionOlderThanTheSource_whenMigrating_thenItIs422WithTheReason_andNoInstanceMoves_notEvenTheCalledProcesses() throws IOException {
        try {
            // given leads on the lifecycle as released, one in follow-up and one in nurture, on the follow-up and nurture as released
            assertThat(deploy("lead-lifecycle.bpmn", lifecycle().getBytes(StandardCharsets.UTF_8)).getStatusCode().value()).isEqualTo(200);
            assertThat(deploy("lead-follow-up.bpmn", released("lead-follow-up.bpmn").getBytes(StandardCharsets.UTF_8)).getStatusCode().value()).isEqualTo(200);
            assertThat(deploy("lead-nurture.bpmn", released("lead-nurture.bpmn").getBytes(StandardCharsets.UTF_8)).getStatusCode().value()).isEqualTo(200);
            int older = latestLifecycleVersion();
            String contacting = capture();
            complete("mia", openTask("mia", contacting, "Task_ReviewMql"), Map.of("reviewDecision", "approve", "reviewNote", "fits the ICP"));
            Map<String, Object> accept = openTask("max", contacting, "Task_AcceptLead");
            complete((String) accept.get("assignee"), accept, Map.of("acceptDecision", "accept"));
            String nurtured = (String) http.post().uri("/api/leads").contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("email", "nurtured-" + System.nanoTime() + "@example.com", "firstName", "Bob", "lastName", "Builder",
                            "company", "Tiny Shop Ltda", "jobTitle", "Clerk", "role", "practitioner", "industry", "retail",
                            "companySize", 20, "country", "BR", "source", "webForm"))
                    .retrieve().body(MAP).get("id");
            await().atMost(Duration.ofSeconds(30)).until(() -> child(nurtured, "leadNurture") != null && child(contacting, "leadFollowUp") != null);
            String followUpBefore = child(contacting, "leadFollowUp").getProcessDefinitionId();
            String nurtureBefore = child(nurtured, "leadNurture").getProcessDefinitionId();

            // and newer versions of all three, so that both called instances could move to the latest, and a lead on the newer lifecycle
            for (String file : List.of("lead-lifecycle.bpmn", "lead-follow-up.bpmn", "lead-nurture.bpmn")) {
                String newer = released(file).replace("camunda:versionTag=\"2026.11\"", "camunda:versionTag=\"2026.12\"");
                assertThat(newer).as(file).isNotEqualTo(released(file));
                assertThat(deploy(file, newer.getBytes(StandardCharsets.UTF_8)).getStatusCode().value()).as(file).isEqualTo(200);
            }
            int newer = latestLifecycleVersion();
            assertThat(newer).isEqualTo(older + 1);
            String reviewing = capture();
            Map<String, Object> versions = Map.of("sourceVersion", newer, "targetVersion", older);
            Map<String, String> before = definitionsOfRunningInstances();

            // when the process owner asks to migrate the newer lifecycle's leads back to the older version
            ResponseEntity<Map<String, Object>> refused = as("paula", http.post().uri("/api/migrations")
                    .contentType(MediaType.APPLICATION_JSON).body(versions)).retrieve().toEntity(MAP);

            // then it is refused as a plan that is not valid, saying why
            assertThat(refused.getStatusCode().value()).as("%s", refused.getBody()).isEqualTo(422);
            assertThat(refused.getHeaders().getContentType().toString()).startsWith("application/problem+json");
            assertThat((String) refused.getBody().get("detail"))
                    .contains("nothing was migrated")
                    .contains("version " + older + " is older than version " + newer);
            assertThat((List<?>) refused.getBody().get("errors")).singleElement().asString()
                    .contains("targetVersion", "version " + older + " is older than version " + newer);

            // and no instance moved: not the lead on the newer lifecycle, not the follow-up and nurture on their older versions
            Map<String, String> after = definitionsOfRunningInstances();
            before.forEach((id, definition) -> {
                if (after.containsKey(id)) {
                    assertThat(after.get(id)).as("process instance %s", id).isEqualTo(definition);
                }
            });
            assertThat(child(contacting, "leadFollowUp").getProcessDefinitionId()).isEqualTo(followUpBefore);
            assertThat(child(nurtured, "leadNurture").getProcessDefinitionId()).isEqualTo(nurtureBefore);
            assertThat(repository.getProcessDefinition(child(reviewing, "leadLifecycle").getProcessDefinitionId()).getVersion()).isEqualTo(newer);

            // and the dry run still answers with the plan's problems, trying no instance
            ResponseEntity<Map<String, Object>> dryRun = as("paula", http.post().uri("/api/migrations/dry-run")
                    .contentType(MediaType.APPLICATION_JSON).body(versions)).retrieve().toEntity(MAP);
            assertThat(dryRun.getStatusCode().value()).isEqualTo(200);
            Map<?, ?> plan = (Map<?, ?>) dryRun.getBody().get("lifecycle");
            assertThat(plan.get("planValid")).isEqualTo(false);
            assertThat(plan.get("planProblems")).asString().contains("version " + older + " is older than version " + newer);
            assertThat(dryRun.getBody()).containsEntry("migrated", 0).containsEntry("failed", 0);
        } finally {
            // later tests start leads on the models as released
            for (String file : List.of("lead-follow-up.bpmn", "lead-nurture.bpmn", "lead-lifecycle.bpmn")) {
                deploy(file, released(file).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    ProcessInstance child(String leadId, String processKey) {
        return runtime.createProcessInstanceQuery().processInstanceBusinessKey(leadNumber(leadId)).processDefinitionKey(processKey)
                .singleResult();
    }

    @Test
    void processOwnerDemo_deploysTheLifecycleAlone_changesTheAcceptanceSla_andTheWaitingLeadGetsTheNewDeadline() throws IOException {
        try {
            // given the lifecycle deployed alone from Modeler, and a lead captured on it that waits in Accept lead
            assertThat(deploy("lead-lifecycle.bpmn", lifecycle().getBytes(StandardCharsets.UTF_8)).getStatusCode().value()).isEqualTo(200);
            int source = latestLifecycleVersion();
            String leadId = capture();
            Map<String, Object> review = openTask("mia", leadId, "Task_ReviewMql");
            assertThat(formOf("mia", review)).isEqualTo("review-mql");
            complete("mia", review, Map.of("reviewDecision", "approve", "reviewNote", "fits the ICP"));
            assertThat(openTask("max", leadId, "Task_AcceptLead").get("name")).isEqualTo("Accept lead: Ada Lovelace, Analytical Engines");

            // when the process owner gives acceptance the qualification SLA (16 business hours instead of 4) and deploys it
            String changed = lifecycle()
                    .replace("id=\"Task_AcceptLead\" name=\"Accept lead\"", "id=\"Task_AcceptLead\" name=\"Accept lead (SAL)\"")
                    .replace("${sla.deadline('acceptLead')}", "${sla.deadline('qualifyLead')}")
                    .replace("${sla.reminder('acceptLead')}", "${sla.reminder('qualifyLead')}")
                    .replace("camunda:versionTag=\"2026.11\"", "camunda:versionTag=\"2026.12\"");
            assertThat(deploy("lead-lifecycle.bpmn", changed.getBytes(StandardCharsets.UTF_8)).getStatusCode().value()).isEqualTo(200);
            int target = latestLifecycleVersion();
            assertThat(target).isEqualTo(source + 1);
            Map<String, Object> versions = Map.of("sourceVersion", source, "targetVersion", target);

            // then only process owners may migrate
            assertThat(anonymous.post().uri("/api/migrations/dry-run").contentType(MediaType.APPLICATION_JSON).body(versions)
                    .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(401);
            assertThat(as("mia", http.post().uri("/api/migrations").contentType(MediaType.APPLICATION_JSON).body(versions))
                    .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(403);

            // and the dry run says where the waiting lead goes and which timers are computed again
            ResponseEntity<Map<String, Object>> dryRun = as("paula", http.post().uri("/api/migrations/dry-run")
                    .contentType(MediaType.APPLICATION_JSON).body(versions)).retrieve().toEntity(MAP);
            System.out.println("Dry run, lifecycle version " + source + " → " + target + ":\n" + JSON.writeValueAsString(dryRun.getBody()));
            assertThat(dryRun.getStatusCode().value()).isEqualTo(200);
            Map<?, ?> plan = (Map<?, ?>) dryRun.getBody().get("lifecycle");
            assertThat(plan.get("instances")).isEqualTo(1);
            Map<?, ?> accept = ((List<?>) plan.get("activities")).stream().map(Map.class::cast)
                    .filter(a -> "Task_AcceptLead".equals(a.get("activityId"))).findFirst().orElseThrow();
            assertThat(accept.get("targetActivityName")).isEqualTo("Accept lead (SAL)");
            assertThat(String.valueOf(accept.get("timersRecomputed"))).contains("Timer_AcceptanceSlaBreached");
            assertThat(openTask("max", leadId, "Task_AcceptLead").get("name")).as("a dry run changes nothing").isEqualTo("Accept lead: Ada Lovelace, Analytical Engines");

            // when it migrates
            Date earliest = sla.deadline("qualifyLead");
            ResponseEntity<Map<String, Object>> migrated = as("paula", http.post().uri("/api/migrations")
                    .contentType(MediaType.APPLICATION_JSON).body(versions)).retrieve().toEntity(MAP);
            Date latest = sla.deadline("qualifyLead");

            // then the waiting Accept lead task has the new name and the new deadline
            assertThat(migrated.getStatusCode().value()).isEqualTo(200);
            assertThat(migrated.getBody()).containsEntry("migrated", 1).containsEntry("failed", 0).containsEntry("remaining", 0);
            Map<String, Object> task = openTask("max", leadId, "Task_AcceptLead");
            assertThat(task.get("name")).isEqualTo("Accept lead (SAL): Ada Lovelace, Analytical Engines");
            Date due = Date.from(java.time.OffsetDateTime.parse((String) task.get("due"),
                    java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")).toInstant());
            assertThat(due).isBetween(earliest, latest, true, true);
        } finally {
            // later tests start leads on the lifecycle as released
            deploy("lead-lifecycle.bpmn", lifecycle().getBytes(StandardCharsets.UTF_8));
        }
    }
}
