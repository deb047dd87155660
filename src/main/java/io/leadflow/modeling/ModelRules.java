package io.leadflow.modeling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BusinessRuleTask;
import org.camunda.bpm.model.bpmn.instance.CallActivity;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaIn;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputOutput;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaTaskListener;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;

import io.leadflow.sla.SlaHandlerSettings;
import io.leadflow.sla.SlaProperties;

/**
 * What the engine and the process owners rely on in every model, as one set of rules that the
 * model checks (tests) and the deployment check (a Modeler deploy) both run. Each rule returns the
 * violations it finds, one readable sentence each (empty: the model keeps the running system working).
 */
public final class ModelRules {

    /**
     * Cross-file bindings: by key, to the latest deployed version, never "the same deployment". For a
     * decision or a called process, no binding at all is the engine's default, latest: Camunda Modeler
     * removes the attribute when "latest" is chosen in its Binding list, and shows "latest" for a task
     * without one. A form needs its binding written out (the engine refuses a model without it).
     */
    public static final String BINDING = "latest";
    /** The processes a model may call: the lead's nurture and follow-up, on the lead's business key. */
    static final Set<String> CALLABLE = Set.of("leadNurture", "leadFollowUp");
    /** How a call activity passes the calling process's business key (the lead's number) on. */
    static final Set<String> BUSINESS_KEY_PASSED_ON = Set.of("#{execution.processBusinessKey}", "${execution.processBusinessKey}");

    /**
     * What a model may refer to: the Spring beans of its expressions, and the forms, decisions and
     * processes it finds by key (deployed already, or deployed with it).
     */
    public record References(Predicate<String> bean, Predicate<String> form, Predicate<String> decision,
                             Predicate<String> process, Predicate<String> variable) {

        /** Without a check of the variables conditions read. */
        public References(Predicate<String> bean, Predicate<String> form, Predicate<String> decision, Predicate<String> process) {
            this(bean, form, decision, process, name -> true);
        }
    }

    private ModelRules() {
    }

    /**
     * The rules without which the running system breaks or loses its SLA (the deployment check runs
     * these): forms, decisions, called processes and beans that exist, bound by key; every task and
     * timer on the SLA bean; expressions that call only what models are for ({@link ModelExpressions}).
     * {@link #processes} (names, history time to live, version tag) is the repository's convention,
     * checked by the tests.
     */
    public static List<String> check(BpmnModelInstance model, References references) {
        List<String> violations = new ArrayList<>();
        violations.addAll(userTasks(model, references));
        violations.addAll(timers(model));
        violations.addAll(delegates(model, references));
        violations.addAll(slaHandlers(model));
        violations.addAll(decisionsAndCalls(model, references));
        violations.addAll(startEvents(model));
        violations.addAll(ModelExpressions.check(model));
        violations.addAll(conditions(model, references));
        return violations;
    }

    /**
     * A flow's condition reads only variables a lead's process has: the lead's variables
     * ({@link io.leadflow.lead.LeadVariables}), a form's fields, or a name the model itself gives a
     * result ({@code camunda:resultVariable}, an input or output parameter, a called process's
     * {@code camunda:out}). A misspelt one ({@code disqualifyReasn}) was deployed, the migration moved
     * every lead onto it, and each lead reaching the gateway then failed (500 to the rep completing the
     * task before it).
     */
    static List<String> conditions(BpmnModelInstance model, References references) {
        Set<String> own = new java.util.HashSet<>(ModelXml.attributeValues(model, "resultVariable"));
        model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputParameter.class)
                .forEach(parameter -> own.add(parameter.getCamundaName()));
        model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.camunda.CamundaOutputParameter.class)
                .forEach(parameter -> own.add(parameter.getCamundaName()));
        model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.camunda.CamundaOut.class)
                .forEach(out -> own.add(out.getCamundaTarget()));
        List<String> violations = new ArrayList<>();
        for (SequenceFlow flow : model.getModelElementsByType(SequenceFlow.class)) {
            if (flow.getConditionExpression() == null || flow.getConditionExpression().getTextContent() == null) {
                continue;
            }
            for (String name : ModelExpressions.variablesRead(flow.getConditionExpression().getTextContent())) {
                if (!own.contains(name) && !references.variable().test(name)) {
                    violations.add("flow " + flow.getId() + (flow.getName() == null ? "" : " '" + flow.getName() + "'")
                            + ": its condition reads " + name + ", which no form, decision or step gives a lead: every lead"
                            + " reaching " + flow.getSource().getId() + " would fail there (a misspelt name? the lead's"
                            + " variables and the forms' fields are known)");
                }
            }
        }
        return violations;
    }

    /** Executable, named, with a history time to live and a version tag (shown in Cockpit). */
    public static List<String> processes(BpmnModelInstance model) {
        List<String> violations = new ArrayList<>();
        for (Process process : model.getModelElementsByType(Process.class)) {
            String id = process.getId();
            if (!process.isExecutable()) {
                violations.add("process " + id + " is not executable");
            }
            if (blank(process.getCamundaHistoryTimeToLiveString())) {
                violations.add("process " + id + " has no history time to live (camunda:historyTimeToLive)");
            }
            if (blank(process.getName())) {
                violations.add("process " + id + " has no name");
            }
            if (blank(process.getCamundaVersionTag())) {
                violations.add("process " + id + " has no version tag (camunda:versionTag)");
            }
        }
        return violations;
    }

    /**
     * Each user task: a form that exists, bound by key; a candidate group; a due date from the SLA
     * bean; SLA status tracked on create. A start form exists and is bound by key too.
     */
    public static List<String> userTasks(BpmnModelInstance model, References references) {
        List<String> violations = new ArrayList<>();
        for (UserTask task : model.getModelElementsByType(UserTask.class)) {
            String id = task.getId();
            form(id, task.getCamundaFormRef(), task.getCamundaFormRefBinding(), references, violations);
            if (blank(task.getCamundaCandidateGroups())) {
                violations.add("user task " + id + " has no candidate group");
            }
            if (task.getCamundaDueDate() == null || !task.getCamundaDueDate().startsWith("${sla.")) {
                violations.add("user task " + id + " has no due date from the SLA bean (camunda:dueDate=\"${sla.…}\"), it has "
                        + task.getCamundaDueDate());
            }
            boolean tracked = task.getExtensionElements() != null && task.getExtensionElements().getElementsQuery()
                    .filterByType(CamundaTaskListener.class).list().stream()
                    .anyMatch(l -> "create".equals(l.getCamundaEvent()) && l.getCamundaExpression() != null
                            && l.getCamundaExpression().replace(" ", "").matches("\\$\\{sla\\.track\\(task(,.+)?\\)}"));
            if (!tracked) {
                violations.add("user task " + id + " does not track its SLA status (create listener ${sla.track(task, 'the SLA's name')},"
                        + " e.g. ${sla.track(task, 'acceptLead')})");
            }
        }
        for (StartEvent start : model.getModelElementsByType(StartEvent.class)) {
            if (start.getCamundaFormRef() != null) {
                form(start.getId(), start.getCamundaFormRef(), start.getCamundaFormRefBinding(), references, violations);
            }
        }
        return violations;
    }

    private static void form(String id, String formRef, String binding, References references, List<String> violations) {
        if (blank(formRef)) {
            violations.add(id + " has no form (camunda:formRef)");
        } else if (!references.form().test(formRef)) {
            violations.add(id + " uses form '" + formRef + "', which is not deployed");
        }
        if (!BINDING.equals(binding)) { // the engine refuses a form reference without binding
            violations.add(id + " binds its form '" + formRef + "' by \"" + binding + "\": it must be \"" + BINDING
                    + "\", so the model works when deployed alone");
        }
    }

    /** Every timer asks the SLA bean for its date. */
    public static List<String> timers(BpmnModelInstance model) {
        List<String> violations = new ArrayList<>();
        for (TimerEventDefinition timer : model.getModelElementsByType(TimerEventDefinition.class)) {
            String expression = Stream.of(timer.getTimeDate(), timer.getTimeDuration(), timer.getTimeCycle())
                    .filter(e -> e != null).map(e -> e.getTextContent().trim()).findFirst().orElse("");
            if (!expression.startsWith("${sla.")) {
                violations.add("timer " + ((BaseElement) timer.getParentElement()).getId()
                        + " does not get its date from the SLA bean (${sla.…}): " + (expression.isEmpty() ? "no date" : expression));
            }
        }
        return violations;
    }

    /** The delegates that handle an SLA timer, with the settings they read from the model. */
    static final Set<String> SLA_HANDLERS = Set.of("escalateSlaBreachDelegate", "remindAssigneeDelegate");

    /**
     * A reminder or escalation names a user task of its model ({@code slaTaskKey}), an SLA the agreement
     * has ({@code slaName}, a fixed value; a computed one is an input parameter) and, escalating, the
     * group it goes to: a typo failed the timer's job at the deadline, and no breach was recorded.
     */
    public static List<String> slaHandlers(BpmnModelInstance model) {
        List<String> violations = new ArrayList<>();
        for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
            String bean = bean(task.getCamundaDelegateExpression());
            if (bean == null || !SLA_HANDLERS.contains(bean)) {
                continue;
            }
            // as the handlers read them: a property, else an input parameter (versions before properties, computed values)
            Map<String, String> settings = new HashMap<>(SlaHandlerSettings.properties(task));
            if (task.getExtensionElements() != null) {
                task.getExtensionElements().getElementsQuery().filterByType(CamundaInputOutput.class).list()
                        .forEach(io -> io.getCamundaInputParameters().forEach(p -> settings.putIfAbsent(p.getCamundaName(), p.getTextContent())));
            }
            String id = task.getId();
            String taskKey = settings.get("slaTaskKey");
            if (blank(taskKey) || !(model.getModelElementById(taskKey) instanceof UserTask)) {
                violations.add("service task " + id + " names slaTaskKey '" + taskKey + "', which is no user task of this model");
            }
            String slaName = settings.get("slaName");
            if (blank(slaName)) {
                violations.add("service task " + id + " has no slaName");
            } else if (!slaName.contains("${") && !SlaProperties.Deadlines.NAMES.contains(slaName.strip())) {
                violations.add("service task " + id + " names slaName '" + slaName + "', which the agreement does not have; it has "
                        + new TreeSet<>(SlaProperties.Deadlines.NAMES));
            }
            if ("escalateSlaBreachDelegate".equals(bean) && blank(settings.get("escalationGroup"))) {
                violations.add("service task " + id + " has no escalationGroup to escalate to");
            }
        }
        return violations;
    }

    /** Every service task calls a bean that exists, by a plain delegate expression. */
    public static List<String> delegates(BpmnModelInstance model, References references) {
        List<String> violations = new ArrayList<>();
        for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
            String expression = task.getCamundaDelegateExpression();
            String bean = bean(expression);
            if (bean == null) {
                violations.add("service task " + task.getId() + " must call a bean by camunda:delegateExpression=\"${beanName}\", it has "
                        + expression);
            } else if (!references.bean().test(bean)) {
                violations.add("service task " + task.getId() + " calls " + expression + ", but the app has no bean " + bean);
            }
        }
        violations.addAll(delegatesOutOfTheirProcess(model));
        return violations;
    }

    /**
     * The app's steps that take who and what they act on from their variables belong to one process,
     * whose start form and authorizations say who may run them: a rep's availability is changed in
     * Manage rep availability (sales managers), a lead is registered by the lifecycle. Called from
     * another process's model (a service task or a listener), a process owner's process changed sales
     * reps' settings, or made a known lead's id its own.
     */
    static final Map<String, String> DELEGATE_PROCESS = Map.of(
            "applyRepAvailabilityChangeDelegate", "repAvailability",
            "registerLeadDelegate", "leadLifecycle",
            // sends what its variables name (a batch, a message, its recipients): called elsewhere, mail to any address
            "sendNotificationDelegate", "leadNotification");

    public static List<String> delegatesOutOfTheirProcess(BpmnModelInstance model) {
        List<String> violations = new ArrayList<>();
        // every element that can name a delegate: a service, send or business rule task, a message event's definition,
        // a listener (the engine runs camunda:delegateExpression on each of them)
        List<ModelElementInstance> callers = new ArrayList<>(model.getModelElementsByType(BaseElement.class));
        callers.addAll(model.getModelElementsByType(CamundaExecutionListener.class));
        callers.addAll(model.getModelElementsByType(CamundaTaskListener.class));
        for (ModelElementInstance caller : callers) {
            String expression = caller.getAttributeValueNs(ModelExpressions.CAMUNDA_NS, "delegateExpression");
            if (expression == null) {
                continue;
            }
            String bean = bean(expression);
            if (bean == null) {
                // whatever else it is (#{bean}, a composite, a nested one), the rule below could not tell which bean it runs
                violations.add("camunda:delegateExpression " + expression + " must name a bean as ${beanName}");
                continue;
            }
            String home = DELEGATE_PROCESS.get(bean);
            if (home == null) {
                continue;
            }
            ModelElementInstance process = caller;
            while (process != null && !(process instanceof Process)) {
                process = process.getParentElement();
            }
            String processId = process == null ? null : ((Process) process).getId();
            if (!home.equals(processId)) {
                violations.add(bean + " belongs to process " + home + ": process " + processId + " may not call it");
            }
        }
        return violations;
    }

    /**
     * The result variable the app's processes read of each decision the app owns, mapped as one entry:
     * the lifecycle's gateway reads {@code mqlReached}, the rep rotation {@code territory}.
     */
    static final Map<String, String> DECISION_RESULTS = Map.of("mqlDecision", "mqlReached", "leadRouting", "territory");

    /** Decisions and called processes exist and are bound by key; the app's decisions give what it reads. */
    public static List<String> decisionsAndCalls(BpmnModelInstance model, References references) {
        List<String> violations = new ArrayList<>();
        for (BusinessRuleTask task : model.getModelElementsByType(BusinessRuleTask.class)) {
            String key = task.getCamundaDecisionRef();
            String result = DECISION_RESULTS.get(key);
            if (result != null && (!"singleEntry".equals(task.getCamundaMapDecisionResult()) || !result.equals(task.getCamundaResultVariable()))) {
                violations.add("business rule task " + task.getId() + " must put decision '" + key + "' into " + result
                        + " as a single entry (camunda:mapDecisionResult=\"singleEntry\" camunda:resultVariable=\"" + result
                        + "\"), which the app reads; it has " + task.getCamundaMapDecisionResult() + " into " + task.getCamundaResultVariable());
            }
            if (blank(key) || !references.decision().test(key)) {
                violations.add("business rule task " + task.getId() + " uses decision '" + key + "', which is not deployed");
            }
            if (!latest(task.getCamundaDecisionRefBinding())) {
                violations.add("business rule task " + task.getId() + " binds decision '" + key + "' by \""
                        + task.getCamundaDecisionRefBinding() + "\": it must be \"" + BINDING + "\"");
            }
        }
        for (CallActivity call : model.getModelElementsByType(CallActivity.class)) {
            String key = call.getCalledElement();
            if (blank(key) || !references.process().test(key)) {
                violations.add("call activity " + call.getId() + " calls process '" + key + "', which is not deployed");
            }
            if (!latest(call.getCamundaCalledElementBinding())) {
                violations.add("call activity " + call.getId() + " binds process '" + key + "' by \""
                        + call.getCamundaCalledElementBinding() + "\": it must be \"" + BINDING + "\"");
            }
            if (key != null && !CALLABLE.contains(key)) {
                // a called process is started without its own authorizations: Manage rep availability called from the
                // lifecycle changed a rep for a process owner, who is no sales manager
                violations.add("call activity " + call.getId() + " calls process '" + key + "': a model calls only the lead's "
                        + new TreeSet<>(CALLABLE) + ", which run on its business key");
            }
            // the called process is the same lead's: its steps hold the leadId against the business key passed here
            List<String> keys = call.getExtensionElements() == null ? List.of()
                    : call.getExtensionElements().getElementsQuery().filterByType(CamundaIn.class).list().stream()
                    .map(CamundaIn::getCamundaBusinessKey).filter(java.util.Objects::nonNull).toList();
            if (keys.size() != 1 || !BUSINESS_KEY_PASSED_ON.contains(keys.get(0).strip())) {
                violations.add("call activity " + call.getId() + " must pass on the lead's business key as it is"
                        + " (<camunda:in businessKey=\"#{execution.processBusinessKey}\" />), it passes " + keys);
            }
        }
        return violations;
    }

    /**
     * A process starts from the app (a capture, a revival, a notification) or from its start form: not
     * by a timer, message, signal or condition of its own. Such a start runs without anybody's login,
     * and a process owner's timer-started process ran the app's steps with variables of its own choosing.
     * An event subprocess's start (do-not-contact inside the lifecycle) is the process's, and allowed.
     */
    public static List<String> startEvents(BpmnModelInstance model) {
        List<String> violations = new ArrayList<>();
        for (Process process : model.getModelElementsByType(Process.class)) {
            process.getChildElementsByType(StartEvent.class).stream()
                    .filter(start -> !start.getEventDefinitions().isEmpty())
                    .forEach(start -> violations.add("start event " + start.getId() + " of process " + process.getId() + " starts by a "
                            + start.getEventDefinitions().iterator().next().getElementType().getTypeName().replace("EventDefinition", "")
                            + ": a process starts from the app or from its start form, never by itself (such a start runs without anybody's login)"));
        }
        return violations;
    }

    /** The bean a plain delegate expression names ({@code ${beanName}}), or null. */
    private static String bean(String delegateExpression) {
        return delegateExpression == null || !delegateExpression.matches("\\$\\{[a-zA-Z]+}") ? null
                : delegateExpression.substring(2, delegateExpression.length() - 1);
    }

    /** Bound to the latest version: "latest", or no binding (the engine's default). */
    private static boolean latest(String binding) {
        return binding == null || BINDING.equals(binding);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
