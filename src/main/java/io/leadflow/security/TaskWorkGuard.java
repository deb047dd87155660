package io.leadflow.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
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
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.ErrorEventDefinition;
import org.camunda.bpm.model.bpmn.instance.EscalationEventDefinition;
import org.camunda.bpm.model.bpmn.instance.EventDefinition;
import org.camunda.bpm.BpmPlatform;
import org.camunda.bpm.engine.ProcessEngine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.context.support.WebApplicationContextUtils;

import io.leadflow.assignment.RepAvailabilityFormCheck;
import io.leadflow.capture.CaptureFormCheck;
import io.leadflow.platform.CamundaInternals;
import io.leadflow.sla.SlaProperties;

import jakarta.servlet.ServletContext;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/**
 * What the engine's own authorizations cannot say, checked on the Camunda REST API (both
 * {@code /engine-rest} and the one behind Tasklist) before the engine sees the request:
 * <ul>
 * <li>a task assigned to someone else is not theirs to complete, resolve, unclaim, claim for
 *     another user or for nobody: the candidate group's TASK_WORK covers only unassigned tasks; moving a task
 *     between people needs TASK_ASSIGN (the team's managers) — 403;</li>
 * <li>a task goes only to a user of its team: whoever assigns, delegates or claims it for someone (or
 *     sets its assignee with {@code PUT task/{id}}) names an existing member of one of its candidate
 *     groups, administrators excepted — 400;</li>
 * <li>a filter created or changed names its caller as owner, administrators excepted — 400;</li>
 * <li>a manager's {@code PUT task/{id}} changes the task's people and follow-up date, not what its model
 *     gives it (name, description, priority) — 400; a rep's assignment or delegation is refused before the
 *     team check, which would tell who exists — 403;</li>
 * <li>a comment is its author's to reword or delete, an attachment its task's assignee's to delete (the
 *     team's managers may both) — 403; one read by its id needs its task, as the caller sees it — 404;</li>
 * <li>a task ends by a BPMN error or escalation only where its model catches one (none of leadflow's
 *     do), and then under the rules of a completion: otherwise it would skip what completing records — 403;</li>
 * <li>a completion (or the start of a process with a start form) sets only the fields of its deployed form: a rep
 *     cannot set {@code salesRep}, scores or the stage through the API — 400 naming the variable,
 *     and nothing is changed.</li>
 * </ul>
 * A JAX-RS filter of every Camunda REST application (registered by {@link TaskWorkGuardFeature}),
 * so it runs after the servlet filters that authenticate the request, whichever path it came by. It
 * matches the path as JAX-RS routes it and refuses matrix parameters ({@link CamundaRestPath}).
 */
public class TaskWorkGuard implements ContainerRequestFilter {

    private static final Pattern TASK_ACTION = Pattern.compile("(?:.*/)?task/([^/]+)/(complete|submit-form|resolve|unclaim|claim|assignee|delegate|bpmnError|bpmnEscalation)/?$");
    /** {@code PUT task/{id}}: the task's fields, its assignee among them. */
    private static final Pattern TASK_UPDATE = Pattern.compile("(?:.*/)?task/([^/]+)/?$");
    private static final Pattern TELEMETRY = Pattern.compile("(?:.*/)?telemetry/configuration/?$");
    private static final Pattern DEPLOYMENT = Pattern.compile("(?:.*/)?deployment/[^/]+/?$");
    /** A message or a signal: it starts or moves processes with the variables and business key the body gives. */
    private static final Pattern EVENTS = Pattern.compile("(?:.*/)?(message|signal)/?$");
    /** Adding ({@code identity-links}) or removing ({@code identity-links/delete}) a candidate, the assignee or the owner. */
    private static final Pattern IDENTITY_LINKS = Pattern.compile("(?:.*/)?task/([^/]+)/identity-links(/delete)?/?$");
    /** Writing into a task's history: a comment, an attachment (a file, or a link people will click). */
    private static final Pattern TASK_NOTE = Pattern.compile("(?:.*/)?task/([^/]+)/(comment|attachment)/create/?$");
    /**
     * One of a task's comments or attachments (read, reworded, deleted, its file), or all its comments
     * (deleted): {@code task/{id}/comment[/{commentId}]}, {@code task/{id}/attachment/{attachmentId}[/data]}.
     */
    private static final Pattern TASK_NOTE_ITEM = Pattern.compile("(?:.*/)?task/([^/]+)/(comment|attachment)(?:/([^/]+?)(/data)?)?/?$");
    /** Cockpit's "Human Tasks": open tasks per candidate group, a report the engine gives only to who may read every task. */
    private static final Pattern GROUP_COUNT = Pattern.compile("(?:.*/)?task/report/candidate-group-count/?$");
    private static final Pattern FILTER_CREATE = Pattern.compile("(?:.*/)?filter/create/?$");
    private static final Pattern FILTER_UPDATE = Pattern.compile("(?:.*/)?filter/([^/]+)/?$");
    /** The actions that give the task to the user the body names. */
    private static final List<String> HANDOVERS = List.of("claim", "assignee", "delegate");
    private static final Pattern START = Pattern.compile("(?:.*/)?process-definition/(?:key/([^/]+)(?:/tenant-id/[^/]+)?|([^/]+))/(start|submit-form)/?$");
    /** Restarting ended instances, by a definition's id or by its key (with or without tenant), as the REST API serves both. */
    private static final Pattern RESTART = Pattern.compile(
            "(?:.*/)?process-definition/(?:key/[^/]+(?:/tenant-id/[^/]+)?|[^/]+)/restart(?:-async)?/?$");
    private static final List<String> COMPLETIONS = List.of("complete", "submit-form", "resolve");
    /** Ending a task by throwing: it skips what completing it records, so only where the model catches it. */
    private static final List<String> THROWS = List.of("bpmnError", "bpmnEscalation");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The Camunda REST API's date format (its default), which it reads with a lenient {@link java.text.SimpleDateFormat}. */
    private static final String REST_DATE = "yyyy-MM-dd'T'HH:mm:ss.SSSZ";

    private final Supplier<ProcessEngine> engine;

    @Context
    private ServletContext servletContext;

    public TaskWorkGuard() {
        this(() -> BpmPlatform.getProcessEngineService().getDefaultProcessEngine());
    }

    public TaskWorkGuard(Supplier<ProcessEngine> engine) {
        this.engine = engine;
    }

    /** The app's Spring context; null for a plain engine. */
    private WebApplicationContext spring() {
        return servletContext == null ? null : WebApplicationContextUtils.getWebApplicationContext(servletContext);
    }

    /** The engine's time in the agreement's zone (a day that has passed is one before its date); UTC without the app's context. */
    private ZonedDateTime agreementNow() {
        WebApplicationContext spring = spring();
        ZoneId zone = spring == null ? ZoneOffset.UTC : spring.getBean(SlaProperties.class).zone();
        return ZonedDateTime.ofInstant(CamundaInternals.engineNow(), zone);
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (CamundaRestPath.hasMatrixParameters(request.getUriInfo())) {
            request.abortWith(problem(400, "Matrix parameters not allowed", "The path has a matrix parameter (;…), which"
                    + " the Camunda REST API does not take; send the request without it. Nothing was changed", List.of()));
            return;
        }
        String path = CamundaRestPath.of(request.getUriInfo());
        String method = request.getMethod();
        if (("POST".equals(method) && FILTER_CREATE.matcher(path).matches()) || ("PUT".equals(method) && FILTER_UPDATE.matcher(path).matches())) {
            abortIf(request, checkFilterOwner(engine.get(), body(request)));
            return;
        }
        Matcher update = TASK_UPDATE.matcher(path);
        if ("PUT".equals(method) && update.matches()) {
            JsonNode body = body(request);
            if (body instanceof ObjectNode task && task.has("camundaFormRef")) {
                // Tasklist sends the whole task back, with the form reference it read, which the REST API
                // cannot read (400 with an empty message): a follow-up date was never set; the form stays the model's
                task.remove("camundaFormRef");
                request.setEntityStream(new ByteArrayInputStream(JSON.writeValueAsBytes(task)));
            }
            abortIf(request, checkUpdate(engine.get(), update.group(1), body));
            return;
        }
        if ("POST".equals(method) && EVENTS.matcher(path).matches()) {
            abortIf(request, checkEvent(engine.get()));
            return;
        }
        if ("DELETE".equals(method) && DEPLOYMENT.matcher(path).matches()) {
            // the engine lets the deployer delete their deployment, with cascade every process of its versions
            abortIf(request, administratorsOnly(engine.get(), "Deleting a deployment (with cascade: every lead's process"
                    + " on its versions, and their history) is an administrator's; deploy a corrected version instead. Nothing was deleted"));
            return;
        }
        if ("POST".equals(method) && TELEMETRY.matcher(path).matches()) {
            // the engine lets any user switch the installation's telemetry: a setting of the whole installation
            abortIf(request, administratorsOnly(engine.get(), "The installation's telemetry is an administrator's setting;"
                    + " nothing was changed"));
            return;
        }
        Matcher links = IDENTITY_LINKS.matcher(path);
        if ("POST".equals(method) && links.matches()) {
            abortIf(request, checkIdentityLink(engine.get(), links.group(1), links.group(2) != null, body(request)));
            return;
        }
        Matcher note = TASK_NOTE.matcher(path);
        if ("POST".equals(method) && note.matches()) {
            abortIf(request, checkNote(engine.get(), note.group(1), note.group(2)));
            return;
        }
        if ("GET".equals(method) && GROUP_COUNT.matcher(path).matches()) {
            abortIf(request, teamGroupCounts(engine.get()));
            return;
        }
        Matcher item = TASK_NOTE_ITEM.matcher(path);
        if (List.of("GET", "PUT", "DELETE").contains(method) && item.matches()) {
            abortIf(request, checkNoteItem(engine.get(), method, item.group(1), item.group(2), item.group(3),
                    "PUT".equals(method) ? body(request).path("id").asText(null) : null));
            return;
        }
        Matcher task = TASK_ACTION.matcher(path);
        Matcher start = START.matcher(path);
        Matcher restart = RESTART.matcher(path);
        if (!"POST".equals(method) || !(task.matches() || start.matches() || restart.matches())) {
            return;
        }
        if (restart.matches()) {
            abortIf(request, checkRestart(engine.get()));
            return;
        }
        JsonNode body = body(request);
        ProcessEngine e = engine.get();
        abortIf(request, task.matches() ? checkTask(e, task.group(1), task.group(2), body)
                : checkStart(e, start.group(1), start.group(2), body));
    }

    /** The request's JSON body (an empty object when there is none or it is no JSON), read so that the REST API reads it too. */
    private static JsonNode body(ContainerRequestContext request) throws IOException {
        byte[] bytes = request.getEntityStream().readAllBytes();
        request.setEntityStream(new ByteArrayInputStream(bytes));
        return json(bytes);
    }

    private static void abortIf(ContainerRequestContext request, Response refusal) {
        if (refusal != null) {
            request.abortWith(refusal);
        }
    }

    /** Whether the caller is an administrator, who may do everything the agreement allows anyone. */
    private static boolean administrator(ProcessEngine e) {
        return CurrentUser.administrator(e);
    }

    private Response checkTask(ProcessEngine e, String taskId, String action, JsonNode body) throws IOException {
        var authentication = e.getIdentityService().getCurrentAuthentication();
        Task task;
        try {
            task = e.getTaskService().createTaskQuery().taskId(taskId).initializeFormKeys().singleResult();
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
        if (THROWS.contains(action) && !caught(e, task, action)) {
            return problem(403, "Not allowed on this task", "Task '" + task.getName() + "' has no "
                    + ("bpmnError".equals(action) ? "error" : "escalation") + " event that catches it: ending it that way would skip"
                    + " what completing it records. Complete its form instead; nothing was changed", List.of());
        }
        if (user != null) {
            String refusal = null;
            if (someoneElses && (COMPLETIONS.contains(action) || THROWS.contains(action))) {
                refusal = "Task '" + task.getName() + "' is assigned to " + assignee + ": only " + assignee
                        + " may complete it (a manager can reassign it)";
            } else if (someoneElses && "unclaim".equals(action) && !mayAssign(e, user, groups, task)) {
                refusal = "Task '" + task.getName() + "' is assigned to " + assignee + ": only " + assignee
                        + " or a manager may release it";
            } else if ("claim".equals(action)) {
                String claimant = body.path("userId").asText(null);
                if (claimant == null && someoneElses && !mayAssign(e, user, groups, task)) {
                    // the engine's claim for nobody releases the task, with only the candidate's TASK_WORK
                    refusal = "Task '" + task.getName() + "' is assigned to " + assignee + ": only " + assignee
                            + " or a manager may release it";
                } else if (claimant != null && !claimant.equals(user) && !mayAssign(e, user, groups, task)) {
                    refusal = "Task '" + task.getName() + "' can be claimed only for yourself (a manager can assign it to "
                            + claimant + ")";
                }
            }
            if (refusal != null) {
                return problem(403, "Task belongs to someone else", refusal, List.of());
            }
        }
        if (user != null && "assignee".equals(action) && body.path("userId").asText(null) == null && someoneElses
                && !administrator(e) && !mayAssign(e, user, groups, task)) {
            // Tasklist's × beside a colleague's name: a release, in the words the other releases get
            return problem(403, "Task belongs to someone else", "Task '" + task.getName() + "' is assigned to " + assignee
                    + ": only " + assignee + " or a manager may release it. Nothing was changed", List.of());
        }
        if (user != null && ("assignee".equals(action) || "delegate".equals(action)) && !administrator(e)
                && !mayAssign(e, user, groups, task) && !(body.path("userId").asText(null) == null && !someoneElses)) {
            // refused before the team check, which would tell who exists and who is of the team
            return problem(403, "Not allowed", "Only the team's managers give task '" + task.getName() + "' to someone"
                    + " (you may claim an unassigned task for yourself). Nothing was changed", List.of());
        }
        if (HANDOVERS.contains(action)) {
            String outsider = notOfTheTeam(e, task, body.path("userId").asText(null));
            if (outsider != null) {
                return problem(400, "Not of the task's team", outsider + "; nothing was changed",
                        List.of(Map.of("field", "userId", "reason", outsider)));
            }
        }
        if (COMPLETIONS.contains(action) || THROWS.contains(action)) {
            String formRef = task.getCamundaFormRef() != null ? task.getCamundaFormRef().getKey() : task.getFormKey();
            return checkVariables(body, "Completing '" + task.getName() + "'", formRef == null ? "its form" : "form " + formRef,
                    () -> e.getFormService().getDeployedTaskForm(taskId), () -> e.getTaskService().getVariables(taskId).keySet());
        }
        return null;
    }

    /**
     * A task's identity links are its team and its people. Its candidates are the team the model gave
     * it: nobody but an administrator changes them (a sales manager who added marketing as a candidate
     * could then give a sales lead to marketing's mia) — 403. Adding its assignee is giving it to
     * someone, removing it releasing it, under the same rules as {@code assignee} and {@code unclaim};
     * its owner (whom a delegated task returns to) must be of the team too.
     */
    private Response checkIdentityLink(ProcessEngine e, String taskId, boolean delete, JsonNode body) throws IOException {
        if (administrator(e) || e.getIdentityService().getCurrentAuthentication() == null) {
            return null; // an administrator may; without a login the engine answers
        }
        String type = body.path("type").asText("");
        if (IdentityLinkType.ASSIGNEE.equals(type)) {
            return checkTask(e, taskId, delete ? "unclaim" : "assignee", body);
        }
        Task task = visibleTask(e, taskId);
        if (task == null) {
            return null; // the engine answers: not found, or not authorized
        }
        if (IdentityLinkType.OWNER.equals(type)) {
            var caller = e.getIdentityService().getCurrentAuthentication();
            if (!mayAssign(e, caller.getUserId(), caller.getGroupIds() == null ? List.of() : caller.getGroupIds(), task)) {
                return problem(403, "Not allowed", "Only the team's managers set the owner of task '" + task.getName()
                        + "'. Nothing was changed", List.of());
            }
            String outsider = delete ? null : notOfTheTeam(e, task, body.path("userId").asText(null));
            return outsider == null ? null : problem(400, "Not of the task's team", outsider + "; nothing was changed",
                    List.of(Map.of("field", "userId", "reason", outsider)));
        }
        return problem(403, "Not allowed", "The candidates of task '" + task.getName() + "' are its team, as its process"
                + " gives them: they are not changed here (a manager assigns the task to a member of the team). Nothing was changed",
                List.of());
    }

    /**
     * Messages and signals are leadflow's own (a do-not-contact request, an engagement waking a nurture):
     * sent through the REST API, one would start or move a lead's process with a business key and
     * variables of the sender's choosing, so only an administrator sends one — 403.
     */
    private static Response checkEvent(ProcessEngine e) throws IOException {
        return administratorsOnly(e, "Messages and signals are sent by leadflow itself (a do-not-contact request,"
                + " an engagement); nothing was sent");
    }

    /** 403 with the reason for a logged-in user who is no administrator; null for an administrator, or without a login (the engine answers). */
    private static Response administratorsOnly(ProcessEngine e, String reason) throws IOException {
        var caller = e.getIdentityService().getCurrentAuthentication();
        if (caller == null || caller.getUserId() == null || administrator(e)) {
            return null;
        }
        return problem(403, "Not allowed", reason, List.of());
    }

    /**
     * A comment or an attachment goes into the task's history, which everybody who works on it reads:
     * on a task assigned to someone else, only its team's managers write one (a colleague could plant a
     * link in a rep's task) — 403.
     */
    private static Response checkNote(ProcessEngine e, String taskId, String kind) throws IOException {
        var authentication = e.getIdentityService().getCurrentAuthentication();
        Task task = visibleTask(e, taskId);
        if (task == null || authentication == null || authentication.getUserId() == null || task.getAssignee() == null
                || task.getAssignee().equals(authentication.getUserId()) || administrator(e)) {
            return null;
        }
        List<String> groups = authentication.getGroupIds() == null ? List.of() : authentication.getGroupIds();
        if (mayAssign(e, authentication.getUserId(), groups, task)) {
            return null;
        }
        return problem(403, "Task belongs to someone else", "Task '" + task.getName() + "' is assigned to " + task.getAssignee()
                + ": only " + task.getAssignee() + " or a manager may add a" + ("comment".equals(kind) ? " comment" : "n attachment")
                + " to it. Nothing was changed", List.of());
    }

    /**
     * The engine lets anyone who knows an attachment's id read, or delete, it and its file, and lets any
     * member of the team reword or delete a colleague's comment (then signed with their own name). Here:
     * reading one needs the task, as the caller may see it (open: READ on it; done: its history); rewording
     * or deleting a comment is its author's, on a task that is theirs or nobody's, and deleting an
     * attachment the assignee's; the team's managers and administrators may do both — else 403; a
     * task the caller may not see — 404.
     */
    private static Response checkNoteItem(ProcessEngine e, String method, String taskId, String kind, String itemId,
                                          String bodyCommentId) throws IOException {
        var authentication = e.getIdentityService().getCurrentAuthentication();
        if (authentication == null || authentication.getUserId() == null || administrator(e)) {
            return null; // without a login the engine answers; an administrator may
        }
        String user = authentication.getUserId();
        List<String> groups = authentication.getGroupIds() == null ? List.of() : authentication.getGroupIds();
        Task open = visibleTask(e, taskId);
        org.camunda.bpm.engine.history.HistoricTaskInstance done = open != null || openTaskExists(e, taskId) ? null
                : visibleHistoricTask(e, taskId);
        if (open == null && done == null) {
            return problem(404, "Task not found", "There is no task " + taskId + " that you may see", List.of());
        }
        if ("GET".equals(method)) {
            return null;
        }
        boolean manager = open != null ? mayAssign(e, user, groups, open) : managesTeamOf(e, taskId, groups);
        if (manager) {
            return null;
        }
        String assignee = open != null ? open.getAssignee() : done.getAssignee();
        String name = open != null ? open.getName() : done.getName();
        boolean ownTask = open == null ? user.equals(assignee) : assignee == null || user.equals(assignee);
        String refusal;
        if ("attachment".equals(kind)) {
            refusal = user.equals(assignee) ? null : "Only " + (assignee == null ? "the task's assignee" : assignee)
                    + " or a manager may delete an attachment of task '" + name + "'";
        } else {
            String commentId = itemId != null ? itemId : bodyCommentId;
            List<org.camunda.bpm.engine.task.Comment> comments = commentId == null ? e.getTaskService().getTaskComments(taskId)
                    : java.util.Optional.ofNullable(e.getTaskService().getTaskComment(taskId, commentId)).map(List::of).orElse(List.of());
            boolean ownComments = comments.stream().allMatch(c -> user.equals(c.getUserId()));
            refusal = ownTask && ownComments ? null : "A comment is its author's to reword or delete, on a task that is theirs"
                    + (assignee == null ? "" : " (task '" + name + "' is " + assignee + "'s)") + ", or a manager's";
        }
        return refusal == null ? null : problem(403, "Not your " + kind, refusal + ". Nothing was changed", List.of());
    }

    /**
     * Cockpit's "Human Tasks" for a team's manager: the engine's report needs READ on every task, which
     * managers have only on their teams' (403, and a red message that stayed on every Cockpit page). For
     * them the report counts the open tasks of each of their teams' groups they may read, in the report's
     * form; administrators (and without a login) get the engine's.
     */
    private static Response teamGroupCounts(ProcessEngine e) throws IOException {
        var caller = e.getIdentityService().getCurrentAuthentication();
        if (caller == null || caller.getUserId() == null || administrator(e)
                || e.getAuthorizationService().isUserAuthorized(caller.getUserId(), caller.getGroupIds(), Permissions.READ, Resources.TASK, "*")) {
            return null;
        }
        List<String> groups = caller.getGroupIds() == null ? List.of() : caller.getGroupIds();
        List<Map<String, Object>> counts = new java.util.ArrayList<>();
        GroupGrants.TEAM_MANAGERS.forEach((team, managers) -> {
            if (groups.contains(managers)) {
                for (String group : List.of(team, managers)) {
                    counts.add(new LinkedHashMap<>(Map.of("groupName", group,
                            "taskCount", e.getTaskService().createTaskQuery().taskCandidateGroup(group).includeAssignedTasks().count())));
                }
            }
        });
        if (counts.isEmpty()) {
            return null; // no team's manager: the engine answers
        }
        counts.sort(java.util.Comparator.comparing(c -> (String) c.get("groupName")));
        return Response.ok(JSON.writeValueAsString(counts), jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Whether an open task of this id exists, whoever may see it. */
    private static boolean openTaskExists(ProcessEngine e, String taskId) {
        return CurrentUser.withoutLogin(e, () -> e.getTaskService().createTaskQuery().taskId(taskId).count() > 0);
    }

    /** The done task as the caller may see its history, or null. */
    private static org.camunda.bpm.engine.history.HistoricTaskInstance visibleHistoricTask(ProcessEngine e, String taskId) {
        try {
            return e.getHistoryService().createHistoricTaskInstanceQuery().taskId(taskId).singleResult();
        } catch (ProcessEngineException notVisible) {
            return null;
        }
    }

    /** Whether the caller manages a team whose work the (done) task was: a manager group of one of its candidate groups. */
    private static boolean managesTeamOf(ProcessEngine e, String taskId, List<String> groups) {
        return CurrentUser.withoutLogin(e, () -> e.getHistoryService().createHistoricIdentityLinkLogQuery().taskId(taskId)
                .type(IdentityLinkType.CANDIDATE).list().stream()
                .map(link -> GroupGrants.TEAM_MANAGERS.get(link.getGroupId()))
                .anyMatch(managers -> managers != null && groups.contains(managers)));
    }


    /** The task as the caller may see it, or null (the engine answers then: not found, or not authorized). */
    private static Task visibleTask(ProcessEngine e, String taskId) {
        try {
            return e.getTaskService().createTaskQuery().taskId(taskId).singleResult();
        } catch (ProcessEngineException notVisible) {
            return null;
        }
    }

    /**
     * A filter is its owner's: one user cannot put a filter into another's Tasklist (the owner holds
     * every permission on it), administrators excepted.
     */
    private static Response checkFilterOwner(ProcessEngine e, JsonNode body) throws IOException {
        var caller = e.getIdentityService().getCurrentAuthentication();
        String owner = body.path("owner").asText(null);
        if (caller == null || caller.getUserId() == null || caller.getUserId().equals(owner) || administrator(e)) {
            return null;
        }
        // a filter without an owner is everybody's the authorizations let see it: the administrators', who hold every permission
        String reason = "must be you (" + caller.getUserId() + "): a filter goes into its owner's Tasklist";
        return problem(400, "Not your filter", "owner " + reason + "; nothing was changed", List.of(Map.of("field", "owner", "reason", reason)));
    }

    /** {@code PUT task/{id}} (Tasklist's due date and follow-up date, or the whole task): a new assignee must be of the team. */
    private Response checkUpdate(ProcessEngine e, String taskId, JsonNode body) throws IOException {
        Task task = visibleTask(e, taskId);
        if (task == null) {
            return null; // the engine answers: not found, or not authorized
        }
        var caller = e.getIdentityService().getCurrentAuthentication();
        if (caller != null && !administrator(e) && (caller.getGroupIds() == null
                || caller.getGroupIds().stream().noneMatch(GroupGrants.TEAM_MANAGERS.values()::contains))) {
            // the engine's answer names permissions and resource ids; a rep sees what it means
            return problem(403, "Not allowed", "Only the team's managers change a task's dates and details (a follow-up date,"
                    + " for one); you work the task from its form. Nothing was changed", List.of());
        }
        // the assignee works the task; the owner gets it back when a delegate resolves it: both of the team
        for (String field : List.of("assignee", "owner")) {
            String user = body.path(field).asText(null);
            String current = "assignee".equals(field) ? task.getAssignee() : task.getOwner();
            String outsider = user == null || user.equals(current) ? null : notOfTheTeam(e, task, user);
            if (outsider != null) {
                return problem(400, "Not of the task's team", outsider + "; nothing was changed",
                        List.of(Map.of("field", field, "reason", outsider)));
            }
        }
        for (Map.Entry<String, Object> field : modelFields(task).entrySet()) {
            JsonNode sent = body.get(field.getKey());
            Object value = sent == null || sent.isNull() ? null : sent.isNumber() ? (Object) sent.asInt() : sent.asText();
            if (!java.util.Objects.equals(value, field.getValue())) {
                String reason = "is the model's (" + field.getValue() + "): only the assignee, the owner and the follow-up date"
                        + " change here; the REST API sets every field the body has or lacks, so send it as the task has it";
                return problem(400, "Task field not changed", field.getKey() + " " + reason + ". Nothing was changed",
                        List.of(Map.of("field", field.getKey(), "reason", reason)));
            }
        }
        if (task.getDueDate() != null && !sameInstant(task.getDueDate(), body.get("due"))) {
            String reason = body.get("due") == null
                    ? "must be sent as the task has it: the REST API sets every field the body has or lacks, and this one is the"
                    + " SLA deadline, which the task's timers keep; a follow-up date can be set"
                    : "is the SLA deadline, which the task's timers keep: it cannot be moved here (its reminder and"
                    + " escalation would not move with it); a follow-up date can be set";
            return problem(400, "Due date not changed", "The due date " + reason + ". Nothing was changed",
                    List.of(Map.of("field", "due", "reason", reason)));
        }
        return null;
    }

    /**
     * The fields of a task its model and the SLA set, which Tasklist sends back unchanged with a new
     * follow-up date: a manager changing its name or description could plant a link in a rep's task list.
     */
    private static Map<String, Object> modelFields(Task task) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", task.getName());
        fields.put("description", task.getDescription());
        fields.put("priority", task.getPriority());
        fields.put("parentTaskId", task.getParentTaskId());
        fields.put("caseInstanceId", task.getCaseInstanceId());
        fields.put("tenantId", task.getTenantId());
        return fields;
    }

    /**
     * Whether the body's date is the same moment as the task's, read as the REST API reads it (its
     * lenient {@code yyyy-MM-dd'T'HH:mm:ss.SSSZ}: "2026-12-32" is the first of January). Missing or null
     * is no date: the REST API sets every field of the task from the body, so a body without {@code
     * due} clears it. A date the REST API cannot read either: it answers 400 itself.
     */
    private static boolean sameInstant(java.util.Date due, JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        try {
            return new java.text.SimpleDateFormat(REST_DATE).parse(value.asText()).equals(due);
        } catch (java.text.ParseException unreadable) {
            return true;
        }
    }

    /**
     * Why {@code user} may not be given the task, or null: a task goes only to a user who exists and
     * is one of its candidate users or a member of one of its candidate groups (the team whose work it is: a sales manager cannot
     * give an "Accept lead" to marketing, nor to a name nobody has); administrators excepted. Asked
     * without the caller's authorizations, which need not cover reading other users and groups.
     */
    private static String notOfTheTeam(ProcessEngine e, Task task, String user) {
        if (user == null) {
            return null; // releasing: the rules above decide
        }
        if (administrator(e)) {
            return null; // an administrator may do everything, as the agreement says
        }
        IdentityService identity = e.getIdentityService();
        return CurrentUser.withoutLogin(e, () -> {
            if (identity.createUserQuery().userId(user).count() == 0) {
                return "There is no user '" + user + "' to give task '" + task.getName() + "' to";
            }
            List<IdentityLink> candidates = e.getTaskService().getIdentityLinksForTask(task.getId()).stream()
                    .filter(link -> IdentityLinkType.CANDIDATE.equals(link.getType())).toList();
            List<String> groups = candidates.stream().map(IdentityLink::getGroupId).filter(java.util.Objects::nonNull).distinct().toList();
            if (groups.isEmpty() || candidates.stream().anyMatch(link -> user.equals(link.getUserId()))
                    || identity.createGroupQuery().groupMember(user).groupIdIn(groups.toArray(String[]::new)).count() > 0) {
                return null;
            }
            return "Task '" + task.getName() + "' is the work of " + String.join(", ", groups) + ": " + user + " is in none of them";
        });
    }

    private Response checkStart(ProcessEngine e, String key, String id, JsonNode body) throws IOException {
        ProcessDefinition definition;
        try {
            definition = key != null
                    ? e.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey(key).latestVersion().singleResult()
                    : e.getRepositoryService().getProcessDefinition(id);
        } catch (ProcessEngineException notVisible) {
            definition = null;
        }
        if (definition == null) {
            return null; // the engine answers
        }
        String definitionId = definition.getId();
        byte[] startForm = startForm(e, definitionId);
        if (startForm == null) {
            // leadflow starts its processes without a start form itself (a lead's nurture, follow-up, notifications):
            // a user who started one could give it any lead's id and number, and its steps would work on that lead
            return administrator(e) || e.getIdentityService().getCurrentAuthentication() == null ? null
                    : problem(403, "Not allowed", "'" + (definition.getName() != null ? definition.getName() : definition.getKey())
                    + "' has no start form: leadflow starts it itself (people start a lead or a change of reps' availability"
                    + " from a start form); nothing was started", List.of());
        }
        if (!body.path("startInstructions").isEmpty() || body.path("skipCustomListeners").asBoolean(false)
                || body.path("skipIoMappings").asBoolean(false)) {
            // starting elsewhere than the start event skips the start form's checks, the capture and the scoring
            return problem(400, "Not allowed", "Starting '" + definition.getName() + "' begins at its start event with its"
                    + " start form: startInstructions, skipCustomListeners and skipIoMappings are not allowed; nothing was started",
                    List.of());
        }
        String businessKey = body.path("businessKey").asText("");
        if (!businessKey.isBlank() && !administrator(e)) {
            // the business key is the lead's number, which leadflow gives: one named by the starter made a process
            // owner's own version of the lifecycle one of another lead's processes, and its steps worked on that lead
            String reason = "is given by leadflow (a new lead's number); a start names none";
            return problem(400, "Not allowed", "The business key " + reason + ". Nothing was started",
                    List.of(Map.of("field", "businessKey", "reason", reason)));
        }
        return checkVariables(body, "Starting '" + definition.getName() + "'", "its start form",
                () -> new ByteArrayInputStream(startForm), Set::of);
    }

    /**
     * Restarting ended instances (from their history, at any activity, with their old variables)
     * revives a lead's lifecycle beside the one the lead may have now: administrators only, who can
     * see to the lead record too. Process owners hold the READ_HISTORY and CREATE_INSTANCE the
     * engine asks for, for Cockpit's views and for starting leads by hand.
     */
    private static Response checkRestart(ProcessEngine e) throws IOException {
        return administratorsOnly(e, "Restarting ended instances would give a lead a second lifecycle beside its"
                + " own: only an administrator may; nothing was restarted");
    }

    private static byte[] startForm(ProcessEngine e, String definitionId) {
        try (InputStream deployed = e.getFormService().getDeployedStartForm(definitionId)) {
            return deployed == null ? null : deployed.readAllBytes();
        } catch (ProcessEngineException | IOException noStartForm) {
            return null;
        }
    }

    private Response checkVariables(JsonNode body, String what, String formLabel, Supplier<InputStream> form,
                                    Supplier<Set<String>> alreadySet) throws IOException {
        Set<String> submitted = new TreeSet<>();
        body.path("variables").fieldNames().forEachRemaining(submitted::add);
        JsonNode formJson;
        try (InputStream deployed = form.get()) {
            formJson = deployed == null ? null : JSON.readTree(deployed);
        } catch (ProcessEngineException | IOException noForm) {
            formJson = null;
        }
        Set<String> allowed = formJson == null ? Set.of() : FormFields.submittedBy(formJson);
        List<Map<String, Object>> errors = new ArrayList<>();
        for (String variable : submitted) {
            if (!allowed.contains(variable)) {
                errors.add(Map.of("field", variable, "reason", "is not a field of " + formLabel + " and cannot be set here"));
            }
        }
        if (!errors.isEmpty()) {
            String detail = what + " may set only the fields of " + formLabel + " " + allowed + "; not allowed: "
                    + errors.stream().map(err -> err.get("field")).toList() + "; nothing was changed";
            return problem(400, "Variable not allowed", detail, errors);
        }
        if (formJson == null) {
            return null; // no deployed form to hold the submission to: the engine and the delegates decide
        }
        List<FormInput.Problem> problems = new ArrayList<>(FormInput.check(formJson, body.path("variables"), alreadySet.get(),
                agreementNow()));
        if (problems.isEmpty() && CaptureFormCheck.FORM_ID.equals(formJson.path("id").asText())) {
            problems.addAll(CaptureFormCheck.check(body.path("variables")));
        }
        WebApplicationContext spring = spring();
        if (problems.isEmpty() && spring != null && RepAvailabilityFormCheck.FORM_ID.equals(formJson.path("id").asText())) {
            problems.addAll(spring.getBean(RepAvailabilityFormCheck.class).check(body.path("variables")));
        }
        if (problems.isEmpty()) {
            return null;
        }
        problems.forEach(p -> errors.add(Map.of("field", p.field(), "reason", p.reason())));
        String detail = String.join("; ", problems.stream().map(FormInput.Problem::text).toList()) + ". Nothing was saved.";
        return problem(400, "Invalid form input", detail, errors);
    }

    /** Whether the task's activity has a boundary event of the thrown kind (error or escalation) in its model. */
    private static boolean caught(ProcessEngine e, Task task, String action) {
        if (task.getProcessDefinitionId() == null) {
            return false;
        }
        BpmnModelInstance model = e.getRepositoryService().getBpmnModelInstance(task.getProcessDefinitionId());
        Class<? extends EventDefinition> kind = "bpmnError".equals(action) ? ErrorEventDefinition.class : EscalationEventDefinition.class;
        return model.getModelElementsByType(BoundaryEvent.class).stream()
                .filter(boundary -> boundary.getAttachedTo() != null && task.getTaskDefinitionKey().equals(boundary.getAttachedTo().getId()))
                .anyMatch(boundary -> boundary.getEventDefinitions().stream().anyMatch(kind::isInstance));
    }

    private static boolean mayAssign(ProcessEngine e, String user, List<String> groups, Task task) {
        String definitionKey;
        try {
            definitionKey = task.getProcessDefinitionId() == null ? null
                    : e.getRepositoryService().getProcessDefinition(task.getProcessDefinitionId()).getKey();
        } catch (ProcessEngineException notVisible) {
            definitionKey = null;
        }
        return allowed(e, user, groups, TaskPermissions.TASK_ASSIGN, Resources.TASK, task.getId())
                || allowed(e, user, groups, Permissions.UPDATE, Resources.TASK, task.getId())
                || definitionKey != null && (allowed(e, user, groups, ProcessDefinitionPermissions.TASK_ASSIGN, Resources.PROCESS_DEFINITION, definitionKey)
                        || allowed(e, user, groups, ProcessDefinitionPermissions.UPDATE_TASK, Resources.PROCESS_DEFINITION, definitionKey));
    }

    private static boolean allowed(ProcessEngine e, String user, List<String> groups, Permission permission, Resource resource, String id) {
        return e.getAuthorizationService().isUserAuthorized(user, groups, permission, resource, id);
    }

    private static JsonNode json(byte[] body) {
        try {
            JsonNode json = body.length == 0 ? null : JSON.readTree(body);
            return json == null ? JSON.createObjectNode() : json;
        } catch (IOException notJson) {
            return JSON.createObjectNode(); // the REST API answers the malformed body itself
        }
    }

    /** RFC 9457 problem details; {@code message} too, which Tasklist shows to the user. */
    private static Response problem(int status, String title, String detail, List<Map<String, Object>> errors) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("message", detail);
        if (!errors.isEmpty()) {
            problem.put("errors", errors);
        }
        return Response.status(status).type("application/problem+json").entity(JSON.writeValueAsString(problem)).build();
    }
}
