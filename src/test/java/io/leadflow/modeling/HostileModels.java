package io.leadflow.modeling;

/** Models a process owner could deploy to run code, for the tests of what refuses them. */
public final class HostileModels {

    /** What a FEEL script given the execution can call: every Java method, the identity service's too. */
    public static final String MAKE_PAULA_ADMIN = "execution.processEngineServices.identityService.createMembership(\"paula\",\"camunda-admin\") = null";

    private HostileModels() {
    }

    /**
     * Process {@code conditioned}: a conditional event (id {@code Condition_Feel}) whose condition is a
     * script in FEEL, with the attributes and script given.
     */
    public static String feelCondition(String attributes, String script) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_Conditioned" targetNamespace="http://leadflow.io/test">
                  <bpmn:process id="conditioned" isExecutable="true" camunda:historyTimeToLive="P1D">
                    <bpmn:startEvent id="Start"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
                    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Catch_Condition"/>
                    <bpmn:intermediateCatchEvent id="Catch_Condition">
                      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
                      <bpmn:conditionalEventDefinition id="Condition_Feel">
                        <bpmn:condition xsi:type="bpmn:tFormalExpression" language="feel"%s><![CDATA[%s]]></bpmn:condition>
                      </bpmn:conditionalEventDefinition>
                    </bpmn:intermediateCatchEvent>
                    <bpmn:sequenceFlow id="Flow_2" sourceRef="Catch_Condition" targetRef="End"/>
                    <bpmn:endEvent id="End"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
                  </bpmn:process>
                </bpmn:definitions>""".formatted(attributes, script);
    }
}
