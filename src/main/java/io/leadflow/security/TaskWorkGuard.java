package io.leadflow.security;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.authorization.TaskPermissions;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.task.Task;
import org.springframework.web.filter.OncePerRequestFilter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What the engine's own authorizations cannot say, checked on the Camunda REST API (both
 * {@code /engine-rest} and the one behind Tasklist) before the engine sees the request:
 * <ul>
 * <li>a task assigned to someone else is not theirs to complete, resolve, unclaim or claim for
 *     another user: the candidate group's TASK_WORK covers only unassigned tasks; moving a task
 *     between people needs TASK_ASSIGN (the team's managers) — 403;</li>
 * <li>a completion (or a start of a process) sets only the fields of its deployed form: a rep
 *     cannot set {@code salesRep}, scores or the stage through the API — 400 naming the variable,
 *     and nothing is changed.</li>
 * </ul>
 * It runs after the authentication of the request (the engine's current authentication).
 */
public class TaskWorkGuard extends OncePerRequestFilter {

    private static final Pattern TASK_ACTION = Pattern.compile(".*/task/([^/]+)/(complete|submit-form|resolve|unclaim|claim)/?$");
    private static final Pattern START = Pattern.compile(".*/process-definition/(?:key/([^/]+)(?:/tenant-id/[^/]+)?|([^/]+))/(start|submit-form)/?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<Engine> engine;

    /** The services the guard reads; a supplier because servlet filters are built before the engine. */
    public record Engine(TaskService tasks, FormService forms, RepositoryService repository, IdentityService identity,
            AuthorizationService authorizations) {
    }

    public TaskWorkGuard(Supplier<Engine> engine) {
        this.engine = engine;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Matcher task = TASK_ACTION.matcher(path);
        Matcher start = START.matcher(path);
        if (!"POST".equals(request.getMethod()) || !(task.matches() || start.matches())) {
            chain.doFilter(request, response);
            return;
        }
        CachedBody body = new CachedBody(request);
        String refusal = task.matches() ? checkTask(task.group(1), task.group(2), body, response)
                : checkStart(start.group(1), start.group(2), body, response);
        if (refusal == null) {
            chain.doFilter(body, response);
        }
    }

    private String checkTask(String taskId, String action, CachedBody body, HttpServletResponse response) throws IOException {
        Engine e = engine.get();
        var authentication = e.identity().getCurrentAuthentication();
        Task task;
        try {
            task = e.tasks().createTaskQuery().taskId(taskId).initializeFormKeys().singleResult();
        } catch (ProcessEngineException notVisible) {
            task = null;
        }
        if (task == null) {
            return null; // the engine answers: not found, or not authorized
        }
        String user = authentication == null ? null : authentication.getUserId();
        List<String> groups = authentication == null || authentication.getGroupIds() == null ? List.of() : authentication.getGroupIds();
        String assignee = task.getAssignee();
        boolean someoneElses = assignee != null && !assignee.equals(user);
        if (user != null) {
            String refusal = null;
            if (someoneElses && List.of("complete", "submit-form", "resolve").contains(action)) {
                refusal = "Task '" + task.getName() + "' is assigned to " + assignee + ": only " + assignee
                        + " may complete it (a manager can reassign it)";
            } else if (someoneElses && "unclaim".equals(action) && !mayAssign(e, user, groups, task)) {
                refusal = "Task '" + task.getName() + "' is assigned to " + assignee + ": only " + assignee
                        + " or a manager may release it";
            } else if ("claim".equals(action)) {
                String claimant = body.json().path("userId").asText(null);
                if (claimant != null && !claimant.equals(user) && !mayAssign(e, user, groups, task)) {
                    refusal = "Task '" + task.getName() + "' can be claimed only for yourself (a manager can assign it to "
                            + claimant + ")";
                }
            }
            if (refusal != null) {
                problem(response, 403, "Task belongs to someone else", refusal, List.of());
                return refusal;
            }
        }
        if (List.of("complete", "submit-form", "resolve").contains(action)) {
            String formRef = task.getCamundaFormRef() != null ? task.getCamundaFormRef().getKey() : task.getFormKey();
            return checkVariables(body, "Completing '" + task.getName() + "'", formRef,
                    () -> e.forms().getDeployedTaskForm(taskId), response);
        }
        return null;
    }

    private String checkStart(String key, String id, CachedBody body, HttpServletResponse response) throws IOException {
        Engine e = engine.get();
        ProcessDefinition definition;
        try {
            definition = key != null
                    ? e.repository().createProcessDefinitionQuery().processDefinitionKey(key).latestVersion().singleResult()
                    : e.repository().getProcessDefinition(id);
        } catch (ProcessEngineException notVisible) {
            definition = null;
        }
        if (definition == null) {
            return null; // the engine answers
        }
        String definitionId = definition.getId();
        return checkVariables(body, "Starting '" + definition.getName() + "'", e.forms().getStartFormKey(definitionId),
                () -> e.forms().getDeployedStartForm(definitionId), response);
    }

    private String checkVariables(CachedBody body, String what, String formName, Supplier<InputStream> form,
            HttpServletResponse response) throws IOException {
        Set<String> submitted = new TreeSet<>();
        body.json().path("variables").fieldNames().forEachRemaining(submitted::add);
        if (submitted.isEmpty()) {
            return null;
        }
        Set<String> allowed;
        try (InputStream deployed = form.get()) {
            allowed = deployed == null ? Set.of() : FormFields.submittedBy(deployed);
        } catch (ProcessEngineException | IOException noForm) {
            allowed = Set.of();
        }
        String formLabel = formName == null ? "no form" : "form " + formName;
        List<Map<String, Object>> errors = new ArrayList<>();
        for (String variable : submitted) {
            if (!allowed.contains(variable)) {
                errors.add(Map.of("field", variable, "reason", "is not a field of " + formLabel + " and cannot be set here"));
            }
        }
        if (errors.isEmpty()) {
            return null;
        }
        String detail = what + " may set only the fields of " + formLabel + " " + allowed + "; not allowed: "
                + errors.stream().map(err -> err.get("field")).toList() + "; nothing was changed";
        problem(response, 400, "Variable not allowed", detail, errors);
        return detail;
    }

    private static boolean mayAssign(Engine e, String user, List<String> groups, Task task) {
        String definitionKey;
        try {
            definitionKey = task.getProcessDefinitionId() == null ? null
                    : e.repository().getProcessDefinition(task.getProcessDefinitionId()).getKey();
        } catch (ProcessEngineException notVisible) {
            definitionKey = null;
        }
        return allowed(e, user, groups, TaskPermissions.TASK_ASSIGN, Resources.TASK, task.getId())
                || allowed(e, user, groups, Permissions.UPDATE, Resources.TASK, task.getId())
                || definitionKey != null && (allowed(e, user, groups, ProcessDefinitionPermissions.TASK_ASSIGN, Resources.PROCESS_DEFINITION, definitionKey)
                        || allowed(e, user, groups, ProcessDefinitionPermissions.UPDATE_TASK, Resources.PROCESS_DEFINITION, definitionKey));
    }

    private static boolean allowed(Engine e, String user, List<String> groups, Permission permission, Resource resource, String id) {
        return e.authorizations().isUserAuthorized(user, groups, permission, resource, id);
    }

    /** RFC 9457 problem details; {@code message} too, which Tasklist shows to the user. */
    private static void problem(HttpServletResponse response, int status, String title, String detail,
            List<Map<String, Object>> errors) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("message", detail);
        if (!errors.isEmpty()) {
            problem.put("errors", errors);
        }
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        JSON.writeValue(response.getOutputStream(), problem);
    }

    /** The request with its body read once, for the guard and again for the REST API. */
    static final class CachedBody extends HttpServletRequestWrapper {

        private final byte[] body;
        private JsonNode json;

        CachedBody(HttpServletRequest request) throws IOException {
            super(request);
            this.body = request.getInputStream().readAllBytes();
        }

        JsonNode json() {
            if (json == null) {
                try {
                    json = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
                } catch (IOException notJson) {
                    json = JSON.createObjectNode(); // the REST API answers the malformed body itself
                }
                if (json == null) {
                    json = JSON.createObjectNode();
                }
            }
            return json;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
