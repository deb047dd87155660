package io.leadflow.modeling;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.ConditionExpression;
import org.camunda.bpm.model.bpmn.instance.ScriptTask;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaScript;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaTaskListener;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;

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
 */
public final class ModelExpressions {

    /** The namespace of Camunda's attributes in a model. */
    static final String CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn";
    /** The beans whose methods models call: the SLA's dates, the notifications, the stages, the rep of a task. */
    public static final Set<String> MODEL_BEANS = Set.of("sla", "notifications", "leadStages", "salesRepOfTask");
    /** What a model may ask of the execution. */
    static final Set<String> EXECUTION_MEMBERS = Set.of("setVariable", "getVariable", "processBusinessKey", "getProcessBusinessKey",
            "businessKey", "getBusinessKey");
    /** The engine's expression functions. */
    static final Set<String> FUNCTIONS = Set.of("currentUser", "currentUserGroups", "now", "dateTime");
    /** JUEL's words, which are no names. */
    static final Set<String> KEYWORDS = Set.of("and", "or", "not", "eq", "ne", "lt", "gt", "le", "ge", "true", "false", "null",
            "empty", "instanceof", "div", "mod");

    private static final Pattern EXPRESSION = Pattern.compile("[$#]\\{([^}]*)}");
    private static final Pattern STRING = Pattern.compile("'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"");
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
        model.getModelElementsByType(ConditionExpression.class).stream()
                .filter(condition -> condition.getLanguage() != null)
                .forEach(condition -> violations.add("a condition in language " + condition.getLanguage() + ": models run no scripts"));
        // a service task by class is the delegate rule's; listeners and the other elements are these
        model.getModelElementsByType(BaseElement.class).stream()
                .filter(element -> !(element instanceof ServiceTask) && element.getAttributeValueNs(CAMUNDA_NS, "class") != null)
                .forEach(element -> violations.add(element.getId() + " names a Java class (camunda:class): models call beans by expression"));
        model.getModelElementsByType(CamundaExecutionListener.class).stream().filter(l -> l.getCamundaClass() != null)
                .forEach(l -> violations.add("an execution listener in " + parentId(l) + " names a Java class: models call beans by expression"));
        model.getModelElementsByType(CamundaTaskListener.class).stream().filter(l -> l.getCamundaClass() != null)
                .forEach(l -> violations.add("a task listener in " + parentId(l) + " names a Java class: models call beans by expression"));
        String xml = Bpmn.convertToString(model);
        Set<String> problems = new LinkedHashSet<>();
        Matcher expression = EXPRESSION.matcher(xml);
        while (expression.find()) {
            String text = unescape(expression.group(1));
            String problem = problem(text);
            if (problem != null) {
                problems.add("expression ${" + text + "}: " + problem);
            }
        }
        violations.addAll(problems);
        return violations;
    }

    /** Why the expression may not run in a model, or null. */
    static String problem(String text) {
        String code = STRING.matcher(text).replaceAll("''");
        if (code.contains("[")) {
            return "no brackets: name the variable or the model bean's method";
        }
        if (code.matches("(?s).*(''|\\))\\s*\\..*")) {
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

    private static List<String> members(String chain) {
        List<String> members = new ArrayList<>();
        for (String part : chain.split("\\.")) {
            if (!part.isBlank()) {
                members.add(part.strip());
            }
        }
        return members;
    }

    private static String unescape(String xml) {
        return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&#39;", "'").replace("&amp;", "&");
    }

    private static String parentId(ModelElementInstance element) {
        var parent = element.getParentElement();
        while (parent != null && parent.getAttributeValue("id") == null) {
            parent = parent.getParentElement();
        }
        return parent == null ? "the model" : parent.getAttributeValue("id");
    }
}
