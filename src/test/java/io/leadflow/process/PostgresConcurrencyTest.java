package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadflow.nurture.EngagementService;
import io.leadflow.lead.Lead;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.NewLead;
import io.leadflow.scoring.LeadScorer;

/**
 * The races of engagement bursts, revivals and the rep rotation, decided by PostgreSQL's row locks
 * as in production: separate connections, as several nodes would use them.
 */
class PostgresConcurrencyTest {

    static PostgresDatabase db;
    static ProcessTestEngine t;
    static ProcessEngine engine;

    @BeforeAll
    static void database() throws Exception {
        db = PostgresDatabase.create("concurrency");
        t = db.t;
        engine = db.engine;
        Bursts.threeRepsEverywhere(t);
    }

    @AfterAll
    static void drop() throws Exception {
        if (db != null) {
            db.drop();
        }
    }

    /** Software, 20 employees, Brazil: fit 19 (grade C); a few page visits keep it in nurture. */
    static NewLead nurturedLead() {
        return new NewLead(LeadScenarios.unique("nina"), "Nina", "Nurtured", null, "Small Software Ltda", null, null,
                "software", 20, "BR", "webForm", null);
    }

    String nurture(String leadId) {
        return engine.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(db.t.leads.findNumber(leadId).orElseThrow())
                .processDefinitionKey("leadNurture").singleResult().getId();
    }

    /** A lead that went cold in nurture (its quiet period passed): archived, revived by new engagement. */
    String archivedLead() {
        String leadId = t.capture().capture(nurturedLead()).leadId();
        Job quietPeriod = engine.getManagementService().createJobQuery().processInstanceId(nurture(leadId))
                .activityId("Timer_QuietPeriodPassed").singleResult();
        engine.getManagementService().executeJob(quietPeriod.getId());
        assertThat(t.leads.get(leadId).stage()).isEqualTo(LeadStage.ARCHIVED);
        return leadId;
    }

    long lifecycles(String leadId) {
        return engine.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(db.t.leads.findNumber(leadId).orElseThrow())
                .processDefinitionKey("leadLifecycle").count();
    }

    @Test
    void sixParallelEventsOnANurturedLead_areAllStoredAndScored_onPostgres() throws Exception {
        String leadId = t.capture().capture(nurturedLead()).leadId();
        int scoreBefore = t.leads.get(leadId).engagementScore();

        List<EngagementService.Outcome> woken = Bursts.atOnce(6, 6, i -> t.engagements().record(leadId, "pageVisit", null, "burst " + i));

        assertThat(woken).containsOnly(EngagementService.Outcome.WOKE_LIFECYCLE);
        assertThat(t.leads.engagements(leadId)).filteredOn(e -> "pageVisit".equals(e.type())).hasSize(6);
        Lead lead = t.leads.get(leadId);
        int scoreOfEveryStoredEvent = new LeadScorer(t.sla)
                .score(lead, t.leads.engagementSummary(leadId, OffsetDateTime.now(ZoneOffset.UTC), t.sla.engagementHalfLife()), io.leadflow.scoring.ScoringTables.recordedBy(engine.getDecisionService())).engagementScore();
        assertThat(lead.engagementScore()).as("scored on every stored event").isEqualTo(scoreOfEveryStoredEvent)
                .as("six visits count").isGreaterThan(scoreBefore);
        assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(nurture(leadId)).count())
                .as("still nurtured").isEqualTo(1);
    }

    @Test
    void eightParallelEventsOnAnArchivedLead_startExactlyOneLifecycle_onPostgres() throws Exception {
        String leadId = archivedLead();

        Bursts.atOnce(8, 8, i -> t.engagements().record(leadId, "download", null, "revival " + i));

        assertThat(t.leads.engagements(leadId)).filteredOn(e -> "download".equals(e.type())).hasSize(8);
        assertThat(lifecycles(leadId)).isEqualTo(1);
        assertThat(t.leads.stageHistory(leadId)).filteredOn(e -> e.note().startsWith("revived by new engagement")).hasSize(1);
    }

    @Test
    void doNotContact_whileARevivalIsUnderWay_stopsTheRevivedLifecycle_onPostgres() throws Exception {
        String leadId = archivedLead();
        java.util.concurrent.CountDownLatch revivedUncommitted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch requestSent = new java.util.concurrent.CountDownLatch(1);
        org.springframework.transaction.support.TransactionTemplate transaction =
                new org.springframework.transaction.support.TransactionTemplate(t.configuration.getTransactionManager());
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            // a new engagement revives the archived lead: its lifecycle is started, not yet committed
            var revival = threads.submit(() -> transaction.executeWithoutResult(status -> {
                t.engagements().record(leadId, "download", null, "revival");
                revivedUncommitted.countDown();
                try {
                    requestSent.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    Thread.sleep(500); // the request gets as far as it can before this commits
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(revivedUncommitted.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // meanwhile the lead asks not to be contacted
            var request = threads.submit(() -> t.doNotContact().request(leadId, false));
            requestSent.countDown();
            revival.get(30, java.util.concurrent.TimeUnit.SECONDS);
            request.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertThat(lifecycles(leadId)).as("no lifecycle left running for a lead that asked not to be contacted").isZero();
        assertThat(t.leads.get(leadId).stage()).isEqualTo(LeadStage.BLACKLISTED);
    }

    @Test
    void anEventWaitingBehindADoNotContact_isNotStored_onPostgres() throws Exception {
        String leadId = t.capture().capture(nurturedLead()).leadId();
        long eventsBefore = engagements(leadId);
        java.util.concurrent.CountDownLatch stopUncommitted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch eventWaits = new java.util.concurrent.CountDownLatch(1);
        org.springframework.transaction.support.TransactionTemplate transaction =
                new org.springframework.transaction.support.TransactionTemplate(t.configuration.getTransactionManager());
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            // the lead asks not to be contacted (an erasure does the same first): the row is locked, not yet committed
            var stop = threads.submit(() -> transaction.executeWithoutResult(status -> {
                t.doNotContact().request(leadId, false);
                stopUncommitted.countDown();
                try {
                    eventWaits.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(stopUncommitted.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(t.leads.get(leadId).doNotContact()).as("not committed yet: a caller's check passes").isFalse();
            var event = threads.submit(() -> t.engagements().record(leadId, "download", null, "Nina called about her address"));
            // the event, checked before and found contactable, waits for the lead's row lock
            var activity = org.springframework.jdbc.core.simple.JdbcClient.create(t.configuration.getDataSource());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> activity.sql(
                    "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")
                    .query(Long.class).single() > 0);
            eventWaits.countDown();
            stop.get(30, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(event.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(EngagementService.Outcome.SUPPRESSED);
        } finally {
            threads.shutdownNow();
        }
        assertThat(engagements(leadId)).as("nothing recorded after the stop").isEqualTo(eventsBefore);
    }

    long engagements(String leadId) {
        return org.springframework.jdbc.core.simple.JdbcClient.create(t.configuration.getDataSource())
                .sql("select count(*) from lead_engagement where lead_id = :id").param("id", leadId).query(Long.class).single();
    }

    @Test
    void threeHundredApprovalsBySixteenThreads_spreadFairlyOverThreeReps_onPostgres() throws Exception {
        List<String> leadIds = Bursts.mqls(t, 300, 16);

        Bursts.approveAll(engine, leadIds, 16);

        Map<String, Long> perRep = Bursts.leadsPerRep(t, leadIds);
        assertThat(perRep).containsOnlyKeys(Bursts.REPS);
        assertThat(perRep.values()).allSatisfy(n -> assertThat(n).isBetween(99L, 101L));
    }

    @Test
    void fourNodesOpeningNotificationBatchesAtOnce_neverTakeARowTwice_onPostgres() throws Exception {
        var outbox = new io.leadflow.notification.NotificationOutbox(t.jdbc);
        String tag = "burst-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 1000; i++) {
            outbox.add(new io.leadflow.notification.Notification(io.leadflow.notification.NotificationEvent.SLA_REMINDER,
                    "email", tag + "-" + i, null, null, null, "task-" + i, "Review MQL", null, null, "reviewMql", false,
                    List.of("mia@leadflow.example")), OffsetDateTime.now(ZoneOffset.UTC));
        }
        long instancesBefore = batchInstances();

        // each node's check, all at once: separate transactions on separate connections
        List<Integer> opened = Bursts.atOnce(4, 4, i -> t.notificationBatches().openBatches());

        List<Map<String, Object>> batches = t.jdbc.sql("select batch_id, count(*) as n from notification_outbox"
                + " where lead_id like ? group by batch_id").param(tag + "-%").query().listOfRows();
        assertThat(batches).as("every row taken").noneMatch(b -> b.get("batch_id") == null);
        assertThat(batches).allSatisfy(b -> assertThat(((Number) b.get("n")).intValue()).isBetween(1, 100));
        assertThat(batches.stream().mapToLong(b -> ((Number) b.get("n")).longValue()).sum()).isEqualTo(1000);
        assertThat(batchInstances() - instancesBefore)
                .as("one instance per batch that holds rows: a batch whose rows another node took would hold none")
                .isEqualTo(batches.size()).isEqualTo(opened.stream().mapToLong(Integer::longValue).sum());
    }

    long batchInstances() {
        return engine.getRuntimeService().createVariableInstanceQuery().variableName("batchId").count();
    }
}
