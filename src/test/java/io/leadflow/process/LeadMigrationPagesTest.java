package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.assertj.core.groups.Tuple;
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
import io.leadflow.modeling.LeadMigrations.PlanReport;

/**
 * A migration goes through its instances in pages (here of 2): instances that cannot move do not
 * keep the ones after them from moving, a caller that asks again while some remain gets to the end,
 * and the answer tells those not tried yet from those that could not move. The dry run counts every
 * instance it would touch, says when it tried a sample, and its counts are the migration's. Small models under the
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

    /** Asks with the answer's next while instances remain (at most ten times). */
    static List<MigrationReport> walk(Function<String, MigrationReport> request) {
        List<MigrationReport> answers = new ArrayList<>();
        String after = null;
        do {
            MigrationReport answer = request.apply(after);
            answers.add(answer);
            after = answer.next();
        } while (answers.get(answers.size() - 1).remaining() > 0 && answers.size() < 10);
        return answers;
    }

    static PlanReport nurture(MigrationReport report) {
        return report.calledProcesses().stream().filter(p -> p.processKey().equals("leadNurture")).findFirst().orElseThrow();
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

    @Test
    void instancesThatCannotMove_areReportedWithTheReason_withoutAnErrorAndStackTraceInTheLogForEach() {
        // given four lifecycle instances waiting in an activity version 2 dropped
        Leads leads = leadsOnVersion1_andVersion2WithoutTheSecondStep();
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log = new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        root.addAppender(log);
        List<MigrationReport> answers;
        try {
            // when the process owner tries them, in a dry run and for real
            walk(after -> migrations.dryRun(1, 2, after));
            answers = walk(after -> migrations.migrate(1, 2, after));
        } finally {
            root.detachAppender(log);
        }

        // then each stuck lead is reported with the activity it waits in and why
        assertThat(answers.stream().flatMap(a -> a.instances().stream()).filter(i -> !i.migrated()))
                .extracting(InstanceResult::processInstanceId).containsExactlyInAnyOrderElementsOf(leads.stuck());
        assertThat(answers.stream().flatMap(a -> a.instances().stream()).filter(i -> !i.migrated()))
                .allSatisfy(i -> assertThat(i.problems()).singleElement().asString().startsWith("Task_Second: "));
        leads.stuck().forEach(id -> assertThat(version(id)).as(id).isEqualTo(1));
        leads.movable().forEach(id -> assertThat(version(id)).as(id).isEqualTo(2));
        // and nothing is logged as an error: a walk over a thousand stranded leads wrote a thousand stack traces
        assertThat(log.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR));
    }

    @Test
    void fromTheLatestLifecycleVersionToItself_movesTheCalledProcessesOnly_andCountsNoLeadAsNotMigrated() {
        // given nurture instances on an older version, and leads on the latest lifecycle version
        Leads leads = leadsOnVersion1_andVersion2WithoutTheSecondStep();
        List<String> onLatest = List.of(runtime.startProcessInstanceByKey(LeadMigrations.LIFECYCLE).getId(),
                runtime.startProcessInstanceByKey(LeadMigrations.LIFECYCLE).getId());

        // when the process owner migrates version 2 to version 2
        List<MigrationReport> answers = walk(after -> migrations.migrate(2, 2, after));

        // then the nurture instances moved, and only they were tried: no lead is said to need another model
        assertThat(answers.stream().flatMap(a -> a.instances().stream())).extracting(InstanceResult::processInstanceId)
                .containsExactlyInAnyOrderElementsOf(leads.nurtured());
        leads.nurtured().forEach(id -> assertThat(version(id)).as(id).isEqualTo(2));
        onLatest.forEach(id -> assertThat(version(id)).as(id).isEqualTo(2));
        MigrationReport last = answers.get(answers.size() - 1);
        assertThat(answers.stream().mapToInt(MigrationReport::migrated).sum()).isEqualTo(2);
        assertThat(last.notMigrated()).isZero();
        assertThat(last.lifecycle().tried()).isZero();
    }

    @Test
    void aDeadlineTimerTheOldVersionDidNotHave_keepsTheTasksDeadline_andAnOverdueTaskBreachesAtOnce() {
        // given a task with its SLA deadline on a version without a timer that keeps it
        t.wire(engine); // the sla bean
        org.camunda.bpm.engine.impl.util.ClockUtil.setCurrentTime(java.util.Date.from(java.time.Instant.parse("2026-11-23T08:00:00Z")));
        try {
            String deadline = "${sla.deadline('fixLeadData')}";
            deploy(LeadMigrations.LIFECYCLE, Bpmn.createExecutableProcess(LeadMigrations.LIFECYCLE).camundaHistoryTimeToLive(365)
                    .startEvent().userTask("Task_Fix").name("Fix lead data").camundaDueDate(deadline).endEvent().done());
            String lead = runtime.startProcessInstanceByKey(LeadMigrations.LIFECYCLE).getId();
            java.util.Date due = engine.getTaskService().createTaskQuery().processInstanceId(lead).singleResult().getDueDate();
            assertThat(due).isNotNull();

            // when, two days later (the deadline passed), a version with a deadline timer is deployed and the lead moved to it
            org.camunda.bpm.engine.impl.util.ClockUtil.setCurrentTime(java.util.Date.from(java.time.Instant.parse("2026-11-25T08:00:00Z")));
            deploy(LeadMigrations.LIFECYCLE, Bpmn.createExecutableProcess(LeadMigrations.LIFECYCLE).camundaHistoryTimeToLive(365)
                    .startEvent().userTask("Task_Fix").name("Fix lead data").camundaDueDate(deadline)
                    .boundaryEvent("Timer_FixBreached").cancelActivity(false).timerWithDate(deadline).endEvent()
                    .moveToActivity("Task_Fix").endEvent().done());
            MigrationReport dryRun = migrations.dryRun(1, 2);
            assertThat(dryRun.lifecycle().activities()).singleElement().satisfies(a -> {
                assertThat(a.timersAdded()).as("the dry run says the timer is new").containsExactly("Timer_FixBreached");
                assertThat(a.timersRecomputed()).isEmpty();
            });
            MigrationReport report = migrations.migrate(1, 2);
            assertThat(report.migrated()).isEqualTo(1);

            // then the task keeps its deadline and the new timer is due then, not a whole deadline from the migration
            assertThat(engine.getTaskService().createTaskQuery().processInstanceId(lead).singleResult().getDueDate()).isEqualTo(due);
            assertThat(engine.getManagementService().createJobQuery().processInstanceId(lead).activityId("Timer_FixBreached").singleResult()
                    .getDuedate()).isEqualTo(due);
        } finally {
            org.camunda.bpm.engine.impl.util.ClockUtil.reset();
        }
    }

    @Test
    void theDryRun_countsEveryInstanceItWouldTouch_saysWhenItTriedASample_andCountsWhatTheMigrationDoes() {
        // given eight instances: four lifecycle instances that cannot move, two that can, two nurture instances
        Leads leads = leadsOnVersion1_andVersion2WithoutTheSecondStep();

        // when the process owner asks for a dry run (one page of 2)
        MigrationReport dryRun = migrations.dryRun(1, 2);

        // then it says how many instances are left after its page, the nurture instances included, and that it tried a sample
        assertThat(dryRun.remaining()).isEqualTo(6);
        assertThat(dryRun.sample()).isTrue();
        assertThat(dryRun.next()).isEqualTo(dryRun.instances().get(PAGE - 1).processInstanceId());
        assertThat(dryRun.notMigrated()).isNull();
        // and each plan counts every instance it would touch, and those it tried
        assertThat(dryRun.lifecycle().instances()).isEqualTo(6);
        assertThat(nurture(dryRun).instances()).isEqualTo(2);
        assertThat(dryRun.lifecycle().tried() + nurture(dryRun).tried()).isEqualTo(PAGE);
        leads.all().forEach(id -> assertThat(version(id)).as(id).isEqualTo(1));

        // and a dry run whose page holds them all tries every one and says it is no sample
        MigrationReport whole = new LeadMigrations(engine, t.configuration.getTransactionManager(), 100).dryRun(1, 2);
        assertThat(whole.sample()).isFalse();
        assertThat(whole.remaining()).isZero();
        assertThat(whole.next()).isNull();
        assertThat(whole.lifecycle()).extracting(PlanReport::tried, PlanReport::migrated, PlanReport::failed).containsExactly(6, 2, 4);
        assertThat(nurture(whole)).extracting(PlanReport::tried, PlanReport::migrated, PlanReport::failed).containsExactly(2, 2, 0);
        assertThat(whole.instances()).extracting(InstanceResult::processInstanceId).containsExactlyInAnyOrderElementsOf(leads.all());

        // when the dry run is walked with next, and then the migration
        List<MigrationReport> dryRuns = walk(after -> migrations.dryRun(1, 2, after));
        leads.all().forEach(id -> assertThat(version(id)).as("a dry run moves nothing: %s", id).isEqualTo(1));
        List<MigrationReport> migrations = walk(after -> this.migrations.migrate(1, 2, after));

        // then each page of the dry run counted what the migration's page did: the same instances, moved or not, the same left
        assertThat(dryRuns).hasSize(4).hasSameSizeAs(migrations);
        for (int page = 0; page < dryRuns.size(); page++) {
            MigrationReport dry = dryRuns.get(page);
            MigrationReport done = migrations.get(page);
            assertThat(dry.instances()).extracting(InstanceResult::processInstanceId, InstanceResult::migrated)
                    .as("page %d", page).isEqualTo(done.instances().stream().map(i -> Tuple.tuple(i.processInstanceId(), i.migrated())).toList());
            assertThat(List.of(dry.migrated(), dry.failed(), dry.remaining())).as("page %d", page)
                    .isEqualTo(List.of(done.migrated(), done.failed(), done.remaining()));
            assertThat(dry.lifecycle()).extracting(PlanReport::tried, PlanReport::migrated, PlanReport::failed).as("page %d", page)
                    .isEqualTo(List.of(done.lifecycle().tried(), done.lifecycle().migrated(), done.lifecycle().failed()));
            assertThat(dry.sample()).isTrue();
            assertThat(done.sample()).isNull();
        }
        // and the whole dry run counted what the migration did in all
        assertThat(dryRuns.stream().mapToInt(MigrationReport::migrated).sum()).isEqualTo(whole.migrated()).isEqualTo(4);
        assertThat(dryRuns.stream().mapToInt(MigrationReport::failed).sum()).isEqualTo(whole.failed()).isEqualTo(4);
        assertThat(migrations.get(migrations.size() - 1).notMigrated()).isEqualTo(whole.failed());
        leads.movable().forEach(id -> assertThat(version(id)).as(id).isEqualTo(2));
        leads.nurtured().forEach(id -> assertThat(version(id)).as(id).isEqualTo(2));
        leads.stuck().forEach(id -> assertThat(version(id)).as(id).isEqualTo(1));
    }
}
