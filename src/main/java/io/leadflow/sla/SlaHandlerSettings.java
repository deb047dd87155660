package io.leadflow.sla;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

import io.leadflow.lead.LeadContext;

/**
 * The settings of a reminder or escalation task ({@code slaName}, {@code slaTaskKey},
 * {@code escalationGroup}, {@code reassignToNextRep}): fixed values are extension properties of the
 * task in the model (Modeler: Extension properties); a value that must be computed stays an input
 * parameter (e.g. the follow-up's {@code slaName} expression), and so do all of them in versions
 * deployed before this release. An input parameter is a process variable: a runtime row, a historic
 * row and a history detail row for every run of the task, thousands of times in a wave of SLA timers;
 * a property is read from the deployed model, which the engine keeps in memory.
 */
public final class SlaHandlerSettings {

    /** Properties per deployed version and task; deployed models never change. */
    private static final Map<String, Map<String, String>> PROPERTIES = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 10_000;

    private SlaHandlerSettings() {
    }

    /** An element's extension properties (Modeler: Extension properties), as the handlers read them; none: empty. */
    public static Map<String, String> properties(BaseElement element) {
        Map<String, String> properties = new HashMap<>();
        ExtensionElements extensions = element == null ? null : element.getExtensionElements();
        if (extensions != null) {
            for (CamundaProperties group : extensions.getElementsQuery().filterByType(CamundaProperties.class).list()) {
                for (CamundaProperty property : group.getCamundaProperties()) {
                    if (property.getCamundaName() != null && property.getCamundaValue() != null) {
                        properties.put(property.getCamundaName(), property.getCamundaValue());
                    }
                }
            }
        }
        return Map.copyOf(properties);
    }

    static String text(DelegateExecution execution, String name) {
        String property = properties(execution).get(name);
        return property != null ? property : LeadContext.text(execution, name);
    }

    static boolean flag(DelegateExecution execution, String name) {
        String property = properties(execution).get(name);
        return property != null ? Boolean.parseBoolean(property.trim()) : LeadContext.flag(execution, name);
    }

    private static Map<String, String> properties(DelegateExecution execution) {
        String key = execution.getProcessDefinitionId() + "/" + execution.getCurrentActivityId();
        Map<String, String> cached = PROPERTIES.get(key);
        if (cached != null) {
            return cached;
        }
        Map<String, String> immutable = properties(execution.getBpmnModelElementInstance());
        if (PROPERTIES.size() >= MAX_CACHED) {
            PROPERTIES.clear();
        }
        PROPERTIES.put(key, immutable);
        return immutable;
    }
}
