package io.leadflow.modeling;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.ScriptTask;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFormData;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaScript;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaTaskListener;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;

import io.leadflow.assignment.SalesRepOfTask;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.LeadStages;
import io.leadflow.notification.Notifications;
import io.leadflow.platform.CamundaInternals;
import io.leadflow.platform.CamundaInternals.Juel;
import io.leadflow.sla.SlaProperties;
import io.leadflow.sla.SlaTimers;

/**
 * What a model's expressions may do: a deployed model runs its expressions with the engine's (and
 * Spring's) full powers, so a model that called {@code ${identityService.createMembership(…)}} in a
 * listener made its deployer an administrator. A process owner's model may use:
 * <ul>
 * <li>its process variables as values ({@code ${contactOutcome == 'connected'}}), no member of them;</li>
 * <li>beans by name, as delegates and listeners are called ({@code ${registerLeadDelegate}});</li>
 * <li>the model beans' methods ({@link #MODEL_BEANS}: {@code ${sla.deadline('acceptLead')}}), the
 *     execution's variables and business key ({@code ${execution.setVariable('x', 1)}}) and the
 *     engine's functions ({@code currentUser()} and the like).</li>
 * </ul>
 * Not: any other Spring bean or engine service, a member of a variable, of a literal or of a
 * method's result, brackets, scripts (a {@code language} on any element), Java classes by name, HTML or
 * generated forms. Every attribute value and element text of the model is read (as the XML parser
 * gives it: entities resolved, CDATA joined) and every one that holds {@code ${} or {@code #{} is
 * parsed by the engine's own JUEL parser ({@link CamundaInternals.Juel}): the check judges the tree
 * the engine evaluates, so no escape, string or Unicode space leads it to read another expression.
 * <p>
 * A model bean's method must exist with as many arguments as the model gives it, and a name it
 * takes as a literal must be one it knows ({@link #LITERAL_ARGUMENTS}: an SLA, a stage): the engine
 * resolves an expression only when a lead reaches it, so {@code ${sla.deadline('reviewMQL')}}
 * deployed from Modeler failed every lead becoming an MQL, and each one captured meanwhile kept the
 * broken version until migrated.
 */
public final class ModelExpressions {

    /** The namespace of Camunda's attributes in a model. */
    static final String CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn";
    /** Activiti's, which the engine reads as Camunda's. */
    static final String ACTIVITI_NS = "http://activiti.org/bpmn";
    /** The beans whose methods models call, by name and class: the SLA's dates, the notifications, the stages, the rep of a task, the score's age. */
    static final Map<String, Class<?>> MODEL_BEAN_TYPES = Map.of("sla", SlaTimers.class, "notifications", Notifications.class,
            "leadStages", LeadStages.class, "salesRepOfTask", SalesRepOfTask.class, "leadScores", io.leadflow.scoring.LeadScores.class);
    public static final Set<String> MODEL_BEANS = MODEL_BEAN_TYPES.keySet();
    /**
     * The methods a model may call of the beans that do more than compute (null: all their own): the
     * notifications bean's others take the engine's services and any scope, and would write about any lead.
     */
    static final Map<String, Set<String>> MODEL_METHODS = Map.of("notifications", Set.of("leadAssigned", "assignmentNeeded"));
    /** The names a model bean's method takes as a literal argument, by method and argument position. */
    static final Map<String, Map<Integer, Set<String>>> LITERAL_ARGUMENTS = Map.of(
            "sla.deadline", Map.of(0, SlaProperties.Deadlines.NAMES),
            "sla.reminder", Map.of(0, SlaProperties.Deadlines.NAMES),
            "sla.track", Map.of(1, SlaProperties.Deadlines.NAMES),
            "leadStages.enter", Map.of(1, names(LeadStage.values())));
    /** What a model may ask of the execution. */
    static final Set<String> EXECUTION_MEMBERS = Set.of("setVariable", "getVariable", "processBusinessKey", "getProcessBusinessKey",
            "businessKey", "getBusinessKey");
    /** The engine's expression functions. */
    static final Set<String> FUNCTIONS = Set.of("currentUser", "currentUserGroups", "now", "dateTime");


    private ModelExpressions() {
    }

    public static List<String> check(BpmnModelInstance model) {
        List<String> violations = new ArrayList<>();
        model.getModelElementsByType(ScriptTask.class)
                .forEach(task -> violations.add("script task " + task.getId() + ": models run no scripts"));
        model.getModelElementsByType(CamundaScript.class)
                .forEach(script -> violations.add("a camunda:script in " + parentId(script) + ": models run no scripts"));
        // a language on any element: a flow's condition, a conditional event's, anything the engine reads as a script
        // (FEEL as a script is given the execution and reaches every Java method through it)
        ModelXml.attributesEndingWith(model, null, "language").forEach(attribute ->
                violations.add(attribute + " names a script language: models run no scripts"));
        ModelXml.attributesEndingWith(model, CAMUNDA_NS, "resource").forEach(attribute ->
                violations.add(attribute + " loads a script: models run no scripts"));
        // the engine reads Camunda's attributes under Activiti's old namespace too: activiti:class, activiti:formKey
        // and the rest would pass every check below, which reads camunda: (a process owner ran a shell that way)
        ModelXml.inNamespace(model, ACTIVITI_NS).forEach(where -> violations.add(where
                + " is in Activiti's namespace, which the engine reads as camunda:: models use the camunda: namespace"));
        // a task of a built-in type (shell, mail, external): the engine runs the type, whatever else the task names
        ModelXml.attributesEndingWith(model, CAMUNDA_NS, "type").stream().filter(attribute -> attribute.endsWith(":type"))
                .forEach(attribute -> violations.add(attribute + " names a built-in task type (a shell command, a mail to"
                        + " any address, an external worker): models call beans by camunda:delegateExpression"));
        // a service task by class is the delegate rule's; listeners and the other elements are these
        model.getModelElementsByType(BaseElement.class).stream()
                .filter(element -> !(element instanceof ServiceTask) && element.getAttributeValueNs(CAMUNDA_NS, "class") != null)
                .forEach(element -> violations.add(element.getId() + " names a Java class (camunda:class): models call beans by expression"));
        // a call activity's variable mapping or a form handler by class: the engine makes an instance of any class named
        ModelXml.attributesEndingWith(model, CAMUNDA_NS, "Class")
                .forEach(attribute -> violations.add(attribute + " names a Java class: models call beans by expression"));
        // generated task forms: a field's validator may name a class; models use Camunda Forms
        model.getModelElementsByType(CamundaFormData.class)
                .forEach(form -> violations.add("a camunda:formData in " + parentId(form) + ": models use Camunda Forms (camunda:formRef)"));
        // an HTML form (embedded:, or app: served from elsewhere) runs its scripts in the browser of whoever opens the task
        model.getModelElementsByType(BaseElement.class).stream()
                .filter(element -> element.getAttributeValueNs(CAMUNDA_NS, "formKey") != null)
                .forEach(element -> violations.add(element.getId() + " has an HTML form (camunda:formKey): models use Camunda Forms"
                        + " (camunda:formRef), which run no scripts"));
        model.getModelElementsByType(CamundaExecutionListener.class).stream().filter(l -> l.getCamundaClass() != null)
                .forEach(l -> violations.add("an execution listener in " + parentId(l) + " names a Java class: models call beans by expression"));
        model.getModelElementsByType(CamundaTaskListener.class).stream().filter(l -> l.getCamundaClass() != null)
                .forEach(l -> violations.add("a task listener in " + parentId(l) + " names a Java class: models call beans by expression"));
        Set<String> problems = new LinkedHashSet<>();
        for (ModelXml.Text text : ModelXml.texts(model)) {
            String problem = textProblem(text.value());
            if (problem != null) {
                problems.add(text.where() + ": " + abbreviated(text.value()) + ": " + problem);
            }
        }
        violations.addAll(problems);
        return violations;
    }

    /** A long text (a documentation) as a refusal quotes it: its first 200 characters. */
    private static String abbreviated(String text) {
        String flat = text.strip();
        return flat.length() <= 200 ? flat : io.leadflow.web.TextRules.cut(flat, 200) + "…";
    }

    /**
     * Why a text (an attribute value, an element's text) may not run in a model, or null: read by the
     * engine's own JUEL parser ({@link CamundaInternals.Juel}), every expression in it judged as the
     * tree the engine evaluates. A text that holds {@code ${} or {@code #{} and that the parser cannot
     * read is refused (the engine would fail on it, or read it as something else).
     */
    static String textProblem(String text) {
        if (!text.contains("${") && !text.contains("#{")) {
            return null;
        }
        Juel.Element tree;
        try {
            tree = Juel.parse(text);
        } catch (IllegalArgumentException unreadable) {
            return "it cannot be read as an expression (" + unreadable.getMessage() + ")";
        }
        return problem(tree);
    }

    /**
     * The variables an expression text reads: its identifiers that are not a model bean, the execution
     * or the task (empty for a text the parser cannot read: {@link #textProblem} says so).
     */
    static Set<String> variablesRead(String text) {
        Set<String> names = new java.util.TreeSet<>();
        if (!text.contains("${") && !text.contains("#{")) {
            return names;
        }
        try {
            collectIdentifiers(Juel.parse(text), names);
        } catch (IllegalArgumentException unreadable) {
            return names;
        }
        names.removeAll(MODEL_BEANS);
        names.remove("execution");
        names.remove("task");
        return names;
    }

    private static void collectIdentifiers(Juel.Element node, Set<String> names) {
        if (node.kind() == Juel.Kind.IDENTIFIER) {
            names.add(node.name());
        }
        node.children().forEach(child -> collectIdentifiers(child, names));
    }

    /** Why the expression (its code, without {@code ${}}) may not run in a model, or null. */
    static String problem(String code) {
        return textProblem("${" + code + "}");
    }

    /** Why this node, or one below it, may not run in a model, or null. */
    private static String problem(Juel.Element node) {
        String problem = switch (node.kind()) {
            case BRACKET -> "no brackets: name the variable or the model bean's method";
            case FUNCTION -> FUNCTIONS.contains(node.name()) ? null
                    : node.name() + "() is not one of the engine's functions " + FUNCTIONS;
            case METHOD, PROPERTY -> memberProblem(node);
            default -> null;
        };
        if (problem != null) {
            return problem;
        }
        // a method's object is judged with the method: only the arguments are left (a property's object likewise)
        List<Juel.Element> below = node.kind() == Juel.Kind.METHOD || node.kind() == Juel.Kind.PROPERTY
                ? node.children().subList(1, node.children().size()) : node.children();
        for (Juel.Element child : below) {
            String inside = problem(child);
            if (inside != null) {
                return inside;
            }
        }
        return null;
    }

    /** A method call or property read: only of a model bean named directly, or the execution's few. */
    private static String memberProblem(Juel.Element node) {
        Juel.Element object = node.children().get(0);
        if (object.kind() != Juel.Kind.IDENTIFIER) {
            return "no member of a literal, of a variable's member or of a method's result (." + node.name() + ")";
        }
        String root = object.name();
        if (MODEL_BEANS.contains(root)) {
            if (node.kind() == Juel.Kind.PROPERTY) {
                return propertyProblem(root, node.name());
            }
            List<Juel.Element> arguments = node.children().subList(1, node.children().size());
            return callProblem(root, node.name(), arguments.size(),
                    arguments.stream().map(a -> a.kind() == Juel.Kind.STRING ? a.value() : null).toList());
        }
        if ("execution".equals(root) && EXECUTION_MEMBERS.contains(node.name())) {
            return null;
        }
        return root + "." + node.name() + " is not allowed: a model may call only " + MODEL_BEANS
                + "'s methods and execution's " + EXECUTION_MEMBERS + ", and use variables as values";
    }

    /** Why the model bean has no such method for these arguments (null where an argument is no string literal), or null. */
    private static String callProblem(String bean, String method, int argumentCount, List<String> literals) {
        Set<Integer> counts = new TreeSet<>();
        Arrays.stream(MODEL_BEAN_TYPES.get(bean).getMethods()).filter(m -> m.getName().equals(method) && callable(m))
                .forEach(m -> counts.add(m.getParameterCount()));
        if (counts.isEmpty()) {
            return bean + " has no method " + method + "; its methods: " + methodNames(bean);
        }
        if (MODEL_METHODS.containsKey(bean) && !MODEL_METHODS.get(bean).contains(method)) {
            return bean + "." + method + " is not for models: a model may call " + bean + "'s " + new TreeSet<>(MODEL_METHODS.get(bean));
        }
        if (!counts.contains(argumentCount)) {
            return bean + "." + method + " takes " + counts.stream().map(String::valueOf).reduce((a, b) -> a + " or " + b).orElseThrow()
                    + " argument(s), not " + argumentCount;
        }
        Map<Integer, Set<String>> known = LITERAL_ARGUMENTS.getOrDefault(bean + "." + method, Map.of());
        for (Map.Entry<Integer, Set<String>> position : known.entrySet()) {
            String literal = literals.size() > position.getKey() ? literals.get(position.getKey()) : null;
            if (literal != null && !position.getValue().contains(literal)) {
                return bean + "." + method + " knows no '" + literal + "'; it knows " + new TreeSet<>(position.getValue());
            }
        }
        return null;
    }

    /** Why the model bean has no such property ({@code sla.maxAttempts}: a getter), or null. */
    private static String propertyProblem(String bean, String property) {
        String suffix = property.substring(0, 1).toUpperCase(Locale.ROOT) + property.substring(1);
        boolean readable = Arrays.stream(MODEL_BEAN_TYPES.get(bean).getMethods())
                .anyMatch(m -> callable(m) && m.getParameterCount() == 0
                        && (m.getName().equals("get" + suffix) || m.getName().equals("is" + suffix)));
        return readable ? null : bean + " has no property " + property + "; its methods: " + methodNames(bean);
    }

    /** Its own public instance methods: what the bean is for, not {@code Object}'s. */
    private static boolean callable(Method method) {
        return !Modifier.isStatic(method.getModifiers()) && method.getDeclaringClass() != Object.class;
    }

    private static Set<String> methodNames(String bean) {
        Set<String> names = new TreeSet<>();
        Arrays.stream(MODEL_BEAN_TYPES.get(bean).getMethods()).filter(ModelExpressions::callable).forEach(m -> names.add(m.getName()));
        return names;
    }

    private static Set<String> names(Enum<?>[] values) {
        Set<String> names = new TreeSet<>();
        Arrays.stream(values).forEach(v -> names.add(v.name()));
        return Set.copyOf(names);
    }

    private static String parentId(ModelElementInstance element) {
        var parent = element.getParentElement();
        while (parent != null && parent.getAttributeValue("id") == null) {
            parent = parent.getParentElement();
        }
        return parent == null ? "the model" : parent.getAttributeValue("id");
    }
}
