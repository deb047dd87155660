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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * method's result, brackets, scripts, Java classes by name. Checked on the whole model's XML, so no
 * attribute or element is passed over.
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
    /** The beans whose methods models call, by name and class: the SLA's dates, the notifications, the stages, the rep of a task. */
    static final Map<String, Class<?>> MODEL_BEAN_TYPES = Map.of("sla", SlaTimers.class, "notifications", Notifications.class,
            "leadStages", LeadStages.class, "salesRepOfTask", SalesRepOfTask.class);
    public static final Set<String> MODEL_BEANS = MODEL_BEAN_TYPES.keySet();
    /** The names a model bean's method takes as a literal argument, by method and argument position. */
    static final Map<String, Map<Integer, Set<String>>> LITERAL_ARGUMENTS = Map.of(
            "sla.deadline", Map.of(0, SlaProperties.Deadlines.NAMES),
            "sla.reminder", Map.of(0, SlaProperties.Deadlines.NAMES),
            "leadStages.enter", Map.of(1, names(LeadStage.values())));
    /** What a model may ask of the execution. */
    static final Set<String> EXECUTION_MEMBERS = Set.of("setVariable", "getVariable", "processBusinessKey", "getProcessBusinessKey",
            "businessKey", "getBusinessKey");
    /** The engine's expression functions. */
    static final Set<String> FUNCTIONS = Set.of("currentUser", "currentUserGroups", "now", "dateTime");
    /** JUEL's words, which are no names. */
    static final Set<String> KEYWORDS = Set.of("and", "or", "not", "eq", "ne", "lt", "gt", "le", "ge", "true", "false", "null",
            "empty", "instanceof", "div", "mod");

    private static final Pattern STRING = Pattern.compile("'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"");
    /** A string literal in the code once {@link #STRING}s are numbered: {@code '0'}, {@code '1'}, … */
    private static final Pattern NUMBERED_LITERAL = Pattern.compile("'(\\d+)'");
    /** A name and the members after it: {@code sla.deadline(}, {@code execution.setVariable(}, {@code salesRep}. */
    private static final Pattern CHAIN = Pattern.compile("(?<![\\w$.])([A-Za-z_$][\\w$]*)((?:\\s*\\.\\s*[A-Za-z_$][\\w$]*)*)(\\s*\\()?");

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
        for (String text : ModelXml.texts(model)) {
            for (Expression expression : expressions(text)) {
                String problem = expression.closed() ? problem(expression.code())
                        : "it has no closing }: the engine would read it otherwise, or not at all";
                if (problem != null) {
                    problems.add("expression ${" + expression.code() + (expression.closed() ? "}" : "") + ": " + problem);
                }
            }
        }
        violations.addAll(problems);
        return violations;
    }

    /** An expression's code between its braces, and whether its closing brace was there. */
    record Expression(String code, boolean closed) {
    }

    /**
     * The expressions in one attribute value or element text, read as JUEL reads them: from
     * {@code ${} or {@code #{} to the first {@code }} outside a string literal (a {@code '} or
     * {@code "} string, where a backslash escapes the next character). {@code ${'}' == '}' ? x : y}} is
     * one expression: a check that ended it at the first brace never saw its tail. Conservative where
     * JUEL is not: an escaped {@code \${} is checked too.
     */
    static List<Expression> expressions(String text) {
        List<Expression> found = new ArrayList<>();
        int from = 0;
        while (true) {
            int start = opening(text, from);
            if (start < 0) {
                return found;
            }
            char quote = 0;
            int end = -1;
            for (int i = start + 2; i < text.length() && end < 0; i++) {
                char c = text.charAt(i);
                if (quote != 0) {
                    if (c == '\\') {
                        i++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '}') {
                    end = i;
                }
            }
            if (end < 0) {
                found.add(new Expression(text.substring(start + 2), false));
                return found;
            }
            found.add(new Expression(text.substring(start + 2, end), true));
            from = end + 1;
        }
    }

    /** Where the next {@code ${} or {@code #{} starts at or after {@code from}, or -1. */
    private static int opening(String text, int from) {
        int dollar = text.indexOf("${", from);
        int hash = text.indexOf("#{", from);
        return dollar < 0 ? hash : hash < 0 ? dollar : Math.min(dollar, hash);
    }

    /** Why the expression may not run in a model, or null. */
    static String problem(String text) {
        // each string literal becomes '<its number>': the code keeps its shape, the literal its value
        List<String> literals = new ArrayList<>();
        Matcher string = STRING.matcher(text);
        StringBuilder numbered = new StringBuilder();
        while (string.find()) {
            String literal = string.group();
            literals.add(literal.substring(1, literal.length() - 1));
            string.appendReplacement(numbered, "'" + (literals.size() - 1) + "'");
        }
        string.appendTail(numbered);
        String code = numbered.toString();
        if (code.contains("[")) {
            return "no brackets: name the variable or the model bean's method";
        }
        if (code.matches("(?s).*('\\d+'|\\))\\s*\\..*")) {
            return "no member of a literal or of a method's result";
        }
        Matcher chain = CHAIN.matcher(code);
        while (chain.find()) {
            String root = chain.group(1);
            List<String> members = members(chain.group(2));
            boolean call = chain.group(3) != null;
            if (KEYWORDS.contains(root)) {
                continue;
            }
            if (members.isEmpty()) {
                if (call && !FUNCTIONS.contains(root)) {
                    return root + "() is not one of the engine's functions " + FUNCTIONS;
                }
                continue; // a variable's value, or a bean by name (a delegate; the delegate rule says which exist)
            }
            if (MODEL_BEANS.contains(root) && members.size() == 1) {
                String wrong = call ? callProblem(root, members.get(0), arguments(code, chain.end() - 1), literals)
                        : propertyProblem(root, members.get(0));
                if (wrong != null) {
                    return wrong;
                }
                continue;
            }
            if ("execution".equals(root) && members.size() == 1 && EXECUTION_MEMBERS.contains(members.get(0))) {
                continue;
            }
            return root + "." + String.join(".", members) + " is not allowed: a model may call only " + MODEL_BEANS
                    + "'s methods and execution's " + EXECUTION_MEMBERS + ", and use variables as values";
        }
        return null;
    }

    /** Why the model bean has no such method for these arguments, or null. */
    private static String callProblem(String bean, String method, List<String> arguments, List<String> literals) {
        Set<Integer> counts = new TreeSet<>();
        Arrays.stream(MODEL_BEAN_TYPES.get(bean).getMethods()).filter(m -> m.getName().equals(method) && callable(m))
                .forEach(m -> counts.add(m.getParameterCount()));
        if (counts.isEmpty()) {
            return bean + " has no method " + method + "; its methods: " + methodNames(bean);
        }
        if (!counts.contains(arguments.size())) {
            return bean + "." + method + " takes " + counts.stream().map(String::valueOf).reduce((a, b) -> a + " or " + b).orElseThrow()
                    + " argument(s), not " + arguments.size();
        }
        Map<Integer, Set<String>> known = LITERAL_ARGUMENTS.getOrDefault(bean + "." + method, Map.of());
        for (Map.Entry<Integer, Set<String>> position : known.entrySet()) {
            Matcher literal = NUMBERED_LITERAL.matcher(arguments.size() > position.getKey() ? arguments.get(position.getKey()) : "");
            if (literal.matches() && !position.getValue().contains(literals.get(Integer.parseInt(literal.group(1))))) {
                return bean + "." + method + " knows no '" + literals.get(Integer.parseInt(literal.group(1))) + "'; it knows "
                        + new TreeSet<>(position.getValue());
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

    /** The arguments of the call whose {@code (} is at {@code open}, split at its own commas (none: an empty list). */
    private static List<String> arguments(String code, int open) {
        List<String> arguments = new ArrayList<>();
        int depth = 0;
        int start = open + 1;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                arguments.add(code.substring(start, i).strip());
                break;
            } else if (c == ',' && depth == 1) {
                arguments.add(code.substring(start, i).strip());
                start = i + 1;
            }
        }
        return arguments.size() == 1 && arguments.get(0).isEmpty() ? List.of() : arguments;
    }

    private static Set<String> names(Enum<?>[] values) {
        Set<String> names = new TreeSet<>();
        Arrays.stream(values).forEach(v -> names.add(v.name()));
        return Set.copyOf(names);
    }

    private static List<String> members(String chain) {
        List<String> members = new ArrayList<>();
        for (String part : chain.split("\\.")) {
            if (!part.isBlank()) {
                members.add(part.strip());
            }
        }
        return members;
    }

    private static String parentId(ModelElementInstance element) {
        var parent = element.getParentElement();
        while (parent != null && parent.getAttributeValue("id") == null) {
            parent = parent.getParentElement();
        }
        return parent == null ? "the model" : parent.getAttributeValue("id");
    }
}
