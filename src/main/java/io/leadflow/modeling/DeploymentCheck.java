package io.leadflow.modeling;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.commons.fileupload.FileItemIterator;
import org.apache.commons.fileupload.FileItemStream;
import org.apache.commons.fileupload.FileUpload;
import org.apache.commons.fileupload.FileUploadException;
import org.apache.commons.fileupload.UploadContext;

import org.camunda.bpm.BpmPlatform;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineServices;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.Resource;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.DmnModelInstance;
import org.camunda.bpm.model.dmn.instance.Decision;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.context.support.WebApplicationContextUtils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadflow.lead.LeadVariables;
import io.leadflow.security.CamundaRestPath;
import io.leadflow.security.CurrentUser;
import io.leadflow.security.FormFields;
import io.leadflow.security.FormInput;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Refuses a deployment (Camunda Modeler's deploy button: {@code POST /engine-rest/deployment/create},
 * or a redeploy of an old deployment: {@code POST /engine-rest/deployment/{id}/redeploy}) that would
 * break the running system, before the engine sees it: every BPMN file in it must pass
 * {@link ModelRules}, the same rules the model checks run, against the app's beans and the forms,
 * decisions and processes deployed already or deployed with it; every form in it must have custom
 * rules the form input check can read ({@link FormInput#ruleProblems}). A refusal is a {@code 400} whose
 * {@code message} (what Modeler shows) names every violation; nothing is deployed.
 * <p>
 * A JAX-RS filter of every Camunda REST application, registered by {@link DeploymentCheckFeature}
 * like the task work guard, so it runs after authentication (the engine still checks that the user
 * may deploy).
 */
public class DeploymentCheck implements ContainerRequestFilter {

    private static final Pattern CREATE = Pattern.compile("(?:.*/)?deployment/create/?$");
    private static final Pattern REDEPLOY = Pattern.compile("(?:.*/)?deployment/([^/]+)/redeploy/?$");
    /**
     * The names of FEEL, the one language a decision may be written in (on the definitions or any
     * expression: {@code expressionLanguage}), as the DMN engine knows them. Any other (JUEL,
     * JavaScript, Groovy) runs with the engine's powers, as a BPMN script would.
     */
    static final Set<String> FEEL = Set.of("feel", "http://www.omg.org/spec/feel/20140401", "http://www.omg.org/spec/dmn/20180521/feel/",
            "https://www.omg.org/spec/dmn/20191111/feel/", "https://www.omg.org/spec/dmn/20211108/feel/",
            "https://www.omg.org/spec/dmn/20230324/feel/");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Processes that only an administrator deploys a version of (process owners change the lead's processes and decisions). */
    static final Set<String> ADMINISTRATORS_PROCESSES = Set.of("repAvailability", "leadNotification");
    /** The engine's table of deployed Camunda Forms (leadflow sets no table prefix). */
    private static final String FORM_TABLE = "ACT_RE_CAMFORMDEF";
    private static final int FORM_PAGE = 1000;

    private final Supplier<ProcessEngine> engine;

    @Context
    private ServletContext servletContext;

    public DeploymentCheck() {
        this(() -> BpmPlatform.getProcessEngineService().getDefaultProcessEngine());
    }

    public DeploymentCheck(Supplier<ProcessEngine> engine) {
        this.engine = engine;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            return;
        }
        String path = CamundaRestPath.of(request.getUriInfo());
        Matcher redeploy = REDEPLOY.matcher(path);
        if (redeploy.matches()) {
            checkRedeployment(request, redeploy.group(1));
            return;
        }
        if (!CREATE.matcher(path).matches()
                || request.getMediaType() == null || !MediaType.MULTIPART_FORM_DATA_TYPE.isCompatible(request.getMediaType())) {
            return; // the REST API refuses a body that is not multipart itself
        }
        byte[] body = request.getEntityStream().readAllBytes();
        request.setEntityStream(new ByteArrayInputStream(body));
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<String> violations = new ArrayList<>(files(body, request.getHeaderString("Content-Type"), files));
        violations.addAll(check(engine.get(), beans(), files));
        refuseIfViolated(request, violations);
    }

    /**
     * A redeploy makes the resources of an old deployment the latest versions again, and what was
     * valid then (a bean since removed, a form since renamed) may break the running system now: the
     * resources it would deploy are checked like an upload. Those are what the engine's REST API
     * takes: the ones the body names by {@code resourceIds} and {@code resourceNames}, or all of the
     * deployment's when it names none. They are read as the requesting user, who needs to read the
     * deployment to redeploy it anyway.
     */
    private void checkRedeployment(ContainerRequestContext request, String deploymentId) throws IOException {
        byte[] body = request.getEntityStream().readAllBytes();
        request.setEntityStream(new ByteArrayInputStream(body));
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        try {
            JsonNode redeployment = body.length == 0 ? JSON.missingNode() : JSON.readTree(body);
            redeployment.path("resourceIds").forEach(id -> ids.add(id.asText()));
            redeployment.path("resourceNames").forEach(name -> names.add(name.asText()));
        } catch (IOException unreadable) {
            refuseIfViolated(request, List.of("the redeploy request cannot be read as JSON: " + unreadable.getMessage()));
            return;
        }
        RepositoryService repository = engine.get().getRepositoryService();
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Resource resource : repository.getDeploymentResources(deploymentId)) {
            if ((ids.isEmpty() && names.isEmpty()) || ids.contains(resource.getId()) || names.contains(resource.getName())) {
                try (InputStream content = repository.getResourceAsStreamById(deploymentId, resource.getId())) {
                    files.put(resource.getName(), content.readAllBytes());
                }
            }
        }
        refuseIfViolated(request, check(engine.get(), beans(), files));
    }

    /** Whether the app has a bean of this name; without the Spring context (a plain engine), every name passes. */
    private java.util.function.Predicate<String> beans() {
        WebApplicationContext spring = servletContext == null ? null : WebApplicationContextUtils.getWebApplicationContext(servletContext);
        return spring == null ? bean -> true : spring::containsBean;
    }

    /** Answers {@code 400} problem details naming every violation, so the engine deploys nothing; none: the request goes on. */
    private static void refuseIfViolated(ContainerRequestContext request, List<String> violations) throws IOException {
        if (violations.isEmpty()) {
            return;
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        String detail = "Deployment refused, nothing was deployed: " + String.join("; ", violations);
        problem.put("type", "about:blank");
        problem.put("title", "Deployment would break the running system");
        problem.put("status", 400);
        problem.put("detail", detail);
        problem.put("message", detail);
        problem.put("violations", violations);
        request.abortWith(Response.status(400).type(MediaType.valueOf("application/problem+json"))
                .entity(JSON.writeValueAsString(problem)).build());
    }

    /** The violations of the BPMN and form files among {@code files} (name → content); empty: deploy. */
    public static List<String> check(ProcessEngineServices engine, java.util.function.Predicate<String> bean, Map<String, byte[]> files) {
        RepositoryService repository = engine.getRepositoryService();
        Set<String> forms = new HashSet<>();
        Set<String> formFields = new HashSet<>();
        Set<String> decisions = new HashSet<>();
        Set<String> processes = new HashSet<>();
        Map<String, BpmnModelInstance> models = new LinkedHashMap<>();
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String name = file.getKey();
            try {
                if (name.endsWith(".bpmn") || name.endsWith(".bpmn20.xml")) {
                    BpmnModelInstance model = Bpmn.readModelFromStream(new ByteArrayInputStream(file.getValue()));
                    model.getModelElementsByType(Process.class).forEach(p -> processes.add(p.getId()));
                    models.put(name, model);
                } else if (name.endsWith(".dmn") || name.endsWith(".dmn11.xml")) {
                    DmnModelInstance dmn = Dmn.readModelFromStream(new ByteArrayInputStream(file.getValue()));
                    dmn.getModelElementsByType(Decision.class).forEach(d -> decisions.add(d.getId()));
                    // JUEL, JavaScript or Groovy in a decision run with the engine's powers, as a BPMN script would
                    boolean feelOnly = true;
                    for (String language : ModelXml.attributeValues(dmn, "expressionLanguage")) {
                        if (!FEEL.contains(language.strip().toLowerCase(Locale.ROOT))) {
                            violations.add(name + ": expression language " + language + ": decisions are FEEL only");
                            feelOnly = false;
                        }
                    }
                    if (feelOnly) { // evaluated with the inputs the app gives them: never a decision in another language
                        DecisionRules.check(dmn).forEach(violation -> violations.add(name + ": " + violation));
                    }
                } else if (name.endsWith(".cmmn") || name.endsWith(".cmmn10.xml") || name.endsWith(".cmmn11.xml")) {
                    violations.add(name + ": leadflow runs no CMMN case models");
                } else if (name.endsWith(".form")) {
                    JsonNode form = JSON.readTree(file.getValue());
                    forms.add(form.path("id").asText());
                    formFields.addAll(FormFields.submittedBy(form));
                    FormInput.ruleProblems(form).forEach(problem -> violations.add(name + ": " + problem));
                    FormInput.lockingRules(form).forEach(field -> violations.add(name + ": field " + field + " has a form-js rule"
                            + " but a condition can hide it, which would lock Complete; give it custom properties (requiredWhen, min,"
                            + " max, minLength, maxLength) instead"));
                } else {
                    // a deployment's other resources are served back by the REST API with the type their name
                    // says (an .html or .svg page with its scripts, on leadflow's own address), and an HTML form
                    // would run its scripts in Tasklist: leadflow deploys models and Camunda Forms only
                    violations.add(name + ": leadflow deploys processes (.bpmn), decisions (.dmn) and forms (.form) only");
                }
            } catch (RuntimeException | IOException unreadable) {
                violations.add(name + " cannot be read: " + ModelXml.whyUnreadable(unreadable));
            }
        }
        if (models.isEmpty()) {
            return violations;
        }
        // read only when a model needs them, once: one walk over the forms' table serves keys and fields
        Supplier<Map<String, Map<String, Object>>> newestForms = once(() -> CurrentUser.withoutLogin(engine,
                () -> newestForms(engine.getManagementService())));
        Supplier<Set<String>> deployedForms = () -> newestForms.get().keySet();
        Supplier<Set<String>> deployedFormFields = once(() -> deployedFormFields(engine, newestForms.get()));
        Set<String> leadVariables = LeadVariables.names();
        ModelRules.References references = new ModelRules.References(bean,
                key -> forms.contains(key) || deployedForms.get().contains(key),
                key -> decisions.contains(key)
                        || repository.createDecisionDefinitionQuery().decisionDefinitionKey(key).count() > 0,
                key -> processes.contains(key)
                        || repository.createProcessDefinitionQuery().processDefinitionKey(key).count() > 0,
                variable -> leadVariables.contains(variable) || formFields.contains(variable)
                        || deployedFormFields.get().contains(variable));
        models.forEach((name, model) -> ModelRules.check(model, references).forEach(violation -> violations.add(name + ": " + violation)));
        // the processes of leadflow's own machinery are an administrator's to change: a process owner's version of
        // Manage rep availability ran for every sales manager's change, one of the notifications for every message sent
        boolean administrator = engine.getIdentityService().getCurrentAuthentication() == null || CurrentUser.administrator(engine);
        if (!administrator) {
            models.forEach((name, model) -> model.getModelElementsByType(Process.class).stream()
                    .filter(process -> ADMINISTRATORS_PROCESSES.contains(process.getId()))
                    .forEach(process -> violations.add(name + ": process " + process.getId() + " is leadflow's own machinery"
                            + " (reps' availability, notifications): an administrator deploys it")));
        }
        return violations;
    }

    /**
     * The ids of every Camunda Form the engine has deployed. The engine has no public query of its
     * forms, and looking through the deployments' resources read only the newest 500 (a form deployed
     * once with the app and unchanged since was not found after 500 Modeler deploys, and a valid model
     * was refused): its table page query reads the forms' own table, a page at a time. That query is
     * an administrator's; the check reads only the forms' keys, versions and resources with it, so it runs without the
     * requester's login (restored afterwards).
     */
    public static Set<String> deployedForms(ProcessEngineServices engine) {
        return new HashSet<>(CurrentUser.withoutLogin(engine, () -> newestForms(engine.getManagementService())).keySet());
    }


    /** A value computed at its first use and kept. */
    private static <T> Supplier<T> once(Supplier<T> compute) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = compute.get();
                }
                return value;
            }
        };
    }

    /**
     * The fields the newest version of each deployed Camunda Form submits (a process owner's new field is a
     * variable a condition may read), read without the requester's login as the keys are.
     */
    private static Set<String> deployedFormFields(ProcessEngineServices engine, Map<String, Map<String, Object>> newestForms) {
        return CurrentUser.withoutLogin(engine, () -> {
            Set<String> fields = new HashSet<>();
            for (Map<String, Object> form : newestForms.values()) {
                try (var content = engine.getRepositoryService().getResourceAsStream(String.valueOf(form.get("DEPLOYMENT_ID_")),
                        String.valueOf(form.get("RESOURCE_NAME_")))) {
                    fields.addAll(FormFields.submittedBy(content));
                } catch (IOException | RuntimeException unreadable) {
                    // a form that cannot be read gives no fields: a condition reading one of them is refused, and says so
                }
            }
            return fields;
        });
    }

    /** The newest version of each deployed form, by key: its row of the forms' table, column names in capitals. */
    private static Map<String, Map<String, Object>> newestForms(ManagementService management) {
        Map<String, Map<String, Object>> newest = new HashMap<>();
        for (int first = 0; ; first += FORM_PAGE) {
            List<Map<String, Object>> rows = management.createTablePageQuery().tableName(FORM_TABLE).listPage(first, FORM_PAGE).getRows();
            for (Map<String, Object> row : rows) {
                Map<String, Object> columns = new HashMap<>();
                row.forEach((column, value) -> columns.put(column.toUpperCase(Locale.ROOT), value));
                if (columns.get("KEY_") != null) {
                    newest.merge(columns.get("KEY_").toString(), columns, (a, b) -> version(b) > version(a) ? b : a);
                }
            }
            if (rows.size() < FORM_PAGE) {
                return newest;
            }
        }
    }

    private static int version(Map<String, Object> form) {
        return form.get("VERSION_") instanceof Number number ? number.intValue() : 0;
    }

    /**
     * Reads the parts of a multipart/form-data body into {@code files} (file name → content), as the
     * engine's REST API will: with commons-fileupload, the parser Camunda's REST reads the same body
     * with, so every way of writing the headers it accepts ({@code filename=lead.bpmn} unquoted,
     * {@code FILENAME=}, spaces around {@code =}, a {@code BOUNDARY=} in capitals) yields the same
     * files here, and the engine never deploys a model this check did not see. Like Camunda, the last
     * part of a field name counts. Returns why the body or a part of it cannot be read: a part named like
     * a model without a file name, two parts with the same file name (which one the engine keeps is
     * not defined), a body the parser refuses.
     */
    static List<String> files(byte[] body, String contentType, Map<String, byte[]> files) {
        Map<String, String> fileNames = new LinkedHashMap<>();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try {
            FileItemIterator parts = new FileUpload().getItemIterator(new UploadContext() {
                @Override
                public String getCharacterEncoding() {
                    return null; // as Camunda's REST reads it
                }

                @Override
                public String getContentType() {
                    return contentType;
                }

                @Override
                @Deprecated
                public int getContentLength() {
                    return body.length;
                }

                @Override
                public long contentLength() {
                    return body.length;
                }

                @Override
                public InputStream getInputStream() {
                    return new ByteArrayInputStream(body);
                }
            });
            while (parts.hasNext()) {
                FileItemStream part = parts.next();
                try (InputStream content = part.openStream()) {
                    fileNames.put(part.getFieldName(), part.getName());
                    contents.put(part.getFieldName(), content.readAllBytes());
                }
            }
        } catch (FileUploadException | IOException | RuntimeException unreadable) {
            return List.of("the upload cannot be read as multipart/form-data: " + unreadable.getMessage());
        }
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, String> part : fileNames.entrySet()) {
            String field = part.getKey();
            String fileName = part.getValue();
            if (fileName == null) {
                if (field != null && looksLikeAModel(field)) {
                    violations.add("part '" + field + "' cannot be read: it has no file name");
                }
                continue;
            }
            if (files.put(fileName, contents.get(field)) != null) {
                violations.add("part '" + field + "' cannot be read: another part has the same file name '" + fileName + "'");
            }
        }
        return violations;
    }

    /** Whether a part's name says it is a process, decision or form (in any case: refusing costs less than missing one). */
    private static boolean looksLikeAModel(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return Stream.of(".bpmn", ".bpmn20.xml", ".dmn", ".dmn11.xml", ".form").anyMatch(lower::endsWith);
    }
}
