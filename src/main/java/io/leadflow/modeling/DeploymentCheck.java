package io.leadflow.modeling;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camunda.bpm.BpmPlatform;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.instance.Decision;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.context.support.WebApplicationContextUtils;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Refuses a deployment (Camunda Modeler's deploy button: {@code POST /engine-rest/deployment/create})
 * that would break the running system, before the engine sees it: every BPMN file in it must pass
 * {@link ModelRules}, the same rules the model checks run, against the app's beans and the forms,
 * decisions and processes deployed already or deployed with it. A refusal is a {@code 400} whose
 * {@code message} (what Modeler shows) names every violation; nothing is deployed.
 * <p>
 * A JAX-RS filter of every Camunda REST application, registered by {@link DeploymentCheckFeature}
 * like the task work guard, so it runs after authentication (the engine still checks that the user
 * may deploy).
 */
public class DeploymentCheck implements ContainerRequestFilter {

    private static final Pattern CREATE = Pattern.compile("(?:.*/)?deployment/create/?$");
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

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
        if (!"POST".equals(request.getMethod()) || !CREATE.matcher(request.getUriInfo().getPath()).matches()
                || request.getMediaType() == null) {
            return;
        }
        Matcher boundary = BOUNDARY.matcher(request.getHeaderString("Content-Type"));
        if (!boundary.find()) {
            return; // the REST API answers a body that is not multipart itself
        }
        byte[] body = request.getEntityStream().readAllBytes();
        request.setEntityStream(new ByteArrayInputStream(body));
        Map<String, byte[]> files = files(body, boundary.group(1));
        WebApplicationContext spring = servletContext == null ? null : WebApplicationContextUtils.getWebApplicationContext(servletContext);
        List<String> violations = check(engine.get().getRepositoryService(),
                spring == null ? bean -> true : spring::containsBean, files);
        if (!violations.isEmpty()) {
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
    }

    /** The violations of the BPMN files among {@code files} (name → content); empty: deploy. */
    public static List<String> check(RepositoryService repository, java.util.function.Predicate<String> bean, Map<String, byte[]> files) {
        Set<String> forms = new HashSet<>();
        Set<String> decisions = new HashSet<>();
        Set<String> processes = new HashSet<>();
        List<BpmnModelInstance> models = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String name = file.getKey();
            try {
                if (name.endsWith(".bpmn") || name.endsWith(".bpmn20.xml")) {
                    BpmnModelInstance model = Bpmn.readModelFromStream(new ByteArrayInputStream(file.getValue()));
                    model.getModelElementsByType(Process.class).forEach(p -> processes.add(p.getId()));
                    models.add(model);
                } else if (name.endsWith(".dmn") || name.endsWith(".dmn11.xml")) {
                    Dmn.readModelFromStream(new ByteArrayInputStream(file.getValue())).getModelElementsByType(Decision.class)
                            .forEach(d -> decisions.add(d.getId()));
                } else if (name.endsWith(".form")) {
                    forms.add(JSON.readTree(file.getValue()).path("id").asText());
                }
            } catch (RuntimeException | IOException unreadable) {
                violations.add(name + " cannot be read: " + unreadable.getMessage());
            }
        }
        if (models.isEmpty()) {
            return violations;
        }
        ModelRules.References references = new ModelRules.References(bean,
                key -> forms.contains(key) || deployedForm(repository, key),
                key -> decisions.contains(key)
                        || repository.createDecisionDefinitionQuery().decisionDefinitionKey(key).count() > 0,
                key -> processes.contains(key)
                        || repository.createProcessDefinitionQuery().processDefinitionKey(key).count() > 0);
        for (BpmnModelInstance model : models) {
            violations.addAll(ModelRules.check(model, references));
        }
        return violations;
    }

    /** Whether some deployment holds a Camunda Form with this id (the engine has no public form query). */
    private static boolean deployedForm(RepositoryService repository, String key) {
        for (Deployment deployment : repository.createDeploymentQuery().orderByDeploymentTime().desc().listPage(0, 500)) {
            for (String resource : repository.getDeploymentResourceNames(deployment.getId())) {
                if (!resource.endsWith(".form")) {
                    continue;
                }
                try (InputStream form = repository.getResourceAsStream(deployment.getId(), resource)) {
                    if (key.equals(JSON.readTree(form).path("id").asText())) {
                        return true;
                    }
                } catch (IOException | RuntimeException unreadable) {
                    // not a form the engine could deploy either
                }
            }
        }
        return false;
    }

    /** The file parts of a multipart/form-data body: file name → content. */
    static Map<String, byte[]> files(byte[] body, String boundary) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int partStart = at + delimiter.length;
            if (partStart + 1 < body.length && body[partStart] == '-' && body[partStart + 1] == '-') {
                break;
            }
            int next = indexOf(body, delimiter, partStart);
            if (next < 0) {
                break;
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), partStart);
            if (headersEnd > 0 && headersEnd < next) {
                String headers = new String(body, partStart, headersEnd - partStart, StandardCharsets.UTF_8);
                Matcher filename = FILENAME.matcher(headers);
                int contentEnd = next - 2; // the CRLF before the delimiter
                if (filename.find() && contentEnd >= headersEnd + 4) {
                    byte[] content = new byte[contentEnd - (headersEnd + 4)];
                    System.arraycopy(body, headersEnd + 4, content, 0, content.length);
                    files.put(filename.group(1), content);
                }
            }
            at = next;
        }
        return files;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
