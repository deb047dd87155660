package io.leadflow.modeling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.migration.MigratingProcessInstanceValidationException;
import org.camunda.bpm.engine.migration.MigratingProcessInstanceValidationReport;
import org.camunda.bpm.engine.migration.MigrationInstruction;
import org.camunda.bpm.engine.migration.MigrationInstructionBuilder;
import org.camunda.bpm.engine.migration.MigrationInstructionValidationReport;
import org.camunda.bpm.engine.migration.MigrationPlan;
import org.camunda.bpm.engine.migration.MigrationPlanBuilder;
import org.camunda.bpm.engine.migration.MigrationPlanValidationException;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ActivityInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.NativeProcessInstanceQuery;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.runtime.TransitionInstance;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.leadflow.lead.LeadVariables;
import io.leadflow.web.NotFoundException;

/**
 * Moves running leads from one version of the lifecycle to another with Camunda's migration API:
 * equal activities map (same id); a timer whose date expression changed is computed again
 * ({@code updateEventTrigger}: its date from the {@code sla} bean, counted from the migration), the
 * other timers keep their dates. An open task's due date follows its SLA timer (the timer on the task with the same
 * expression as its due date),
 * and its name follows the new model unless it was set at run time.
 * <p>
 * The lifecycle's call activities (follow-up, nurture) are process definitions of their own:
 * migrating the lifecycle leaves them where they are. Since the lifecycle calls the latest version
 * of each, running instances of older versions of a called process are moved to its latest version
 * with their own plan, in the same request.
 * <p>
 * Each instance is migrated in its own transaction (with its tasks' due dates), so one that cannot
 * move is reported and the others still move. A dry run does the same and rolls every one back.
 * <p>
 * A request tries a page of instances (lifecycle and called processes together, by id) and answers
 * with the id to continue after ({@code next}): the next request, given it as {@code after}, tries
 * the instances after it. An instance that cannot move stays on its version behind the cursor and is
 * not tried again in the same walk, so the instances after it are tried, and a caller that asks
 * again while {@code remaining} (instances not tried yet) is above zero gets to the end. Those that
 * could not move are counted in {@code notMigrated}; a new walk (without {@code after}) tries them again.
 * A dry run tries the same page as the migration would, so a dry run walked with {@code next} counts
 * what the migration will; each plan counts every instance it would touch ({@code instances}) and
 * the ones this request tried, and {@code sample} says when these were not all.
 * <p>
 * A lifecycle plan that is not valid (the engine refuses it, or the target version is older than the
 * source) migrates nothing, not even the called processes' instances: the process owner asked for
 * one migration, and half of it is not what was asked. The dry run reports the plan's problems.
 */
@Component
public class LeadMigrations {

    public static final String LIFECYCLE = "leadLifecycle";
    public static final List<String> CALLED_PROCESSES = List.of("leadFollowUp", "leadNurture");
    /** Tries of one instance that lost a race to another migration of it (the database decides). */
    static final int MAX_ATTEMPTS = 3;
    /** At most this many instances (lifecycle and called processes) per request; the answer says how many are left. */
    public static final int MAX_INSTANCES = 1000;

    private final RepositoryService repository;
    private final RuntimeService runtime;
    private final TaskService tasks;
    private final ManagementService management;
    private final org.camunda.bpm.engine.AuthorizationService authorizations;
    private final TransactionTemplate transactions;
    private final int pageSize;

    @Autowired
    public LeadMigrations(ProcessEngine engine, PlatformTransactionManager transactionManager) {
        this(engine, transactionManager, MAX_INSTANCES);
    }

    /** With pages of {@code pageSize} instances per request (tests take a few). */
    public LeadMigrations(ProcessEngine engine, PlatformTransactionManager transactionManager, int pageSize) {
        this.repository = engine.getRepositoryService();
        this.runtime = engine.getRuntimeService();
        this.tasks = engine.getTaskService();
        this.management = engine.getManagementService();
        this.authorizations = engine.getAuthorizationService();
        this.transactions = new TransactionTemplate(transactionManager);
        this.pageSize = pageSize;
    }

    /** How many instances wait in an activity, where they go, or why they cannot. */
    public record ActivityReport(String activityId, String activityName, long instances, String targetActivityId,
                                 String targetActivityName, List<String> timersRecomputed, List<String> timersAdded,
                                 List<String> timersRemoved, String cannotMigrate, String candidateGroupsChanged) {
    }

    /**
     * One plan: from one definition version to another, what maps, what cannot and why; {@code instances}
     * on the source version, of them {@code tried} in this request, {@code migrated} (or, in a dry run,
     * would be) and {@code failed}.
     */
    public record PlanReport(String processKey, int sourceVersion, String sourceVersionTag, int targetVersion,
                             String targetVersionTag, long instances, boolean planValid, List<String> planProblems,
                             List<ActivityReport> activities, int tried, int migrated, int failed) {

        PlanReport tried(List<InstanceResult> results) {
            int moved = (int) results.stream().filter(InstanceResult::migrated).count();
            return new PlanReport(processKey, sourceVersion, sourceVersionTag, targetVersion, targetVersionTag, instances,
                    planValid, planProblems, activities, results.size(), moved, results.size() - moved);
        }
    }

    /** One process instance: migrated (or, in a dry run, would be), or why not. */
    public record InstanceResult(String processKey, String processInstanceId, String leadId, boolean migrated,
                                 List<String> problems) {
    }

    /**
     * The answer to a dry run and to a migration. {@code migrated} and {@code failed} count this request's
     * instances; {@code remaining} the instances not tried yet (after {@code next}, lifecycle and called
     * processes); {@code notMigrated} (not in a dry run) the instances tried in this walk, this request
     * or an earlier one, that are still on their old version: they need another model or a manual move.
     * {@code next} is the {@code after} of the next request, null when none is left to try. {@code sample}
     * (only in a dry run): this request tried only some of the instances the migration would touch.
     */
    public record MigrationReport(boolean dryRun, PlanReport lifecycle, List<PlanReport> calledProcesses, int migrated,
                                  int failed, long remaining, Long notMigrated, String next, Boolean sample,
                                  List<InstanceResult> instances) {
    }

    /**
     * The lifecycle's plan from the requested source to the requested target version is not valid:
     * nothing was migrated, the called processes' instances neither (they are moved only along with
     * a migration of the lifecycle that can happen).
     */
    public static class InvalidPlanException extends RuntimeException {

        private final transient PlanReport plan;

        public InvalidPlanException(PlanReport plan) {
            super("The migration plan from lifecycle version " + plan.sourceVersion() + " to version " + plan.targetVersion()
                    + " is not valid, nothing was migrated: " + String.join("; ", plan.planProblems()));
            this.plan = plan;
        }

        public PlanReport plan() {
            return plan;
        }
    }

    /** What the first page of a migration would do, each instance migrated and rolled back; an invalid plan is reported, not refused. */
    public MigrationReport dryRun(int sourceVersion, int targetVersion) {
        return dryRun(sourceVersion, targetVersion, null);
    }

    /** What the migration's page after the instance id {@code after} (from the first when null) would do. */
    public MigrationReport dryRun(int sourceVersion, int targetVersion, String after) {
        return run(sourceVersion, targetVersion, after, true);
    }

    /** Migrates the first page of leads; an invalid lifecycle plan migrates nothing and throws {@link InvalidPlanException}. */
    public MigrationReport migrate(int sourceVersion, int targetVersion) {
        return migrate(sourceVersion, targetVersion, null);
    }

    /**
     * Migrates the page of leads after the instance id {@code after} (from the first when null): the
     * {@code next} of the previous request's answer.
     */
    public MigrationReport migrate(int sourceVersion, int targetVersion, String after) {
        return run(sourceVersion, targetVersion, after, false);
    }

    private MigrationReport run(int sourceVersion, int targetVersion, String after, boolean dryRun) {
        ProcessDefinition source = version(LIFECYCLE, sourceVersion);
        ProcessDefinition target = version(LIFECYCLE, targetVersion);
        List<Plan> plans = new ArrayList<>();
        Plan lifecycle = plan(source, target);
        plans.add(lifecycle);
        List<Plan> called = new ArrayList<>();
        for (String key : CALLED_PROCESSES) {
            ProcessDefinition latest = repository.createProcessDefinitionQuery().processDefinitionKey(key).latestVersion().singleResult();
            if (latest == null) {
                continue;
            }
            for (ProcessDefinition older : repository.createProcessDefinitionQuery().processDefinitionKey(key)
                    .orderByProcessDefinitionVersion().asc().list()) {
                if (older.getVersion() >= latest.getVersion()) {
                    continue;
                }
                if (runtime.createProcessInstanceQuery().processDefinitionId(older.getId()).count() > 0) {
                    called.add(plan(older, latest));
                }
            }
        }
        plans.addAll(called);
        // the called processes move along with the lifecycle: when the lifecycle cannot, nothing moves
        if (!lifecycle.report().planValid()) {
            if (!dryRun) {
                throw new InvalidPlanException(lifecycle.report());
            }
            plans.clear();
        }

        // one walk over the instances of every plan that can move them, by id: one that cannot move
        // stays behind the cursor, and the next page starts after it
        Map<String, Plan> walk = new LinkedHashMap<>();
        plans.stream().filter(p -> p.plan() != null).forEach(p -> walk.put(p.source().getId(), p));
        if (source.getId().equals(target.getId())) {
            // the lifecycle's leads are on that version already: from a version to itself moves the called processes only
            walk.remove(source.getId());
        }
        List<InstanceResult> results = new ArrayList<>();
        Map<String, List<InstanceResult>> resultsByPlan = new LinkedHashMap<>();
        String cursor = after;
        for (ProcessInstance instance : walk.isEmpty() ? List.<ProcessInstance>of()
                : instances(walk.keySet(), "*", ">", cursor).listPage(0, pageSize)) {
            InstanceResult result = migrateOne(walk.get(instance.getProcessDefinitionId()), instance.getId(), dryRun);
            results.add(result);
            resultsByPlan.computeIfAbsent(instance.getProcessDefinitionId(), id -> new ArrayList<>()).add(result);
            cursor = instance.getId();
        }
        int migrated = (int) results.stream().filter(InstanceResult::migrated).count();
        long remaining = walk.isEmpty() ? 0 : instances(walk.keySet(), "count(*)", ">", cursor).count();
        Long notMigrated = null;
        Boolean sample = null;
        if (dryRun) {
            // nothing moved: every instance of the walk is still there, the ones before the cursor included
            sample = !walk.isEmpty() && results.size() < instances(walk.keySet(), "count(*)", ">", null).count();
        } else {
            notMigrated = walk.isEmpty() || cursor == null ? 0 : instances(walk.keySet(), "count(*)", "<=", cursor).count();
        }
        return new MigrationReport(dryRun, lifecycle.report().tried(resultsByPlan.getOrDefault(source.getId(), List.of())),
                called.stream().map(p -> p.report().tried(resultsByPlan.getOrDefault(p.source().getId(), List.of()))).toList(),
                migrated, results.size() - migrated, remaining, notMigrated, remaining > 0 ? cursor : null, sample, results);
    }

    /**
     * The process instances of the given definitions whose id compares to the cursor as asked (all when
     * the cursor is null), by id: a native query, as the instance query has no condition on the id's order.
     */
    private NativeProcessInstanceQuery instances(Collection<String> definitionIds, String select, String comparison, String cursor) {
        NativeProcessInstanceQuery query = runtime.createNativeProcessInstanceQuery();
        StringBuilder sql = new StringBuilder("SELECT ").append(select).append(" FROM ")
                .append(management.getTableName(ProcessInstance.class))
                .append(" WHERE PARENT_ID_ IS NULL AND PROC_DEF_ID_ IN (");
        int i = 0;
        for (String definitionId : definitionIds) {
            sql.append(i == 0 ? "" : ", ").append("#{definition").append(i).append('}');
            query.parameter("definition" + i, definitionId);
            i++;
        }
        sql.append(')');
        if (cursor != null) {
            sql.append(" AND ID_ ").append(comparison).append(" #{cursor}");
            query.parameter("cursor", cursor);
        }
        if (!select.startsWith("count")) {
            sql.append(" ORDER BY ID_");
        }
        return query.sql(sql.toString());
    }

    private ProcessDefinition version(String key, int version) {
        ProcessDefinition definition = repository.createProcessDefinitionQuery().processDefinitionKey(key)
                .processDefinitionVersion(version).singleResult();
        if (definition == null) {
            throw new NotFoundException("version of " + key, "version", String.valueOf(version));
        }
        return definition;
    }

    private record Plan(MigrationPlan plan, ProcessDefinition source, ProcessDefinition target, PlanReport report) {
    }

    private Plan plan(ProcessDefinition source, ProcessDefinition target) {
        MigrationPlan plan = null;
        List<String> problems = new ArrayList<>();
        Map<String, String> failedActivities = new LinkedHashMap<>();
        BpmnModelInstance sourceModel = repository.getBpmnModelInstance(source.getId());
        BpmnModelInstance targetModel = repository.getBpmnModelInstance(target.getId());
        try {
            MigrationPlan equal = runtime.createMigrationPlan(source.getId(), target.getId()).mapEqualActivities().build();
            // timers are computed again only where their definition changed: the others keep their dates
            MigrationPlanBuilder builder = runtime.createMigrationPlan(source.getId(), target.getId());
            for (MigrationInstruction instruction : equal.getInstructions()) {
                MigrationInstructionBuilder mapped = builder.mapActivities(instruction.getSourceActivityId(), instruction.getTargetActivityId());
                if (timerChanged(sourceModel, targetModel, instruction)) {
                    mapped.updateEventTrigger();
                }
                builder = mapped;
            }
            plan = builder.build();
        } catch (MigrationPlanValidationException invalid) {
            for (MigrationInstructionValidationReport instruction : invalid.getValidationReport().getInstructionReports()) {
                String from = instruction.getMigrationInstruction().getSourceActivityId();
                failedActivities.put(from, String.join("; ", instruction.getFailures()));
                problems.add(from + " → " + instruction.getMigrationInstruction().getTargetActivityId() + ": "
                        + String.join("; ", instruction.getFailures()));
            }
            if (problems.isEmpty()) {
                problems.add(invalid.getMessage());
            }
        }
        if (target.getVersion() < source.getVersion()) {
            // the engine would move the leads back, but they would lose every change made since, and new
            // leads would still start on the latest version, which the migration does not change
            plan = null;
            problems.add("version " + target.getVersion() + " is older than version " + source.getVersion()
                    + ": to go back, deploy the older model again (it becomes the latest version) and migrate to that");
        }
        Map<String, MigrationInstruction> instructions = new LinkedHashMap<>();
        if (plan != null) {
            plan.getInstructions().forEach(i -> instructions.put(i.getSourceActivityId(), i));
        }
        List<ActivityReport> activities = new ArrayList<>();
        long instances = runtime.createProcessInstanceQuery().processDefinitionId(source.getId()).count();
        for (FlowNode node : sourceModel.getModelElementsByType(FlowNode.class)) {
            long waiting = runtime.createExecutionQuery().processDefinitionId(source.getId()).activityId(node.getId()).count();
            if (waiting == 0) {
                continue;
            }
            MigrationInstruction instruction = instructions.get(node.getId());
            FlowNode targetNode = instruction == null ? null : targetModel.getModelElementById(instruction.getTargetActivityId());
            String cannot = null;
            if (failedActivities.containsKey(node.getId())) {
                cannot = failedActivities.get(node.getId());
            } else if (plan == null) {
                cannot = "the plan is not valid (see planProblems)";
            } else if (instruction == null) {
                cannot = "version " + target.getVersion() + " has no activity " + node.getId() + " of the same type";
            }
            activities.add(new ActivityReport(node.getId(), node.getName(), waiting,
                    targetNode == null ? null : targetNode.getId(), targetNode == null ? null : targetNode.getName(),
                    recomputedTimers(sourceModel, node, instructions), addedTimers(targetModel, targetNode, instructions),
                    removedTimers(sourceModel, node, instructions), cannot,
                    candidateGroupsChanged(node, targetNode)));
        }
        PlanReport report = new PlanReport(source.getKey(), source.getVersion(), source.getVersionTag(), target.getVersion(),
                target.getVersionTag(), instances, plan != null, problems, activities, 0, 0, 0);
        return new Plan(plan, source, target, report);
    }

    /**
     * The boundary timers of the target activity that no timer of the source becomes: the migration
     * creates them (a deadline timer takes the task's deadline, so a task already past it breaches at once).
     */
    private static List<String> addedTimers(BpmnModelInstance target, FlowNode node, Map<String, MigrationInstruction> instructions) {
        Set<String> moved = new HashSet<>();
        instructions.values().forEach(i -> moved.add(i.getTargetActivityId()));
        return timersWaitingAt(target, node).stream().filter(timer -> !moved.contains(timer)).toList();
    }

    /** The timers of the source an instance waiting at {@code node} has, which the target has no place for: their jobs go. */
    private static List<String> removedTimers(BpmnModelInstance source, FlowNode node, Map<String, MigrationInstruction> instructions) {
        return timersWaitingAt(source, node).stream().filter(timer -> !instructions.containsKey(timer)).toList();
    }

    /** The timers of an activity (itself, its boundary events, an event gateway's timers) whose dates the plan computes again. */
    private static List<String> recomputedTimers(BpmnModelInstance model, FlowNode node, Map<String, MigrationInstruction> instructions) {
        List<String> timers = new ArrayList<>();
        MigrationInstruction own = instructions.get(node.getId());
        if (own != null && own.isUpdateEventTrigger()) {
            timers.add(node.getId());
        }
        for (String timer : timersWaitingAt(model, node)) {
            MigrationInstruction instruction = instructions.get(timer);
            if (instruction != null && instruction.isUpdateEventTrigger()) {
                timers.add(timer);
            }
        }
        return timers;
    }

    /**
     * The timers that run while an instance waits at {@code node}: the timer boundary events attached to it
     * and, at an event-based gateway (nurture's wait for engagement), the timer events it waits for.
     */
    private static List<String> timersWaitingAt(BpmnModelInstance model, FlowNode node) {
        List<String> timers = new ArrayList<>();
        if (node == null) {
            return timers;
        }
        for (BoundaryEvent boundary : model.getModelElementsByType(BoundaryEvent.class)) {
            if (boundary.getAttachedTo() == node && !boundary.getChildElementsByType(TimerEventDefinition.class).isEmpty()) {
                timers.add(boundary.getId());
            }
        }
        if (node instanceof org.camunda.bpm.model.bpmn.instance.EventBasedGateway) {
            for (org.camunda.bpm.model.bpmn.instance.SequenceFlow flow : node.getOutgoing()) {
                if (flow.getTarget() instanceof org.camunda.bpm.model.bpmn.instance.IntermediateCatchEvent event
                        && !event.getChildElementsByType(TimerEventDefinition.class).isEmpty()) {
                    timers.add(event.getId());
                }
            }
        }
        return timers;
    }

    /** Whether a timer event's date or duration expression differs between the two versions. */
    private static boolean timerChanged(BpmnModelInstance source, BpmnModelInstance target, MigrationInstruction instruction) {
        String before = timerExpression(source.getModelElementById(instruction.getSourceActivityId()));
        String after = timerExpression(target.getModelElementById(instruction.getTargetActivityId()));
        return before != null && after != null && !before.equals(after);
    }

    private static String timerExpression(ModelElementInstance element) {
        if (element == null) {
            return null;
        }
        for (TimerEventDefinition timer : element.getChildElementsByType(TimerEventDefinition.class)) {
            return Stream.of(timer.getTimeDate(), timer.getTimeDuration(), timer.getTimeCycle())
                    .filter(Objects::nonNull).map(e -> e.getTextContent().trim()).findFirst().orElse("");
        }
        return null;
    }

    private InstanceResult migrateOne(Plan plan, String processInstanceId, boolean dryRun) {
        ProcessInstance instance = runtime.createProcessInstanceQuery().processInstanceId(processInstanceId).singleResult();
        // the business key is the lead's number (or, for an instance older than lead numbers, its id)
        String leadId = instance == null ? null : (String) runtime.getVariable(processInstanceId, LeadVariables.LEAD_ID);
        List<String> unmapped = unmapped(plan, processInstanceId);
        if (!unmapped.isEmpty()) {
            // what the engine would refuse, said without asking it: it logs each refusal as an error with its stack trace
            return new InstanceResult(plan.source().getKey(), processInstanceId, leadId, false, unmapped);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                transactions.executeWithoutResult(status -> {
                    runtime.newMigration(plan.plan()).processInstanceIds(processInstanceId).execute();
                    followTheNewModel(plan, processInstanceId);
                    if (dryRun) {
                        status.setRollbackOnly();
                    }
                });
                return new InstanceResult(plan.source().getKey(), processInstanceId, leadId, true, List.of());
            } catch (OptimisticLockingException | org.springframework.dao.PessimisticLockingFailureException raceLost) {
                // two migrations of the same lead at once can each lose to the other (each changed a row the other
                // needed): the database decided, so try again, a bounded number of times, unless it moved meanwhile
                InstanceResult meanwhile = movedMeanwhile(plan, processInstanceId, leadId, dryRun);
                if (meanwhile != null) {
                    return meanwhile;
                }
                if (attempt == MAX_ATTEMPTS) {
                    return new InstanceResult(plan.source().getKey(), processInstanceId, leadId, false, List.of(raceLost.getMessage()));
                }
            } catch (MigratingProcessInstanceValidationException invalid) {
                InstanceResult meanwhile = movedMeanwhile(plan, processInstanceId, leadId, dryRun);
                return meanwhile != null ? meanwhile
                        : new InstanceResult(plan.source().getKey(), processInstanceId, leadId, false, problems(invalid.getValidationReport()));
            } catch (ProcessEngineException failed) {
                InstanceResult meanwhile = movedMeanwhile(plan, processInstanceId, leadId, dryRun);
                return meanwhile != null ? meanwhile
                        : new InstanceResult(plan.source().getKey(), processInstanceId, leadId, false, List.of(failed.getMessage()));
            }
        }
    }

    /**
     * A migration of the same leads running at the same time (a second click, two process owners) moved
     * this one first: the engine's refusal ("updated by another transaction", "does not match the source
     * process") is no failure then. The lead is where it was asked to go, and the answer says so instead of
     * counting dozens of failures for leads that all moved. Null when the instance is not on the target.
     */
    private InstanceResult movedMeanwhile(Plan plan, String processInstanceId, String leadId, boolean dryRun) {
        if (dryRun) {
            return null;
        }
        ProcessInstance now = runtime.createProcessInstanceQuery().processInstanceId(processInstanceId).singleResult();
        if (now == null || !now.getProcessDefinitionId().equals(plan.target().getId())) {
            return null;
        }
        return new InstanceResult(plan.source().getKey(), processInstanceId, leadId, true,
                List.of("moved to version " + plan.target().getVersion() + " by another migration running at the same time"));
    }

    /**
     * Why the instance cannot move: each activity it is in (or waits to continue from) that the plan
     * has no instruction for, with the plan's reason. Empty: the engine is asked.
     */
    private List<String> unmapped(Plan plan, String processInstanceId) {
        ActivityInstance root = runtime.getActivityInstance(processInstanceId);
        if (root == null) {
            return List.of();
        }
        Set<String> mapped = new HashSet<>();
        plan.plan().getInstructions().forEach(i -> mapped.add(i.getSourceActivityId()));
        Map<String, String> reasons = new LinkedHashMap<>();
        plan.report().activities().forEach(a -> reasons.put(a.activityId(), a.cannotMigrate()));
        // every activity below the process instance (the root), and those waiting to continue (transitions)
        List<String> waiting = new ArrayList<>();
        Deque<ActivityInstance> open = new ArrayDeque<>(List.of(root));
        while (!open.isEmpty()) {
            ActivityInstance scope = open.pop();
            for (ActivityInstance child : scope.getChildActivityInstances()) {
                waiting.add(child.getActivityId());
                open.push(child);
            }
            for (TransitionInstance transition : scope.getChildTransitionInstances()) {
                waiting.add(transition.getActivityId());
            }
        }
        Set<String> problems = new LinkedHashSet<>();
        for (String activity : waiting) {
            if (!mapped.contains(activity)) {
                String reason = reasons.get(activity);
                problems.add(activity + ": " + (reason != null ? reason
                        : "version " + plan.target().getVersion() + " has no activity " + activity + " of the same type"));
            }
        }
        return List.copyOf(problems);
    }

    private static List<String> problems(MigratingProcessInstanceValidationReport report) {
        List<String> problems = new ArrayList<>(report.getFailures());
        report.getActivityInstanceReports().forEach(a -> a.getFailures().forEach(f -> problems.add(a.getSourceScopeId() + ": " + f)));
        report.getTransitionInstanceReports().forEach(t -> t.getFailures().forEach(f -> problems.add(t.getSourceScopeId() + ": " + f)));
        return problems;
    }

    /**
     * The task's name under the new model: the model's name, or the model's name with the lead after a
     * colon as {@code lead.LeadTaskListener} names it ("Accept lead: Ada Lovelace, Analytical Engines");
     * null when the name does not change or was set otherwise at run time.
     */
    static String renamed(String current, String before, String now) {
        if (current == null || before == null || Objects.equals(before, now)) {
            return null;
        }
        if (current.equals(before)) {
            return now;
        }
        return current.startsWith(before + ": ") ? now + current.substring(before.length()) : null;
    }

    /** An open task takes the due date of its SLA timer and, unless renamed at run time, the new model's name. */
    private void followTheNewModel(Plan plan, String processInstanceId) {
        BpmnModelInstance sourceModel = repository.getBpmnModelInstance(plan.source().getId());
        BpmnModelInstance targetModel = repository.getBpmnModelInstance(plan.target().getId());
        for (Task task : tasks.createTaskQuery().processInstanceId(processInstanceId).list()) {
            UserTask now = targetModel.getModelElementById(task.getTaskDefinitionKey());
            if (now == null) {
                continue;
            }
            boolean changed = false;
            UserTask before = sourceModel.getModelElementById(task.getTaskDefinitionKey());
            String renamed = before == null ? null : renamed(task.getName(), before.getName(), now.getName());
            if (renamed != null) {
                task.setName(renamed);
                changed = true;
            }
            SlaTimer timer = slaTimer(targetModel, now, processInstanceId);
            if (timer != null && !timer.job().getDuedate().equals(task.getDueDate())) {
                if (isNew(plan, timer.boundaryId()) && task.getDueDate() != null) {
                    // a deadline timer the old version did not have: the task's deadline stays, and the timer
                    // keeps it (counted from the migration, an overdue task got a whole new deadline)
                    management.setJobDuedate(timer.job().getId(), task.getDueDate());
                } else {
                    task.setDueDate(timer.job().getDuedate());
                    changed = true;
                }
            }
            if (changed) {
                tasks.saveTask(task);
            }
            if (before != null) {
                // after the save: a candidate group's change is a new revision of the task, which the save would overwrite
                followCandidateGroups(task, before, now);
            }
        }
    }

    /** "marketing → sales" when a user task's candidate groups change (its open tasks go to the new team), else null. */
    private static String candidateGroupsChanged(FlowNode source, FlowNode target) {
        if (!(source instanceof UserTask before) || !(target instanceof UserTask now)) {
            return null;
        }
        Set<String> was = candidateGroups(before);
        Set<String> is = candidateGroups(now);
        return was.equals(is) ? null : String.join(", ", was) + " → " + String.join(", ", is);
    }

    /** A user task's candidate groups as its model names them (an expression is left as it is: not followed). */
    private static Set<String> candidateGroups(UserTask task) {
        Set<String> groups = new java.util.TreeSet<>();
        String named = task.getCamundaCandidateGroups();
        if (named != null && !named.contains("{")) {
            for (String group : named.split(",")) {
                if (!group.isBlank()) {
                    groups.add(group.strip());
                }
            }
        }
        return groups;
    }

    /**
     * An open task goes to the team its new model names: the candidate groups the old model named and
     * the new one does not are taken off, the new ones added (with their managers' grant, as at the
     * task's creation); a group added while it ran (managers on a breach) stays.
     */
    private void followCandidateGroups(Task task, UserTask before, UserTask now) {
        Set<String> was = candidateGroups(before);
        Set<String> is = candidateGroups(now);
        if (was.equals(is)) {
            return;
        }
        Set<String> current = new HashSet<>();
        tasks.getIdentityLinksForTask(task.getId()).stream()
                .filter(link -> link.getGroupId() != null && IdentityLinkType.CANDIDATE.equals(link.getType()))
                .forEach(link -> current.add(link.getGroupId()));
        for (String gone : was) {
            if (!is.contains(gone) && current.remove(gone)) {
                tasks.deleteCandidateGroup(task.getId(), gone);
                io.leadflow.security.TeamTaskGrants.revokeManagers(authorizations, task.getId(), gone);
            }
        }
        for (String added : is) {
            if (current.add(added)) {
                tasks.addCandidateGroup(task.getId(), added);
            }
        }
        io.leadflow.security.TeamTaskGrants.grantManagers(authorizations, task.getId(), current, true);
    }

    /** Whether the plan created the target's activity rather than moving one of the source's to it. */
    private static boolean isNew(Plan plan, String targetActivityId) {
        return plan.plan().getInstructions().stream().noneMatch(i -> targetActivityId.equals(i.getTargetActivityId()));
    }

    /** A task's SLA timer: its boundary event and its job. */
    private record SlaTimer(String boundaryId, Job job) {
    }

    /** The task's SLA timer: the boundary timer with the same expression as the task's due date. */
    private SlaTimer slaTimer(BpmnModelInstance model, UserTask task, String processInstanceId) {
        for (BoundaryEvent boundary : model.getModelElementsByType(BoundaryEvent.class)) {
            if (boundary.getAttachedTo() != task) {
                continue;
            }
            for (TimerEventDefinition timer : boundary.getChildElementsByType(TimerEventDefinition.class)) {
                String expression = Stream.of(timer.getTimeDate(), timer.getTimeDuration(), timer.getTimeCycle())
                        .filter(Objects::nonNull).map(e -> e.getTextContent().trim()).findFirst().orElse("");
                if (expression.equals(task.getCamundaDueDate())) {
                    Job job = management.createJobQuery().processInstanceId(processInstanceId).activityId(boundary.getId()).singleResult();
                    if (job != null) {
                        return new SlaTimer(boundary.getId(), job);
                    }
                }
            }
        }
        return null;
    }
}
