package io.leadflow.process;

import static io.leadflow.process.LeadScenarios.MONDAY_9;
import static io.leadflow.process.LeadScenarios.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.leadflow.nurture.EngagementService;

/** Every path of processes/lead-nurture.bpmn, started on its own as the lifecycle calls it. */
@Deployment(resources = {
        "processes/lead-nurture.bpmn", "processes/lead-fit.dmn", "processes/mql-decision.dmn",
        "processes/engagement-points.dmn"})
class NurtureProcessTest extends ProcessTest {

    static final ProcessTestEngine T = new ProcessTestEngine("nurture");

    @RegisterExtension
    static ProcessEngineCoverageExtension extension = T.coverageExtension();

    @Override
    ProcessTestEngine testEngine() {
        return T;
    }

    @Override
    ProcessEngineCoverageExtension coverage() {
        return extension;
    }

    /** A lead record as the lifecycle leaves it when it calls "Nurture lead" (business key: the lead's number). */
    ProcessInstance nurture(String leadId) {
        return nurture(leadId, MONDAY_9);
    }

    /** As the lifecycle calls it for a lead last engaged at {@code lastEngagementAt}. */
    ProcessInstance nurture(String leadId, Instant lastEngagementAt) {
        return engine.getRuntimeService().createProcessInstanceByKey("leadNurture").businessKey(s.key(leadId))
                .setVariables(LeadScenarios.vars("leadId", leadId, "leadNumber", s.key(leadId), "lastEngagementAt", at(lastEngagementAt)))
                .execute();
    }

    String registered(io.leadflow.lead.NewLead lead) {
        String leadId = java.util.UUID.randomUUID().toString();
        T.leads.insert(leadId, lead, io.leadflow.lead.LeadStage.NURTURING, OffsetDateTime.ofInstant(MONDAY_9, ZoneOffset.UTC));
        return leadId;
    }

    @Test
    void engagementThatLiftsTheScoreOverTheThreshold_leavesNurtureAsMql() {
        String leadId = registered(LeadScenarios.strongLead());
        ProcessInstance nurture = nurture(leadId);
        assertThat(nurture).isWaitingAt("Gateway_WaitForEngagement");

        assertThat(T.engagements().record(leadId, "webinar", null, "autumn webinar")).isEqualTo(EngagementService.Outcome.WOKE_LIFECYCLE);

        assertThat(nurture).isEnded().hasPassed("EndEvent_MqlReached");
        assertThat(T.leads.get(leadId).leadScore()).isEqualTo(65);
        assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(nurture.getId())
                .variableName("mqlReached").singleResult().getValue()).isEqualTo(true);
    }

    @Test
    void engagementBelowTheThreshold_keepsNurturing_andOldEngagementDecays() {
        String leadId = registered(LeadScenarios.weakLead());
        ProcessInstance nurture = nurture(leadId);

        T.engagements().record(leadId, "download", OffsetDateTime.ofInstant(MONDAY_9.minus(Duration.ofDays(30)), ZoneOffset.UTC), "whitepaper");

        assertThat(nurture).isWaitingAt("Gateway_WaitForEngagement").hasPassed("Task_RescoreLead");
        assertThat(T.leads.get(leadId).engagementScore()).isEqualTo(4);
        assertThat(T.leads.latestScoreReasons(leadId)).anyMatch(r -> r.reason().contains("decayed to 50%"));
    }

    @Test
    void decayTimer_rescoresTheLeadWeekly_withoutNewEngagement() {
        String leadId = registered(LeadScenarios.weakLead());
        T.leads.insertEngagement(leadId, "webinar", OffsetDateTime.ofInstant(MONDAY_9, ZoneOffset.UTC), "webinar",
                OffsetDateTime.ofInstant(MONDAY_9, ZoneOffset.UTC));
        ProcessInstance nurture = nurture(leadId);
        assertThat(s.timer(leadId, "Timer_DecayPeriodPassed").getDuedate()).isEqualTo(at(MONDAY_9.plus(Duration.ofDays(7))));

        s.fire(leadId, "Timer_DecayPeriodPassed");

        assertThat(nurture).isWaitingAt("Gateway_WaitForEngagement").hasPassed("Task_RescoreLead");
        // 15 points a week old with a 30-day half-life: 15 * 0.5^(7/30) = 12.76
        assertThat(T.leads.get(leadId).engagementScore()).isEqualTo(13);
    }

    @Test
    void noEngagementForTheQuietPeriod_letsTheLeadGoCold() {
        String leadId = registered(LeadScenarios.weakLead());
        ProcessInstance nurture = nurture(leadId);
        Instant coldAt = MONDAY_9.plus(Duration.ofDays(90));
        assertThat(s.timer(leadId, "Timer_QuietPeriodPassed").getDuedate()).isEqualTo(at(coldAt));

        s.fire(leadId, "Timer_QuietPeriodPassed");

        assertThat(nurture).isEnded().hasPassed("EndEvent_LeadGoneCold");
        assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(nurture.getId())
                .variableName("mqlReached").singleResult().getValue()).isEqualTo(false);
    }

    @Test
    void theQuietPeriod_countsFromTheLastEngagement_orFromTheStartOfNurtureWhenThatIsLater() {
        String leadId = registered(LeadScenarios.weakLead());
        // last engaged 20 days before it came to nurture (recycled after the follow-up, or on its revisit date):
        // the whole quiet period from now. Counted from the engagement, a lead recycled or revisited months after
        // its last engagement was archived as gone cold the moment its new nurture began.
        nurture(leadId, MONDAY_9.minus(Duration.ofDays(20)));
        assertThat(s.timer(leadId, "Timer_QuietPeriodPassed").getDuedate()).isEqualTo(at(MONDAY_9.plus(Duration.ofDays(90))));

        // an engagement ten days later that does not make it an MQL starts the quiet period again
        Instant tenDaysLater = MONDAY_9.plus(Duration.ofDays(10));
        org.camunda.bpm.engine.impl.util.ClockUtil.setCurrentTime(at(tenDaysLater));
        T.engagements().record(leadId, "download", OffsetDateTime.ofInstant(tenDaysLater, ZoneOffset.UTC), "whitepaper");

        assertThat(s.timer(leadId, "Timer_QuietPeriodPassed").getDuedate()).isEqualTo(at(tenDaysLater.plus(Duration.ofDays(90))));
    }
    @Test
    void engagementStoredWhileNoNurtureWaited_isScoredWhenTheNurtureStarts() {
        // scored at capture, then an event while Review MQL was open: stored, but nothing waited for it
        String leadId = registered(LeadScenarios.strongLead());
        OffsetDateTime scored = OffsetDateTime.ofInstant(MONDAY_9, ZoneOffset.UTC);
        T.leads.updateScores(leadId, 50, "A", 0, 50, "fit 50", java.util.List.of(), scored);
        Instant later = MONDAY_9.plus(Duration.ofMinutes(30));
        T.leads.insertEngagement(leadId, "webinar", OffsetDateTime.ofInstant(later, ZoneOffset.UTC), "autumn webinar",
                OffsetDateTime.ofInstant(later, ZoneOffset.UTC));
        org.camunda.bpm.engine.impl.util.ClockUtil.setCurrentTime(at(later.plus(Duration.ofMinutes(5))));

        ProcessInstance nurture = nurture(leadId);

        assertThat(nurture).isEnded().hasPassed("Gateway_EngagedSinceScored", "Task_RescoreLead", "EndEvent_MqlReached");
        assertThat(T.leads.get(leadId).leadScore()).isEqualTo(65);
        assertThat(T.leads.get(leadId).scoreExplanation()).contains("webinar");
    }

    @Test
    void noEngagementSinceTheLastScoring_waitsWithoutScoringAgain_evenAboveTheThreshold() {
        // marketing sent back a lead scored above the threshold: re-scored at once it would come straight back
        String leadId = registered(LeadScenarios.strongLead());
        Instant earlier = MONDAY_9.minus(Duration.ofHours(2));
        T.leads.insertEngagement(leadId, "webinar", OffsetDateTime.ofInstant(earlier, ZoneOffset.UTC), "autumn webinar",
                OffsetDateTime.ofInstant(earlier, ZoneOffset.UTC));
        OffsetDateTime scored = OffsetDateTime.ofInstant(MONDAY_9.minus(Duration.ofHours(1)), ZoneOffset.UTC);
        T.leads.updateScores(leadId, 50, "A", 15, 65, "fit 50, webinar 15", java.util.List.of(), scored);

        ProcessInstance nurture = nurture(leadId);

        assertThat(nurture).isWaitingAt("Gateway_WaitForEngagement").hasPassed("Gateway_EngagedSinceScored")
                .hasNotPassed("Task_RescoreLead");
        assertThat(T.leads.get(leadId).scoreExplanation()).as("the scoring marketing saw").isEqualTo("fit 50, webinar 15");
    }
}
