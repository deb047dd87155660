package io.leadflow.modeling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.Test;

/** What a deployed model's expressions may call: the model beans, the execution's variables, values; nothing else. */
class ModelExpressionsTest {

    @Test
    void whatEscalatesOrReachesTheEngine_isRefused() {
        List<String> refused = List.of(
                "identityService.createMembership('paula', 'camunda-admin')",
                "execution.getProcessEngineServices().getIdentityService()",
                "execution.processEngineServices.identityService",
                "salesRep.getClass().forName('java.lang.Runtime')",
                "''.getClass()",
                "execution['processEngineServices']",
                "sla.deadline('x').getClass()",
                "apiKeys.create('x', null, 1, 'paula')",
                "task.execution.processEngine",
                "runtime()");
        for (String expression : refused) {
            assertThat(ModelExpressions.problem(expression)).as(expression).isNotNull();
        }
    }

    @Test
    void whatTheModelsUse_isAllowed() {
        List<String> allowed = List.of(
                "registerLeadDelegate", "sla.track(task)", "sla.deadline('acceptLead')", "recycleCount <= sla.maxRecycles",
                "contactOutcome != 'connected' && contactOutcome != 'doNotContact'", "leadStages.enter(execution, 'SQL')",
                "execution.setVariable('recycleReason', 'timing')", "execution.processBusinessKey", "salesRep == null",
                "currentUser()", "reviewNote == 'see a.b.getClass()'", "!mqlReached", "notifications.leadAssigned(task)");
        for (String expression : allowed) {
            assertThat(ModelExpressions.problem(expression)).as(expression).isNull();
        }
    }

    @Test
    void aModelBeansMethodThatIsNotThere_orAnSlaOrStageItDoesNotKnow_isRefused_beforeALeadReachesIt() {
        assertThat(ModelExpressions.problem("sla.deadline('reviewMQL')"))
                .startsWith("sla.deadline knows no 'reviewMQL'; it knows [acceptLead, assignByHand,");
        assertThat(ModelExpressions.problem("sla.reminder(\"qualifylead\")")).startsWith("sla.reminder knows no 'qualifylead'");
        assertThat(ModelExpressions.problem("sla.remind('qualifyLead')")).startsWith("sla has no method remind; its methods: [")
                .contains("deadline", "reminder", "track");
        assertThat(ModelExpressions.problem("sla.deadline()")).isEqualTo("sla.deadline takes 1 argument(s), not 0");
        assertThat(ModelExpressions.problem("sla.contactDeadline(attemptNumber)")).isEqualTo("sla.contactDeadline takes 2 argument(s), not 1");
        assertThat(ModelExpressions.problem("leadStages.enter(execution, 'SQL', 'a', 'b')"))
                .isEqualTo("leadStages.enter takes 2 or 3 argument(s), not 4");
        assertThat(ModelExpressions.problem("leadStages.enter(execution, 'Sql')")).startsWith("leadStages.enter knows no 'Sql'; it knows [");
        assertThat(ModelExpressions.problem("recycleCount <= sla.maxRecycle")).startsWith("sla has no property maxRecycle");
        assertThat(ModelExpressions.problem("notifications.leadAssigned(task, 'x')")).isEqualTo("notifications.leadAssigned takes 1 argument(s), not 2");
        // the notifications the app sends itself (reminders, breaches) take the engine's services and any scope: not a model's
        assertThat(ModelExpressions.problem("notifications.slaBreach(processEngine, execution, 'x', 'y', null, 'sam', 'acceptLead', true)"))
                .isEqualTo("notifications.slaBreach is not for models: a model may call notifications's [assignmentNeeded, leadAssigned]");
        // a name in a variable is the model's own business, as is a call inside a call's arguments
        assertThat(ModelExpressions.problem("sla.deadline(slaName)")).isNull();
        assertThat(ModelExpressions.problem("sla.contactDeadline(attemptNumber + 1, fitGrade == 'A' ? 'A' : 'B')")).isNull();
        assertThat(ModelExpressions.problem("leadStages.enter(execution, 'SQL', 'qualified (by phone)')")).isNull();
    }

    @Test
    void aListenerThatWouldMakeItsDeployerAnAdministrator_orAScript_isNamedInTheViolations() {
        BpmnModelInstance model = Bpmn.createExecutableProcess("sneaky").startEvent("StartEvent_Sneaky")
                .camundaExecutionListenerExpression("start", "${identityService.createMembership('paula', 'camunda-admin')}")
                .scriptTask("Task_Script").scriptFormat("javascript").scriptText("1")
                .sendTask("Task_SendByClass").camundaClass("io.example.Sender")
                .endEvent("EndEvent_Sneaky").camundaExecutionListenerClass("end", "io.example.Listener").done();

        assertThat(ModelExpressions.check(model)).containsExactlyInAnyOrder(
                "script task Task_Script: models run no scripts",
                "Task_SendByClass names a Java class (camunda:class): models call beans by expression",
                "an execution listener in EndEvent_Sneaky names a Java class: models call beans by expression",
                "camunda:executionListener in StartEvent_Sneaky, attribute expression: ${identityService.createMembership('paula',"
                        + " 'camunda-admin')}: identityService.createMembership is not allowed:"
                        + " a model may call only " + ModelExpressions.MODEL_BEANS + "'s methods and execution's "
                        + ModelExpressions.EXECUTION_MEMBERS + ", and use variables as values");
    }

    @Test
    void everyOtherWayToNameAJavaClass_orAnHtmlOrGeneratedForm_isNamedInTheViolations() {
        BpmnModelInstance model = Bpmn.createExecutableProcess("classes").startEvent("StartEvent_Classes")
                .camundaFormKey("embedded:deployment:offer.html")
                .userTask("Task_Generated").camundaFormField().camundaId("amount").camundaType("long").camundaFormFieldDone()
                .callActivity("CallActivity_Mapped").calledElement("other").camundaVariableMappingClass("io.example.Mapping")
                .endEvent("EndEvent_Classes").done();
        model.getModelElementById("Task_Generated").setAttributeValueNs(ModelExpressions.CAMUNDA_NS, "formHandlerClass", "io.example.Handler");

        assertThat(ModelExpressions.check(model)).containsExactlyInAnyOrder(
                "StartEvent_Classes has an HTML form (camunda:formKey): models use Camunda Forms (camunda:formRef), which run no scripts",
                "CallActivity_Mapped: camunda:variableMappingClass names a Java class: models call beans by expression",
                "Task_Generated: camunda:formHandlerClass names a Java class: models call beans by expression",
                "a camunda:formData in Task_Generated: models use Camunda Forms (camunda:formRef)");
    }

    @Test
    void aScriptLanguageOnAnyElement_orAScriptResource_isNamedInTheViolations_aConditionalEventsConditionToo() {
        String feel = HostileModels.feelCondition(" camunda:resource=\"deployment://admin.feel\"", HostileModels.MAKE_PAULA_ADMIN);
        BpmnModelInstance model = Bpmn.readModelFromStream(new java.io.ByteArrayInputStream(feel.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(ModelExpressions.check(model)).containsExactlyInAnyOrder(
                "bpmn:condition in Condition_Feel: language names a script language: models run no scripts",
                "bpmn:condition in Condition_Feel: camunda:resource loads a script: models run no scripts");
    }

    @Test
    void aBuiltInTaskType_orAnythingInActivitisNamespace_whichTheEngineReadsAsCamundas_isNamedInTheViolations() {
        String xml = Bpmn.convertToString(Bpmn.createExecutableProcess("typed").startEvent()
                .serviceTask("Task_Shell").camundaType("shell").camundaDelegateExpression("${scoreLeadDelegate}")
                .serviceTask("Task_Activiti").camundaDelegateExpression("${scoreLeadDelegate}").endEvent().done())
                .replaceFirst("<definitions ", "<definitions xmlns:activiti=\"http://activiti.org/bpmn\" ")
                .replaceFirst("id=\"Task_Activiti\"", "id=\"Task_Activiti\" activiti:class=\"org.camunda.bpm.engine.impl.bpmn.behavior.ShellActivityBehavior\"");
        BpmnModelInstance model = Bpmn.readModelFromStream(new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(ModelExpressions.check(model)).contains(
                "Task_Shell: camunda:type names a built-in task type (a shell command, a mail to any address, an external worker):"
                        + " models call beans by camunda:delegateExpression",
                "Task_Activiti: activiti:class is in Activiti's namespace, which the engine reads as camunda:: models use the camunda: namespace");
    }

    @Test
    void aClosingBraceInsideAStringLiteral_doesNotEndTheExpression_soItsTailIsCheckedToo() {
        String escalation = "identityService.createMembership('paula', 'camunda-admin')";
        BpmnModelInstance model = Bpmn.createExecutableProcess("braces").startEvent("StartEvent_Braces")
                .camundaExecutionListenerExpression("start", "${'}' == '}' ? " + escalation + " : null}")
                .camundaExecutionListenerExpression("end", "#{\"}\" == x ? " + escalation + " : null}")
                .userTask("Task_Braces").camundaExecutionListenerExpression("start", "${'\\'}' == '}' ? " + escalation + " : null}")
                .endEvent("EndEvent_Braces").camundaExecutionListenerExpression("start", "${salesRep == '}' ? 1 : " + escalation)
                .done();

        List<String> violations = ModelExpressions.check(model);

        assertThat(violations).as("each of the four, whole").hasSize(4)
                .anySatisfy(v -> assertThat(v).contains(", attribute expression: ${'}' == '}' ? " + escalation + " : null}: identityService.createMembership is not allowed"))
                .anySatisfy(v -> assertThat(v).contains(", attribute expression: #{\"}\" == x ? " + escalation + " : null}: identityService.createMembership is not allowed"))
                .anySatisfy(v -> assertThat(v).contains(", attribute expression: ${'\\'}' == '}' ? " + escalation))
                .anySatisfy(v -> assertThat(v).contains(", attribute expression: ${salesRep == '}' ? 1 : " + escalation
                        + ": it cannot be read as an expression ("));
    }

    @Test
    void aTextAnnotationIsANote_butAUserTasksDocumentationIsItsDescription_andARefusalNamesElementAndAttribute() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                    id="Definitions_Noted" targetNamespace="http://leadflow.io/test">
                  <bpmn:process id="noted" isExecutable="true" camunda:historyTimeToLive="P1D">
                    <bpmn:startEvent id="StartEvent_Noted"/>
                    <bpmn:userTask id="Task_Noted" camunda:candidateGroups="marketing">
                      <bpmn:documentation>Call ${identityService.createMembership('paula', 'camunda-admin')}</bpmn:documentation>
                    </bpmn:userTask>
                    <bpmn:textAnnotation id="TextAnnotation_Score"><bpmn:text>The form shows ${lead.score} and ${identityService.users}</bpmn:text></bpmn:textAnnotation>
                  </bpmn:process>
                </bpmn:definitions>
                """.strip();
        BpmnModelInstance model = Bpmn.readModelFromStream(new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        // the engine reads no annotation; a user task's documentation is evaluated as the task's description
        assertThat(ModelExpressions.check(model)).singleElement().asString()
                .startsWith("bpmn:documentation in Task_Noted: Call ${identityService.createMembership('paula', 'camunda-admin')}:"
                        + " identityService.createMembership is not allowed");
    }

    @Test
    void anExpressionSplitBetweenTextAndCdata_isReadWhole_asTheEngineReadsIt() {
        String xml = Bpmn.convertToString(Bpmn.createExecutableProcess("split").startEvent("StartEvent_Split")
                .exclusiveGateway("Gateway_Split").condition("yes", "CONDITION").endEvent("EndEvent_Yes")
                .moveToLastGateway().condition("no", "${true}").endEvent("EndEvent_No").done())
                .replace("CONDITION", "${'&#x7d;' == '<![CDATA[}]]>' ? identityService.createMembership('paula', 'camunda-admin') : true}");
        BpmnModelInstance model = Bpmn.readModelFromStream(new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(ModelExpressions.check(model)).singleElement().asString()
                .contains(": ${'}' == '}' ? identityService.createMembership('paula', 'camunda-admin')"
                        + " : true}: identityService.createMembership is not allowed");
    }

    @Test
    void whatTheEngineRuns_isWhatTheCheckReads_anEscapedOpening_unicodeSpaces_orSeveralExpressionsInOneText() {
        String escalation = "identityService.createMembership(\"paula\",\"camunda-admin\")";
        // each of these made its deployer an administrator when a scanner of the check's own read it
        List<String> texts = List.of(
                "\\${'} ${" + escalation + "} '}",                         // \${ is text to JUEL: the second ${ is the expression
                "${identityService\u2003." + escalation.substring("identityService.".length()) + "}", // an em space before the dot
                "${identityService\u3000.\u3000createMembership('paula', 'camunda-admin')}",
                "#{salesRep} and ${'a}b'} and ${" + escalation + "}",
                "${(execution)\u2003.getProcessEngineServices()}");
        for (String text : texts) {
            assertThat(ModelExpressions.textProblem(text)).as(text).isNotNull();
        }
        assertThat(ModelExpressions.textProblem("Lead ${leadNumber} for ${salesRep}: '${'a}b'}' ${\"c\\\"}\"}")).isNull();
        assertThat(ModelExpressions.textProblem("no expression {here}, $ {nor} here")).isNull();
        assertThat(ModelExpressions.textProblem("${'open")).startsWith("it cannot be read as an expression");
    }
}
