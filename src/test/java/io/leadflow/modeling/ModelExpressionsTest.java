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
                "expression ${identityService.createMembership('paula', 'camunda-admin')}: identityService.createMembership is not allowed:"
                        + " a model may call only " + ModelExpressions.MODEL_BEANS + "'s methods and execution's "
                        + ModelExpressions.EXECUTION_MEMBERS + ", and use variables as values");
    }
}
