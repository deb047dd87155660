package io.leadflow.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadflow.process.ProcessTestEngine;

/** What process owners and the engine rely on in every model of processes/, checked with the BPMN Model API. */
class ModelCheckTest {

    static final Path PROCESSES = Path.of("processes");
    static final Path FORMS = Path.of("forms");

    static Stream<Path> models() throws IOException {
        try (Stream<Path> files = Files.list(PROCESSES)) {
            List<Path> bpmn = files.filter(p -> p.toString().endsWith(".bpmn")).sorted().toList();
            assertThat(bpmn).hasSizeGreaterThanOrEqualTo(3);
            return bpmn.stream();
        }
    }

    static BpmnModelInstance read(Path model) {
        return Bpmn.readModelFromFile(model.toFile());
    }

    static Set<String> formIds() throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(FORMS)) {
            List<String> ids = new ArrayList<>();
            for (Path form : files.filter(p -> p.toString().endsWith(".form")).toList()) {
                String id = json.readTree(form.toFile()).path("id").asText();
                assertThat(form.getFileName().toString()).as("form file named after its id").isEqualTo(id + ".form");
                ids.add(id);
            }
            return Set.copyOf(ids);
        }
    }

    @org.junit.jupiter.api.Test
    void everyDeploymentCarriesAllModelsAndForms_becauseTheBindingsAreByDeployment() throws IOException {
        String archive = Files.readString(Path.of("src/main/resources/META-INF/processes.xml"));
        assertThat(archive).contains("<property name=\"additionalResourceSuffixes\">form</property>")
                .doesNotContain("<property name=\"isDeployChangedOnly\">true</property>");
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyProcessIsExecutableWithAHistoryTimeToLive(Path model) {
        for (Process process : read(model).getModelElementsByType(Process.class)) {
            assertThat(process.isExecutable()).as(process.getId()).isTrue();
            assertThat(process.getCamundaHistoryTimeToLiveString()).as(process.getId()).isNotBlank();
            assertThat(process.getName()).as(process.getId()).isNotBlank();
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyUserTaskHasAnExistingForm_aCandidateGroup_andAnSlaDueDate(Path model) throws IOException {
        Set<String> forms = formIds();
        Collection<UserTask> tasks = read(model).getModelElementsByType(UserTask.class);
        for (UserTask task : tasks) {
            assertThat(task.getCamundaFormRef()).as("form of %s", task.getId()).isIn(forms);
            assertThat(task.getCamundaFormRefBinding()).as("form binding of %s", task.getId()).isEqualTo("deployment");
            assertThat(task.getCamundaCandidateGroups()).as("candidate group of %s", task.getId()).isNotBlank();
            assertThat(task.getCamundaDueDate()).as("due date of %s", task.getId()).startsWith("${sla.");
            assertThat(task.getExtensionElements().getElementsQuery()
                    .filterByType(org.camunda.bpm.model.bpmn.instance.camunda.CamundaTaskListener.class).list())
                    .as("SLA status tracked on %s", task.getId())
                    .anyMatch(l -> "create".equals(l.getCamundaEvent()) && "${sla.track(task)}".equals(l.getCamundaExpression()));
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyTimerGetsItsDateFromTheSlaBean(Path model) {
        for (TimerEventDefinition timer : read(model).getModelElementsByType(TimerEventDefinition.class)) {
            String expression = Stream.of(timer.getTimeDate(), timer.getTimeDuration(), timer.getTimeCycle())
                    .filter(e -> e != null).map(e -> e.getTextContent().trim()).findFirst().orElse("");
            assertThat(expression).as("timer %s", ((BaseElement) timer.getParentElement()).getId()).startsWith("${sla.");
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyDelegateExpressionNamesAKnownBean(Path model) {
        Set<String> beans = Set.copyOf(ProcessTestEngine.beanNames());
        for (ServiceTask task : read(model).getModelElementsByType(ServiceTask.class)) {
            String expression = task.getCamundaDelegateExpression();
            assertThat(expression).as("delegate of %s", task.getId()).matches("\\$\\{[a-zA-Z]+}");
            assertThat(expression.substring(2, expression.length() - 1)).as("bean of %s", task.getId()).isIn(beans);
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyElementHasADiagramShape_andAReadableNameOrId(Path model) {
        BpmnModelInstance instance = read(model);
        Set<String> shapes = instance.getModelElementsByType(BpmnShape.class).stream()
                .map(s -> s.getBpmnElement().getId()).collect(Collectors.toSet());
        Set<String> edges = instance.getModelElementsByType(BpmnEdge.class).stream()
                .map(e -> e.getBpmnElement().getId()).collect(Collectors.toSet());
        for (FlowNode node : instance.getModelElementsByType(FlowNode.class)) {
            assertThat(shapes).as("shape of %s", node.getId()).contains(node.getId());
            assertThat(node.getId()).as("readable id").matches("(Task|Gateway|StartEvent|EndEvent|Timer|Message|Link|CallActivity|SubProcess)_[A-Za-z]+");
        }
        for (SequenceFlow flow : instance.getModelElementsByType(SequenceFlow.class)) {
            assertThat(edges).as("edge of %s", flow.getId()).contains(flow.getId());
        }
    }
}
