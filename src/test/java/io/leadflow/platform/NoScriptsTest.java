package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leadflow.modeling.HostileModels;
import io.leadflow.platform.CamundaInternals.NoScripts;

/**
 * The engine runs no scripts, behind the deployment check: a model with a script task or a condition
 * in a script language (FEEL as a script too) is not deployed, and a decision in a script language is
 * not evaluated. The same models deploy and run on an engine without it, so the refusal is this class's.
 */
class NoScriptsTest {

    ProcessEngine plain;
    ProcessEngine guarded;

    static ProcessEngine engine(boolean noScripts) {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
                .createStandaloneInMemProcessEngineConfiguration()
                .setProcessEngineName("no-scripts-" + UUID.randomUUID())
                .setJdbcUrl("jdbc:h2:mem:no-scripts-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
                .setJobExecutorActivate(false);
        if (noScripts) {
            NoScripts.register(configuration);
        }
        return configuration.buildProcessEngine();
    }

    @BeforeEach
    void engines() {
        plain = engine(false);
        guarded = engine(true);
    }

    @AfterEach
    void close() {
        plain.close();
        guarded.close();
    }

    static BpmnModelInstance scriptTask() {
        return Bpmn.createExecutableProcess("scripted").camundaHistoryTimeToLive(1).startEvent()
                .scriptTask("Task_Script").scriptFormat("javascript").scriptText("execution.setVariable('ran', true)")
                .endEvent().done();
    }

    /** A conditional event whose condition is a FEEL script: given the execution, it calls a Java method of it. */
    static String feelCondition() {
        return HostileModels.feelCondition("", HostileModels.MAKE_PAULA_ADMIN);
    }

    @Test
    void aScriptTaskOrAFeelScriptCondition_isNotDeployed() {
        // the engine without it runs the FEEL condition's Java call: its deployer would become an administrator
        plain.getIdentityService().saveUser(plain.getIdentityService().newUser("paula"));
        plain.getIdentityService().saveGroup(plain.getIdentityService().newGroup("camunda-admin"));
        plain.getRepositoryService().createDeployment().addString("conditioned.bpmn", feelCondition()).deploy();
        plain.getRuntimeService().startProcessInstanceByKey("conditioned");
        assertThat(plain.getIdentityService().createGroupQuery().groupMember("paula").list()).extracting(g -> g.getId())
                .containsExactly("camunda-admin");

        assertThatThrownBy(() -> guarded.getRepositoryService().createDeployment().addModelInstance("scripted.bpmn", scriptTask()).deploy())
                .hasStackTraceContaining(NoScripts.REFUSAL);
        assertThatThrownBy(() -> guarded.getRepositoryService().createDeployment().addString("conditioned.bpmn", feelCondition()).deploy())
                .hasStackTraceContaining(NoScripts.REFUSAL);
        assertThat(guarded.getRepositoryService().createProcessDefinitionQuery().count()).isZero();
    }

    @Test
    void aDecisionInAScriptLanguage_isNotEvaluated() {
        String dmn = """
                <?xml version="1.0" encoding="UTF-8"?>
                <definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:camunda="http://camunda.org/schema/1.0/dmn" id="d" name="d" namespace="http://leadflow.io/test">
                  <decision id="scripted" name="scripted" camunda:historyTimeToLive="1">
                    <variable id="v" name="result" typeRef="integer"/>
                    <literalExpression id="e" expressionLanguage="javascript"><text>1 + 1</text></literalExpression>
                  </decision>
                </definitions>""";
        plain.getRepositoryService().createDeployment().addString("scripted.dmn", dmn).deploy();
        guarded.getRepositoryService().createDeployment().addString("scripted.dmn", dmn).deploy();

        Object withoutIt;
        try {
            withoutIt = plain.getDecisionService().evaluateDecisionByKey("scripted").variables(Map.of()).evaluate()
                    .getSingleResult().getSingleEntry();
        } catch (RuntimeException noJavaScriptEngine) {
            withoutIt = noJavaScriptEngine.toString();
        }
        assertThat(withoutIt).as("the engine without it evaluates it, or has no JavaScript engine").asString()
                .doesNotContain(NoScripts.REFUSAL);
        assertThatThrownBy(() -> guarded.getDecisionService().evaluateDecisionByKey("scripted").variables(Map.of()).evaluate())
                .hasStackTraceContaining(NoScripts.REFUSAL);
    }

    @Test
    void aShellOrMailTask_isNotDeployed() {
        Map<String, String> fields = Map.of("shell", "<camunda:field name=\"command\" stringValue=\"id\"/>",
                "mail", "<camunda:field name=\"to\" stringValue=\"anyone@example.com\"/><camunda:field name=\"text\" stringValue=\"hi\"/>");
        for (Map.Entry<String, String> type : fields.entrySet()) {
            String xml = typedTask("typed" + type.getKey(), type.getKey(), type.getValue());
            assertThat(xml).as(type.getKey()).contains("camunda:field");
            // the engine's mail task cannot even load here (no commons-email on the class path): refused either way
            assertThatThrownBy(() -> guarded.getRepositoryService().createDeployment().addString("typed.bpmn", xml).deploy())
                    .as(type.getKey()).satisfies(refusal -> assertThat(refusal).hasStackTraceContaining(type.getKey().equals("shell")
                            ? "leadflow runs no shell commands and sends no mail from a model" : "MailActivityBehavior"));
        }
        // the engine without the plugin deploys the shell task: the refusal is the plugin's
        plain.getRepositoryService().createDeployment().addString("plain-shell.bpmn", typedTask("plainShell", "shell", fields.get("shell"))).deploy();
        assertThat(plain.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey("plainShell").count()).isEqualTo(1);
        assertThat(guarded.getRepositoryService().createProcessDefinitionQuery().count()).isZero();
    }

    /** A process whose one service task is of the engine's built-in type, with the fields given. */
    static String typedTask(String key, String type, String fields) {
        return Bpmn.convertToString(Bpmn.createExecutableProcess(key).camundaHistoryTimeToLive(1).startEvent()
                .serviceTask("Task_Typed").camundaType(type).endEvent().done())
                .replaceFirst("(<serviceTask[^>]*id=\"Task_Typed\"[^>]*?)/>", "$1><extensionElements>" + fields + "</extensionElements></serviceTask>")
                .replaceFirst("(<serviceTask[^>]*id=\"Task_Typed\"[^>]*?)>(?!<extensionElements)", "$1><extensionElements>" + fields
                        + "</extensionElements>");
    }
}
