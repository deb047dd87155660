package io.leadflow.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.instance.Decision;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.Lane;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.dc.Bounds;
import org.camunda.bpm.model.bpmn.instance.di.Waypoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadflow.modeling.ModelRules;
import io.leadflow.process.ProcessTestEngine;
import io.leadflow.security.FormInput;

/** What process owners and the engine rely on in every model of processes/, checked with the BPMN Model API, and in every form of forms/. */
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

    /** The forms, decisions and processes of this repository, and the beans the app has: what a model may use. */
    static ModelRules.References repository() throws IOException {
        Set<String> forms = formIds();
        Set<String> decisions = new HashSet<>();
        Set<String> processes = new HashSet<>();
        try (Stream<Path> files = Files.list(PROCESSES)) {
            for (Path file : files.toList()) {
                if (file.toString().endsWith(".dmn")) {
                    Dmn.readModelFromFile(file.toFile()).getModelElementsByType(Decision.class).forEach(d -> decisions.add(d.getId()));
                } else if (file.toString().endsWith(".bpmn")) {
                    read(file).getModelElementsByType(Process.class).forEach(p -> processes.add(p.getId()));
                }
            }
        }
        Set<String> beans = Set.copyOf(ProcessTestEngine.beanNames());
        return new ModelRules.References(beans::contains, forms::contains, decisions::contains, processes::contains);
    }

    @org.junit.jupiter.api.Test
    void theAppDeploysChangedFilesOnly_becauseEveryFileWorksDeployedAlone() throws IOException {
        String archive = Files.readString(Path.of("src/main/resources/META-INF/processes.xml"));
        assertThat(archive).contains("<property name=\"additionalResourceSuffixes\">form</property>")
                .contains("<property name=\"isDeployChangedOnly\">true</property>");
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyProcessIsExecutableWithAHistoryTimeToLive_andAVersionTag(Path model) {
        assertThat(ModelRules.processes(read(model))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyUserTaskHasAnExistingForm_boundByKey_aCandidateGroup_andAnSlaDueDate(Path model) throws IOException {
        assertThat(ModelRules.userTasks(read(model), repository())).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyTimerGetsItsDateFromTheSlaBean(Path model) {
        assertThat(ModelRules.timers(read(model))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyDelegateExpressionNamesAKnownBean(Path model) throws IOException {
        assertThat(ModelRules.delegates(read(model), repository())).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyDecisionAndCalledProcessExists_boundByKeyToTheLatestVersion(Path model) throws IOException {
        assertThat(ModelRules.decisionsAndCalls(read(model), repository())).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void everyDecisionCarriesAVersionTag() throws IOException {
        int decisions = 0;
        try (Stream<Path> files = Files.list(PROCESSES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".dmn")).toList()) {
                for (Decision decision : Dmn.readModelFromFile(file.toFile()).getModelElementsByType(Decision.class)) {
                    assertThat(decision.getVersionTag()).as("version tag of decision %s", decision.getId()).isNotBlank();
                    decisions++;
                }
            }
        }
        assertThat(decisions).as("decisions read from the models").isPositive();
    }

    static Stream<Path> forms() throws IOException {
        try (Stream<Path> files = Files.list(FORMS)) {
            List<Path> forms = files.filter(p -> p.toString().endsWith(".form")).sorted().toList();
            assertThat(forms).hasSizeGreaterThanOrEqualTo(3);
            return forms.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("forms")
    void noFieldThatAConditionCanHideHasAFormJsRule_soCompleteNeverLocks(Path form) throws IOException {
        JsonNode json = new ObjectMapper().readTree(form.toFile());
        assertThat(io.leadflow.security.FormInput.lockingRules(json))
                .as("fields a condition can hide, with form-js rules: give them custom properties (requiredWhen, min, max, "
                        + "minLength, maxLength), which the server checks")
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("forms")
    void everyFormsCustomRulesCanBeChecked(Path form) throws IOException {
        assertThat(FormInput.ruleProblems(new ObjectMapper().readTree(form.toFile()))).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void theFormRuleFindsAFormJsRuleOnAFieldAConditionCanHide_alsoInsideAHiddenGroup() throws IOException {
        JsonNode components = new ObjectMapper().readTree("""
                {"components": [{"key": "decision", "type": "radio", "validate": {"required": true}},
                 {"key": "amount", "type": "number", "validate": {"min": 0}, "conditional": {"hide": "=decision != \\"yes\\""}},
                 {"key": "note", "type": "textfield", "validate": {"required": false}, "conditional": {"hide": "=true"}},
                 {"type": "group", "id": "Group_details", "conditional": {"hide": "=decision != \\"yes\\""}, "components": [
                   {"key": "reason", "type": "textfield", "validate": {"maxLength": 200}},
                   {"key": "comment", "type": "textfield", "properties": {"maxLength": "200"}}]}]}
                """);
        assertThat(io.leadflow.security.FormInput.lockingRules(components)).containsExactly("amount [min]", "reason [maxLength]");
    }

    @org.junit.jupiter.api.Test
    void theRulesFindWhatWouldBreakTheRunningSystem() {
        // given a model with an unknown bean, a missing form and decision, a timer off the SLA bean and no version tag
        BpmnModelInstance broken = Bpmn.createExecutableProcess("brokenProcess").name("Broken process").camundaHistoryTimeToLive(30)
                .startEvent("StartEvent_Started")
                .userTask("Task_DoWork").camundaFormRef("no-such-form").camundaFormRefBinding("latest").camundaCandidateGroups("sales")
                .camundaDueDate("${sla.deadline('acceptLead')}")
                .businessRuleTask("Task_Decide").camundaDecisionRef("noSuchDecision").camundaDecisionRefBinding("latest")
                .serviceTask("Task_Call").camundaDelegateExpression("${noSuchDelegate}")
                .intermediateCatchEvent("Timer_Wait").timerWithDuration("PT4H")
                .endEvent("EndEvent_Done").done();
        // when the rules run, then each of them names the element and the reason
        List<String> violations = ModelRules.check(broken, new ModelRules.References(b -> false, f -> false, d -> false, p -> false));
        assertThat(ModelRules.processes(broken)).containsExactly("process brokenProcess has no version tag (camunda:versionTag)");
        assertThat(violations).anyMatch(v -> v.contains("Task_DoWork uses form 'no-such-form', which is not deployed"))
                .anyMatch(v -> v.contains("Task_Decide uses decision 'noSuchDecision', which is not deployed"))
                .anyMatch(v -> v.contains("Task_Call calls ${noSuchDelegate}, but the app has no bean noSuchDelegate"))
                .anyMatch(v -> v.contains("timer Timer_Wait does not get its date from the SLA bean"));
    }

    @org.junit.jupiter.api.Test
    void theRulesFindLooseBindingsAndMissingSlaWiring_andTheConventionsFindAnUnnamedProcess() {
        // given a model whose references all exist, but bound by deployment, a user task without group,
        // due date or SLA tracking, a service task by class, a call of a missing process, and a process
        // that is neither executable, named, kept for a time nor tagged
        BpmnModelInstance loose = Bpmn.createProcess("looseProcess").camundaHistoryTimeToLiveString(null)
                .startEvent("StartEvent_Form").camundaFormRef("start-form").camundaFormRefBinding("deployment")
                .userTask("Task_Loose").camundaFormRef("some-form").camundaFormRefBinding("deployment")
                .businessRuleTask("Task_DecideByDeployment").camundaDecisionRef("someDecision").camundaDecisionRefBinding("deployment")
                .serviceTask("Task_ByClass").camundaClass("io.example.SomeDelegate")
                .callActivity("Call_Missing").calledElement("noSuchProcess").camundaCalledElementBinding("deployment")
                .endEvent("EndEvent_Done").done();

        List<String> violations = ModelRules.check(loose, new ModelRules.References(b -> true, f -> true, d -> true, p -> false));

        // then every rule names its element and reason, once
        assertThat(violations).containsExactlyInAnyOrder(
                "Task_Loose binds its form 'some-form' by \"deployment\": it must be \"latest\", so the model works when deployed alone",
                "user task Task_Loose has no candidate group",
                "user task Task_Loose has no due date from the SLA bean (camunda:dueDate=\"${sla.…}\"), it has null",
                "user task Task_Loose does not track its SLA status (create listener ${sla.track(task, 'the SLA's name')}, e.g. ${sla.track(task, 'acceptLead')})",
                "StartEvent_Form binds its form 'start-form' by \"deployment\": it must be \"latest\", so the model works when deployed alone",
                "service task Task_ByClass must call a bean by camunda:delegateExpression=\"${beanName}\", it has null",
                "business rule task Task_DecideByDeployment binds decision 'someDecision' by \"deployment\": it must be \"latest\"",
                "call activity Call_Missing calls process 'noSuchProcess', which is not deployed",
                "call activity Call_Missing binds process 'noSuchProcess' by \"deployment\": it must be \"latest\"",
                "call activity Call_Missing calls process 'noSuchProcess': a model calls only the lead's [leadFollowUp, leadNurture]"
                        + ", which run on its business key",
                "call activity Call_Missing must pass on the lead's business key as it is"
                        + " (<camunda:in businessKey=\"#{execution.processBusinessKey}\" />), it passes []");
        assertThat(ModelRules.processes(loose)).containsExactlyInAnyOrder(
                "process looseProcess is not executable",
                "process looseProcess has no history time to live (camunda:historyTimeToLive)",
                "process looseProcess has no name",
                "process looseProcess has no version tag (camunda:versionTag)");
    }

    @org.junit.jupiter.api.Test
    void theAppsDecisionsMustGiveWhatItReads_andAnSlaHandlerMustNameItsTaskSlaAndGroup() throws IOException {
        // the lifecycle as a process owner might change it in Modeler
        String lifecycle = Files.readString(PROCESSES.resolve("lead-lifecycle.bpmn"))
                .replace("camunda:mapDecisionResult=\"singleEntry\" camunda:resultVariable=\"mqlReached\"",
                        "camunda:mapDecisionResult=\"singleResult\" camunda:resultVariable=\"mqlReached\"")
                .replace("camunda:resultVariable=\"territory\"", "camunda:resultVariable=\"salesTerritory\"")
                .replace("<camunda:property name=\"slaTaskKey\" value=\"Task_FixLeadData\" />",
                        "<camunda:property name=\"slaTaskKey\" value=\"Task_FixLeadDate\" />")
                .replace("<camunda:property name=\"slaName\" value=\"qualifyLead\" />", "<camunda:property name=\"slaName\" value=\"qualifylead\" />");
        BpmnModelInstance changed = Bpmn.readModelFromStream(new java.io.ByteArrayInputStream(lifecycle.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        List<String> violations = ModelRules.check(changed, repository());

        assertThat(violations).hasSize(4)
                .anyMatch(v -> v.startsWith("business rule task Task_DecideMql must put decision 'mqlDecision' into mqlReached as a single entry")
                        && v.endsWith("it has singleResult into mqlReached"))
                .anyMatch(v -> v.startsWith("business rule task Task_RouteLead must put decision 'leadRouting' into territory")
                        && v.endsWith("it has singleEntry into salesTerritory"))
                .anyMatch(v -> v.endsWith("names slaTaskKey 'Task_FixLeadDate', which is no user task of this model"))
                .anyMatch(v -> v.contains("names slaName 'qualifylead', which the agreement does not have; it has [acceptLead, "));
    }

    @org.junit.jupiter.api.Test
    void aProcessStartsFromTheAppOrItsStartForm_neverByATimerOrMessageOfItsOwn_anEventSubprocessMay() {
        BpmnModelInstance timed = Bpmn.createExecutableProcess("timed").startEvent("StartEvent_Timer").timerWithDate("${sla.revisit('2020-01-01')}")
                .endEvent().done();
        BpmnModelInstance messaged = Bpmn.createExecutableProcess("messaged").startEvent("StartEvent_Message").message("anyone")
                .endEvent().done();

        assertThat(ModelRules.startEvents(timed)).singleElement().asString()
                .startsWith("start event StartEvent_Timer of process timed starts by a timer: a process starts from the app or from its start form");
        assertThat(ModelRules.startEvents(messaged)).singleElement().asString().startsWith("start event StartEvent_Message of process messaged starts by a message");
        assertThat(ModelRules.startEvents(read(PROCESSES.resolve("lead-lifecycle.bpmn"))))
                .as("the lifecycle's do-not-contact event subprocess starts by its message").isEmpty();
    }

    @org.junit.jupiter.api.Test
    void theStepsThatTakeWhomTheyActOnFromTheirVariables_runOnlyInTheirOwnProcess() {
        BpmnModelInstance borrowing = Bpmn.createExecutableProcess("leadLifecycle").startEvent()
                .serviceTask("Task_ChangeRep").camundaDelegateExpression("${applyRepAvailabilityChangeDelegate}")
                .endEvent("EndEvent_Done").camundaExecutionListenerDelegateExpression("end", "${applyRepAvailabilityChangeDelegate}")
                .done();
        BpmnModelInstance registering = Bpmn.createExecutableProcess("otherProcess").startEvent()
                .serviceTask("Task_Register").camundaDelegateExpression("${registerLeadDelegate}").endEvent().done();
        // a send task and a message event's definition run a delegate as well
        BpmnModelInstance sending = Bpmn.createExecutableProcess("leadLifecycle").startEvent()
                .sendTask("Task_Send").camundaDelegateExpression("${sendNotificationDelegate}")
                .intermediateThrowEvent("Throw_Message").message("anything")
                .endEvent().done();
        sending.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.MessageEventDefinition.class).iterator().next()
                .setAttributeValueNs("http://camunda.org/schema/1.0/bpmn", "delegateExpression", "${applyRepAvailabilityChangeDelegate}");
        // written otherwise than ${bean} (#{bean}, spaces, a composite), the rule could not tell which bean runs: refused
        BpmnModelInstance deferred = Bpmn.createExecutableProcess("leadLifecycle").startEvent("StartEvent_Deferred")
                .camundaExecutionListenerDelegateExpression("end", "#{applyRepAvailabilityChangeDelegate}")
                .endEvent().camundaExecutionListenerDelegateExpression("start", "${ sendNotificationDelegate }").done();
        assertThat(ModelRules.delegatesOutOfTheirProcess(deferred)).containsExactlyInAnyOrder(
                "camunda:delegateExpression #{applyRepAvailabilityChangeDelegate} must name a bean as ${beanName}",
                "camunda:delegateExpression ${ sendNotificationDelegate } must name a bean as ${beanName}");
        assertThat(ModelRules.delegatesOutOfTheirProcess(sending)).containsExactlyInAnyOrder(
                "sendNotificationDelegate belongs to process leadNotification: process leadLifecycle may not call it",
                "applyRepAvailabilityChangeDelegate belongs to process repAvailability: process leadLifecycle may not call it");

        assertThat(ModelRules.delegatesOutOfTheirProcess(borrowing)).containsExactly(
                "applyRepAvailabilityChangeDelegate belongs to process repAvailability: process leadLifecycle may not call it",
                "applyRepAvailabilityChangeDelegate belongs to process repAvailability: process leadLifecycle may not call it");
        assertThat(ModelRules.delegatesOutOfTheirProcess(registering))
                .containsExactly("registerLeadDelegate belongs to process leadLifecycle: process otherProcess may not call it");
        for (String released : List.of("lead-lifecycle.bpmn", "rep-availability.bpmn", "lead-notification.bpmn")) {
            assertThat(ModelRules.delegatesOutOfTheirProcess(read(PROCESSES.resolve(released)))).as(released).isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void aCallActivityPassesOnTheLeadsBusinessKeyAsItIs_notAnotherLeadsNumber() {
        BpmnModelInstance other = Bpmn.createExecutableProcess("otherKey").startEvent()
                .callActivity("Call_OtherLead").calledElement("leadNurture").camundaInBusinessKey("L-2026-000001")
                .endEvent().done();

        assertThat(ModelRules.decisionsAndCalls(other, new ModelRules.References(b -> true, f -> true, d -> true, p -> true)))
                .containsExactly("call activity Call_OtherLead must pass on the lead's business key as it is"
                        + " (<camunda:in businessKey=\"#{execution.processBusinessKey}\" />), it passes [L-2026-000001]");
        // nor call a process of its own authorizations: Manage rep availability, for one, is the sales managers'
        BpmnModelInstance reps = Bpmn.createExecutableProcess("callsReps").startEvent()
                .callActivity("Call_Reps").calledElement("repAvailability").camundaInBusinessKey("#{execution.processBusinessKey}")
                .endEvent().done();
        assertThat(ModelRules.decisionsAndCalls(reps, new ModelRules.References(b -> true, f -> true, d -> true, p -> true)))
                .containsExactly("call activity Call_Reps calls process 'repAvailability': a model calls only the lead's"
                        + " [leadFollowUp, leadNurture], which run on its business key");
    }

    @org.junit.jupiter.api.Test
    void noBindingIsTheEnginesLatest_asCamundaModelerWritesIt() {
        // given what Modeler saves when "latest" is chosen in the Binding list of a decision or a called
        // process: no binding attribute at all (a form's it writes out, and the engine needs it)
        BpmnModelInstance modeler = Bpmn.createExecutableProcess("modelerProcess").name("Modeler process").camundaHistoryTimeToLive(30)
                .startEvent("StartEvent_Form").camundaFormRef("start-form").camundaFormRefBinding("latest")
                .userTask("Task_Work").camundaFormRef("some-form").camundaFormRefBinding("latest").camundaCandidateGroups("sales")
                .camundaDueDate("${sla.deadline('acceptLead')}").camundaTaskListenerExpression("create", "${sla.track(task)}")
                .businessRuleTask("Task_Decide").camundaDecisionRef("someDecision")
                .callActivity("Call_Other").calledElement("leadNurture").camundaInBusinessKey("#{execution.processBusinessKey}")
                .endEvent("EndEvent_Done").done();

        // then the rules take it as bound to the latest version, as the engine does
        assertThat(ModelRules.check(modeler, new ModelRules.References(b -> true, f -> true, d -> true, p -> true))).isEmpty();
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

    /** A box of the diagram: x, y, width, height. */
    record Box(double x, double y, double w, double h) {
        static Box of(BpmnShape shape) {
            Bounds b = shape.getBounds();
            return new Box(b.getX(), b.getY(), b.getWidth(), b.getHeight());
        }

        boolean overlaps(Box o) {
            return x + 1 < o.x + o.w && o.x + 1 < x + w && y + 1 < o.y + o.h && o.y + 1 < y + h;
        }

        boolean contains(Box o) {
            return o.x >= x && o.y >= y && o.x + o.w <= x + w && o.y + o.h <= y + h;
        }

        boolean hasInside(double px, double py) {
            return x + 3 < px && px < x + w - 3 && y + 3 < py && py < y + h - 3;
        }
    }

    record Segment(double x1, double y1, double x2, double y2) {
        boolean crosses(Segment o) {
            double d = (x1 - x2) * (o.y1 - o.y2) - (y1 - y2) * (o.x1 - o.x2);
            if (Math.abs(d) < 1e-9) {
                return false;
            }
            double t = ((x1 - o.x1) * (o.y1 - o.y2) - (y1 - o.y1) * (o.x1 - o.x2)) / d;
            double u = -((x1 - x2) * (y1 - o.y1) - (y1 - y2) * (x1 - o.x1)) / d;
            return 0.001 < t && t < 0.999 && 0.001 < u && u < 0.999;
        }

        /** Length for which both lie on the same horizontal or vertical line. */
        double runsOnTopOf(Segment o) {
            if (y1 == y2 && o.y1 == o.y2 && y1 == o.y1) {
                return Math.min(Math.max(x1, x2), Math.max(o.x1, o.x2)) - Math.max(Math.min(x1, x2), Math.min(o.x1, o.x2));
            }
            if (x1 == x2 && o.x1 == o.x2 && x1 == o.x1) {
                return Math.min(Math.max(y1, y2), Math.max(o.y1, o.y2)) - Math.max(Math.min(y1, y2), Math.min(o.y1, o.y2));
            }
            return 0;
        }
    }

    static List<Segment> segments(BpmnEdge edge) {
        List<Waypoint> points = List.copyOf(edge.getWaypoints());
        List<Segment> segments = new ArrayList<>();
        for (int i = 1; i < points.size(); i++) {
            segments.add(new Segment(points.get(i - 1).getX(), points.get(i - 1).getY(), points.get(i).getX(), points.get(i).getY()));
        }
        return segments;
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyDiagramReadsAtAGlance_noShapesOrFlowsOnTopOfEachOther_nodesInTheirLanes_atMostTwoScreensWide(Path model) {
        BpmnModelInstance instance = read(model);
        Map<String, Box> nodes = new LinkedHashMap<>();
        Map<String, Box> all = new HashMap<>();
        for (BpmnShape shape : instance.getModelElementsByType(BpmnShape.class)) {
            all.put(shape.getBpmnElement().getId(), Box.of(shape));
            if (shape.getBpmnElement() instanceof FlowNode) {
                nodes.put(shape.getBpmnElement().getId(), Box.of(shape));
            }
        }
        // given every flow node's shape: none lies on another, except a boundary event on its task or a node in its sub-process
        List<String> ids = List.copyOf(nodes.keySet());
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                FlowNode a = instance.getModelElementById(ids.get(i));
                FlowNode b = instance.getModelElementById(ids.get(j));
                if (attachedOrNested(a, b) || attachedOrNested(b, a)) {
                    continue;
                }
                assertThat(nodes.get(a.getId()).overlaps(nodes.get(b.getId()))).as("%s lies on %s", a.getId(), b.getId()).isFalse();
            }
        }
        // every flow passes only the shapes it connects, runs on top of no flow with another source and target,
        // and few flows cross
        List<BpmnEdge> edges = List.copyOf(instance.getModelElementsByType(BpmnEdge.class));
        int crossings = 0;
        for (int i = 0; i < edges.size(); i++) {
            SequenceFlow flow = (SequenceFlow) edges.get(i).getBpmnElement();
            for (Map.Entry<String, Box> node : nodes.entrySet()) {
                FlowNode n = instance.getModelElementById(node.getKey());
                if (n == flow.getSource() || n == flow.getTarget() || n instanceof SubProcess
                        || attachedOrNested(flow.getSource(), n) || attachedOrNested(flow.getTarget(), n)
                        || attachedOrNested(n, flow.getSource()) || attachedOrNested(n, flow.getTarget())) {
                    continue;
                }
                for (Segment s : segments(edges.get(i))) {
                    for (int k = 1; k < 20; k++) {
                        double px = s.x1() + (s.x2() - s.x1()) * k / 20, py = s.y1() + (s.y2() - s.y1()) * k / 20;
                        assertThat(node.getValue().hasInside(px, py)).as("%s passes through %s", flow.getId(), n.getId()).isFalse();
                    }
                }
            }
            for (int j = i + 1; j < edges.size(); j++) {
                SequenceFlow other = (SequenceFlow) edges.get(j).getBpmnElement();
                boolean shareAnEnd = flow.getSource() == other.getSource() || flow.getTarget() == other.getTarget()
                        || flow.getSource() == other.getTarget() || flow.getTarget() == other.getSource();
                for (Segment s : segments(edges.get(i))) {
                    for (Segment o : segments(edges.get(j))) {
                        crossings += s.crosses(o) ? 1 : 0;
                        assertThat(!shareAnEnd && s.runsOnTopOf(o) > 5).as("%s runs on top of %s", flow.getId(), other.getId()).isFalse();
                    }
                }
            }
        }
        assertThat(crossings).as("crossing flows").isLessThanOrEqualTo(5);
        // the whole diagram fits two 1920-px screens at 100 % zoom
        double left = all.values().stream().mapToDouble(Box::x).min().orElse(0);
        double right = all.values().stream().mapToDouble(b -> b.x() + b.w()).max().orElse(0);
        assertThat(right - left).as("diagram width").isLessThanOrEqualTo(3840);
        // then, where there are lanes, each flow node lies inside the lane that names it (a sub-process's nodes inside its lane)
        for (Lane lane : instance.getModelElementsByType(Lane.class)) {
            Box laneBox = all.get(lane.getId());
            assertThat(laneBox).as("shape of lane %s", lane.getId()).isNotNull();
            for (FlowNode node : lane.getFlowNodeRefs()) {
                assertThat(laneBox.contains(nodes.get(node.getId()))).as("%s inside lane %s", node.getId(), lane.getName()).isTrue();
                if (node instanceof SubProcess sub) {
                    sub.getFlowElements().stream().filter(FlowNode.class::isInstance).forEach(inner ->
                            assertThat(laneBox.contains(nodes.get(inner.getId()))).as("%s inside lane %s", inner.getId(), lane.getName()).isTrue());
                }
            }
        }
        if (model.endsWith("lead-lifecycle.bpmn")) {
            Set<String> laned = instance.getModelElementsByType(Lane.class).stream()
                    .flatMap(l -> l.getFlowNodeRefs().stream()).map(FlowNode::getId).collect(Collectors.toSet());
            assertThat(instance.getModelElementsByType(Lane.class)).extracting(Lane::getName)
                    .containsExactly("Marketing", "Sales", "leadflow (automation)");
            instance.getModelElementsByType(Process.class).iterator().next().getFlowElements().stream()
                    .filter(FlowNode.class::isInstance)
                    .forEach(node -> assertThat(laned).as("lane of %s", node.getId()).contains(node.getId()));
        }
    }

    /** Whether {@code inner} is a boundary event on {@code outer} or a node inside the sub-process {@code outer}. */
    static boolean attachedOrNested(FlowNode outer, FlowNode inner) {
        return inner instanceof BoundaryEvent boundary && boundary.getAttachedTo() == outer
                || outer instanceof SubProcess && inner.getParentElement() == outer;
    }
}
