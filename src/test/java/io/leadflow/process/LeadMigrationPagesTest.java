package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leadflow.modeling.LeadMigrations;
import io.leadflow.modeling.LeadMigrations.InstanceResult;
import io.leadflow.modeling.LeadMigrations.MigrationReport;

/**
 * A migration goes through its instances in pages (here of 2): instances that cannot move do not
 * keep the ones after them from moving, a caller that asks again while some remain gets to the end,
 * and the answer tells those not tried yet from those that could not move. Small models under the
 * lifecycle's and nurture's keys: version 2 of the lifecycle has no "Second step", so the leads
 * waiting there cannot move; every instance in "First step" can.
 */
class LeadMigrationPagesTest {

    static final int PAGE = 2;

    ProcessTestEngine t;
    ProcessEngine engine;
    RuntimeService runtime;
    LeadMigrations migrations;

    @BeforeEach
    void engine() {
        t = new ProcessTestEngine("migration-pages");
        engine = t.configuration.buildProcessEngine();
        runtime = engine.getRuntimeService();
        migrations = new LeadMigrations(engine, t.configuration.getTransactionManager(), PAGE);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    static BpmnModelInstance twoSteps(String key) {
        return Bpmn.createExecutableProcess(key).camundaHistoryTimeToLive(365)
                .startEvent().userTask("Task_First").name("First step").userTask("Task_Second").name("Second step").endEvent().done();
    }

    static BpmnModelInstance firstStepOnly(String key) {
        return Bpmn.createExecutableProcess(key).camundaHistoryTimeToLive(365)
                .startEvent().userTask("Task_First").name("First step").endEvent().done();
    }

    void deploy(String key, BpmnModelInstance model) {
        engine.getRepositoryService().createDeployment().addModelInstance(key + ".bpmn", model).deploy();
    }

    int version(String processInstanceId) {
        String definition = runtime.createProcessInstanceQuery().processInstanceId(processInstanceId).singleResult().getProcessDefinitionId();
        return engine.getRepositoryService().getProcessDefinition(definition).getVersion();
    }

    /** Four lifecycle instances that cannot move, the first by id, two after them that can, two nurture instances on version 1. */
    record Leads(List<String> stuck, List<String> movable, List<String> nurtured) {
        List<String> all() {
            List<String> all = new ArrayList<>(stuck);
            all.addAll(movable);
            all.addAll(nurtured);
            return all;
        }
    }

    Leads leadsOnVersion1_andVersion2WithoutTheSecondStep() {
        deploy(LeadMigrations.LIFECYCLE, twoSteps(LeadMigrations.LIFECYCLE));
        deploy("leadNurture", twoSteps("leadNurture"));
        for (int i = 0; i < 6; i++) {
            runtime.startProcessInstanceByKey(LeadMigrations.LIFECYCLE);
        }
        List<String> nurtured = List.of(runtime.startProcessInstanceByKey("leadNurture").getId(),
                runtime.startProcessInstanceByKey("leadNurture").getId());
        List<String> lifecycle = runtime.createProcessInstanceQuery().processDefinitionKey(LeadMigrations.LIFECYCLE)
                .orderByProcessInstanceId().asc().list().stream().map(ProcessInstance::getId).toList();
        List<String> stuck = lifecycle.subList(0, 4);
        stuck.forEach(id -> engine.getTaskService().complete(engine.getTaskService().createTaskQuery().processInstanceId(id).singleResult().getId()));
        deploy(LeadMigrations.LIFECYCLE, firstStepOnly(LeadMigrations.LIFECYCLE));
        deploy("leadNurture", twoSteps("leadNurture"));
        return new Leads(stuck, lifecycle.subList(4, 6), nurtured);
    }

    @Test
    void instancesThatCannotMove_sortingFirst_doNotKeepTheLaterOnesFromMoving_andAskingWhileSomeRemainEnds() {
        // given four lifecycle instances waiting in an activity version 2 dropped, the first by id, more than a page of them
        Leads leads = leadsOnVersion1_andVersion2WithoutTheSecondStep();

        // when the process owner migrates, asking again with the answer's next while instances remain
        List<MigrationReport> answers = new ArrayList<>();
        String after = null;
        do {
            MigrationReport answer = migrations.migrate(1, 2, after);
            answers.add(answer);
            after = answer.next();
        } while (answers.get(answers.size() - 1).remaining() > 0 && answers.size() < 10);

        // then it ends after one request per page, each instance tried once
        assertThat(answers).hasSize(4);
        assertThat(answers).allSatisfy(a -> assertThat(a.instances()).hasSize(PAGE));
        assertThat(answers.stream().flatMap(a -> a.instances().stream()).map(InstanceResult::processInstanceId))
                .containsExactlyInAnyOrderElementsOf(leads.all());

        // and the instances after the ones that cannot move moved, the nurture instances too; the others stay
        leads.movable().forEach(id -> assertThat(version(id)).as(id).isEqualTo(2));
        leads.nurtured().forEach(id -> assertThat(version(id)).as(id).isEqualTo(2));
        leads.stuck().forEach(id -> assertThat(version(id)).as(id).isEqualTo(1));

        // and each answer tells the instances not tried yet from those that could not move
        MigrationReport first = answers.get(0);
        assertThat(first.failed()).isEqualTo(answers.get(0).instances().stream().filter(i -> !i.migrated()).count());
        assertThat(first.remaining()).isEqualTo(6);
        assertThat(first.notMigrated()).isEqualTo(first.failed());
        assertThat(first.next()).isEqualTo(first.instances().get(PAGE - 1).processInstanceId());
        assertThat(answers.get(1).remaining()).isEqualTo(4);
        assertThat(answers.get(2).remaining()).isEqualTo(2);
        MigrationReport last = answers.get(3);
        assertThat(last.remaining()).isZero();
        assertThat(last.next()).isNull();
        assertThat(last.notMigrated()).isEqualTo(4);
        assertThat(answers.stream().mapToInt(MigrationReport::migrated).sum()).isEqualTo(4);
        assertThat(answers.stream().mapToInt(MigrationReport::failed).sum()).isEqualTo(4);
        assertThat(answers.stream().flatMap(a -> a.instances().stream()).filter(i -> !i.migrated()))
                .extracting(InstanceResult::processInstanceId).containsExactlyInAnyOrderElementsOf(leads.stuck())
                .hasSize(4);

        // and a new walk (no after) tries those again, and only those
        MigrationReport again = migrations.migrate(1, 2, null);
        assertThat(again.instances()).extracting(InstanceResult::processInstanceId).containsExactlyElementsOf(leads.stuck().subList(0, PAGE));
        assertThat(again.remaining()).isEqualTo(2);
    }
}
