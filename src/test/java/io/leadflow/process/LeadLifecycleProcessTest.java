package io.leadflow.process;

import static io.leadflow.process.LeadScenarios.MONDAY_9;
import static io.leadflow.process.LeadScenarios.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Date;
import java.util.List;

import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.leadflow.nurture.EngagementService;
import io.leadflow.lead.InvalidTaskInputException;
import io.leadflow.lead.Lead;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.NewLead;
import io.leadflow.sla.SlaBreach;

/** Every path of processes/lead-lifecycle.bpmn (the called processes run for real, their paths are tested apart). */
@Deployment(resources = {
        "processes/lead-lifecycle.bpmn", "processes/lead-nurture.bpmn", "processes/lead-follow-up.bpmn", "processes/lead-notification.bpmn",
        "processes/lead-fit.dmn", "processes/mql-decision.dmn", "processes/engagement-points.dmn", "processes/lead-routing.dmn",
        "forms/capture-lead.form", "forms/review-mql.form", "forms/accept-lead.form", "forms/fix-lead-data.form",
        "forms/contact-lead.form", "forms/qualify-lead.form", "forms/assign-lead-by-hand.form"})
class LeadLifecycleProcessTest extends ProcessTest {

    static final ProcessTestEngine T = new ProcessTestEngine("lifecycle");

    @RegisterExtension
    static ProcessEngineCoverageExtension extension = T.coverageExtension("leadNurture", "leadFollowUp", "leadNotification");

    @Override
    ProcessTestEngine testEngine() {
        return T;
    }

    @Override
    ProcessEngineCoverageExtension coverage() {
        return extension;
    }

    @Test
    void strongLead_isScoredWithReasons_andWaitsForMqlReviewDueInOneBusinessDay() {
        String leadId = s.capture(LeadScenarios.strongLead());

        ProcessInstance lifecycle = s.lifecycle(leadId);
        assertThat(lifecycle).isWaitingAt("Task_ReviewMql").hasPassed("Task_ScoreLead", "Task_DecideMql");
        Lead lead = T.leads.get(leadId);
        assertThat(lead.fitScore()).isEqualTo(50);
        assertThat(lead.fitGrade()).isEqualTo("A");
        assertThat(lead.leadScore()).isEqualTo(60);
        assertThat(lead.stage()).isEqualTo(LeadStage.MQL);
        assertThat(T.leads.latestScoreReasons(leadId)).extracting(r -> r.reason())
                .contains("Industry is core ICP (software, SaaS)", "Contact is an executive (decision maker)");
        assertThat(lead.scoreExplanation()).contains("Score 60/100", "Fit 50/50 (grade A)", "+12 Contact is an executive");

        Task review = s.task(leadId, "Task_ReviewMql");
        assertThat(review.getDueDate()).as("Monday 17:00 in Berlin").isEqualTo(at(MONDAY_9.plus(Duration.ofHours(8))));
        assertThat(engine.getTaskService().getIdentityLinksForTask(review.getId()))
                .anyMatch(l -> IdentityLinkType.CANDIDATE.equals(l.getType()) && "marketing".equals(l.getGroupId()));
        assertThat(engine.getTaskService().getVariable(review.getId(), "contactName")).isEqualTo("Ada Lovelace");
    }

    @Test
    void qualifiedLead_walksTheWaterfallToOpportunityCreated() {
        String leadId = s.acceptedStrongLead();
        s.attempt(leadId, "phone", "connected");
        s.complete(leadId, "Task_QualifyLead", "budgetConfirmed", true, "authorityConfirmed", true, "needConfirmed", true,
                "timeline", "quarter", "qualificationDecision", "qualified", "opportunityAmount", 48000,
                "qualificationNote", "pilot in Q1");

        ProcessInstance lifecycle = s.lifecycle(leadId);
        assertThat(lifecycle).isWaitingAt("Task_HandOverOpportunity");
        s.runJob(leadId, "Task_HandOverOpportunity");

        assertThat(lifecycle).isEnded().hasPassed("EndEvent_OpportunityCreated");
        assertThat(s.stages(leadId)).containsExactly(LeadStage.INQUIRY, LeadStage.MQL, LeadStage.SAL, LeadStage.SQL,
                LeadStage.OPPORTUNITY);
        // a stage entered on a gateway's answer is noted with the answer, not the gateway's question
        assertThat(T.leads.stageHistory(leadId)).extracting(e -> e.note()).contains("entered at Review MQL",
                "entered: accepted", "entered: qualified (SQL)", "entered at Opportunity created")
                .noneMatch(note -> note.contains("?"));
        assertThat(T.opportunities.find(leadId)).hasValueSatisfying(o -> {
            assertThat(o.amount()).isEqualByComparingTo("48000");
            assertThat(o.timeline()).isEqualTo("quarter");
            assertThat(o.salesRep()).as("the rep the lead was routed to").isEqualTo(T.leads.get(leadId).salesRep()).isIn("sam", "sara");
        });
        assertThat(T.leads.attempts(leadId)).singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo("connected"));
    }

    @Test
    void approvedMql_isRoutedToATerritoryRep_whoMustAcceptWithinFourHours() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);

        Task accept = s.task(leadId, "Task_AcceptLead");
        assertThat(accept.getAssignee()).isIn("sam", "sara");
        assertThat(T.leads.get(leadId).salesRep()).isEqualTo(accept.getAssignee());
        assertThat(engine.getRuntimeService().getVariable(s.lifecycle(leadId).getId(), "territory")).isEqualTo("dach");
        assertThat(accept.getDueDate()).isEqualTo(at(MONDAY_9.plus(Duration.ofHours(4))));
    }

    @Test
    void rejectedAsWronglyRouted_isReassignedToAnotherRep() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        String firstRep = s.task(leadId, "Task_AcceptLead").getAssignee();

        s.reject(leadId, "procedural", "This is an enterprise account, not mine");

        Task again = s.task(leadId, "Task_AcceptLead");
        assertThat(again.getAssignee()).isNotNull().isNotEqualTo(firstRep);
        assertThat(T.leads.rejections(leadId)).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("procedural");
            assertThat(r.rejectedBy()).isEqualTo(firstRep);
        });
    }

    @Test
    void aRepWhoRejectedTheLeadAsWronglyRouted_mayGetItAgain_whenItComesBackToSalesInALaterRound() {
        // given a lead rejected as wrongly routed by one rep and as below the definition by the other
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        String firstRep = s.task(leadId, "Task_AcceptLead").getAssignee();
        s.reject(leadId, "procedural", "Not my patch");
        String secondRep = s.task(leadId, "Task_AcceptLead").getAssignee();
        assertThat(secondRep).isNotEqualTo(firstRep);
        s.reject(leadId, "definitional", "Not ready yet");
        assertThat(s.lifecycle(leadId)).isWaitingAt("CallActivity_NurtureLead");

        // when it is an MQL again and marketing hands it over again
        T.engagements().record(leadId, "webinar", null, "attended the spring webinar");
        s.approveMql(leadId);

        // then a rep of the territory gets it, not the sales managers by hand for want of reps
        assertThat(s.task(leadId, "Task_AssignLeadByHand")).isNull();
        assertThat(s.task(leadId, "Task_AcceptLead").getAssignee()).isIn(firstRep, secondRep);
        assertThat(engine.getRuntimeService().getVariable(s.lifecycle(leadId).getId(), "excludedReps")).isEqualTo("");
    }

    @Test
    void theDaysRepsRead_areTheAgreementsDays_notUtcs_justAfterMidnight() {
        // given a lead rejected and contacted at 00:30 on Tuesday in Berlin (23:30 on Monday in UTC)
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        ClockUtil.setCurrentTime(at(java.time.Instant.parse("2026-11-23T23:30:00Z")));
        s.reject(leadId, "procedural", "Not my patch");
        assertThat((String) engine.getRuntimeService().getVariable(s.lifecycle(leadId).getId(), "lastRejection"))
                .contains(" on 2026-11-24: ");
        s.accept(leadId);
        s.attempt(leadId, "phone", "noAnswer");
        s.fire(leadId, "Timer_CadenceWaitPassed");

        // then the next attempt's history names Tuesday too
        Task second = s.task(leadId, "Task_ContactLead");
        assertThat((String) engine.getTaskService().getVariable(second.getId(), "attemptHistory")).startsWith("#1 2026-11-24 by phone");
    }

    @Test
    void rejectedAsIncomplete_goesToMarketingToFix_thenBackToTheSameRep() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        String rep = s.task(leadId, "Task_AcceptLead").getAssignee();

        s.reject(leadId, "clerical", "No phone number");
        Task fix = s.task(leadId, "Task_FixLeadData");
        assertThat(engine.getTaskService().getIdentityLinksForTask(fix.getId()))
                .anyMatch(l -> "marketing".equals(l.getGroupId()));
        s.complete(leadId, "Task_FixLeadData", "email", "ADA.fixed@example.com", "phone", "+49 30 7654321",
                "jobTitle", "CTO", "role", "executive", "industry", "software", "companySize", 500, "country", "de",
                "fixNote", "added phone");

        assertThat(s.task(leadId, "Task_AcceptLead").getAssignee()).isEqualTo(rep);
        Lead lead = T.leads.get(leadId);
        assertThat(lead.phone()).isEqualTo("+49 30 7654321");
        assertThat(lead.country()).isEqualTo("DE");
    }

    @Test
    void rejectedAsBelowDefinition_goesBackToNurture_withTheFeedbackRecorded() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);

        s.reject(leadId, "definitional", "Student project, no budget");

        assertThat(s.lifecycle(leadId)).isWaitingAt("CallActivity_NurtureLead");
        assertThat(s.stage(leadId)).isEqualTo(LeadStage.NURTURING);
        assertThat(T.leads.rejections(leadId)).singleElement()
                .satisfies(r -> assertThat(r.comment()).isEqualTo("Student project, no budget"));
    }

    @Test
    void mqlSentBackByReview_isNurtured_andReturnsToReviewOnNewEngagement() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.complete(leadId, "Task_ReviewMql", "reviewDecision", "nurture", "reviewNote", "wait for the webinar");
        assertThat(s.lifecycle(leadId)).isWaitingAt("CallActivity_NurtureLead");

        T.engagements().record(leadId, "webinar", null, "attended the autumn webinar");

        assertThat(s.lifecycle(leadId)).isWaitingAt("Task_ReviewMql");
        assertThat(T.leads.get(leadId).leadScore()).isEqualTo(75);
    }

    @Test
    void engagementWhileReviewMqlIsOpen_isScoredWhenTheLeadIsSentBackToNurture() {
        String leadId = s.capture(LeadScenarios.strongLead());
        org.camunda.bpm.engine.impl.util.ClockUtil.setCurrentTime(at(MONDAY_9.plus(java.time.Duration.ofMinutes(20))));
        assertThat(T.engagements().record(leadId, "webinar", null, "attended the autumn webinar"))
                .as("nothing waits for it while marketing reviews").isEqualTo(io.leadflow.nurture.EngagementService.Outcome.RECORDED);
        assertThat(T.leads.get(leadId).leadScore()).isEqualTo(60);
        org.camunda.bpm.engine.impl.util.ClockUtil.setCurrentTime(at(MONDAY_9.plus(java.time.Duration.ofMinutes(40))));

        s.complete(leadId, "Task_ReviewMql", "reviewDecision", "nurture", "reviewNote", "not yet");

        // the nurture scores the webinar as it starts: the lead is back for review with the score it has now
        assertThat(T.leads.get(leadId).leadScore()).isEqualTo(75);
        assertThat(s.lifecycle(leadId)).isWaitingAt("Task_ReviewMql");
        assertThat(engine.getTaskService().getVariable(s.task(leadId, "Task_ReviewMql").getId(), "scoreExplanation"))
                .asString().contains("webinar");
    }

    @Test
    void leadWaitingInNurture_keepsItsContactDataInTheRecordOnly_andItsFirstTaskShowsIt() {
        NewLead grace = LeadScenarios.engagedLaterLead();
        String leadId = s.capture(grace);
        assertThat(s.lifecycle(leadId)).isWaitingAt("CallActivity_NurtureLead");
        T.engagements().record(leadId, "pageVisit", null, "pricing page");
        assertThat(s.lifecycle(leadId)).as("one visit is not enough").isWaitingAt("CallActivity_NurtureLead");

        List<HistoricVariableInstance> nurtured = variablesOf(leadId);
        assertThat(nurtured).extracting(HistoricVariableInstance::getName)
                .contains("leadId", "leadNumber", "leadScore", "fitGrade")
                .doesNotContainAnyElementsOf(List.of("email", "phone", "firstName", "lastName", "contactName",
                        "companyName", "jobTitle", "scoreExplanation"));
        assertThat(nurtured).extracting(v -> String.valueOf(v.getValue()))
                .noneMatch(value -> value.contains("Hopper") || value.contains(grace.email()) || value.contains("7654321"));

        T.engagements().record(leadId, "webinar", null, "attended the spring webinar");

        Task review = s.task(leadId, "Task_ReviewMql");
        Lead lead = T.leads.get(leadId);
        assertThat(review.getName()).isEqualTo("Review MQL: Grace Hopper, Compiler Works GmbH");
        assertThat(engine.getTaskService().getVariables(review.getId())).containsEntry("email", grace.email())
                .containsEntry("phone", "+49 30 7654321").containsEntry("jobTitle", "Engineer")
                .containsEntry("companySize", 500).containsEntry("country", "DE")
                .containsEntry("scoreExplanation", lead.scoreExplanation());
        assertThat(lead.scoreExplanation()).contains("webinar");
    }

    @Test
    void secondReviewOfAnMql_showsTheScoreExplanationOfTheNewScoring_andKeepsOneCopyOfTheContactData() {
        String leadId = s.capture(LeadScenarios.strongLead());
        String first = (String) engine.getTaskService().getVariable(s.task(leadId, "Task_ReviewMql").getId(), "scoreExplanation");
        assertThat(first).isEqualTo(T.leads.get(leadId).scoreExplanation()).doesNotContain("webinar");
        s.complete(leadId, "Task_ReviewMql", "reviewDecision", "nurture", "reviewNote", "wait for the webinar");

        T.engagements().record(leadId, "webinar", null, "attended the autumn webinar");

        Task second = s.task(leadId, "Task_ReviewMql");
        assertThat(engine.getTaskService().getVariable(second.getId(), "scoreExplanation"))
                .isEqualTo(T.leads.get(leadId).scoreExplanation()).asString().contains("webinar");
        assertThat(variablesOf(leadId)).as("one variable per name and instance, whatever came round again")
                .filteredOn(v -> v.getName().equals("email") || v.getName().equals("scoreExplanation"))
                .extracting(v -> v.getName() + " in " + v.getProcessInstanceId()).hasSize(2).doesNotHaveDuplicates();
    }

    /** The latest value of every variable of the lead's lifecycle and its nurture instances, from the history. */
    private List<HistoricVariableInstance> variablesOf(String leadId) {
        String number = T.leads.get(leadId).number();
        String[] instances = engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceBusinessKey(number)
                .list().stream().map(p -> p.getId()).toArray(String[]::new);
        assertThat(instances).hasSizeGreaterThanOrEqualTo(2);
        return engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceIdIn(instances).list();
    }

    @Test
    void weakLead_isNurtured_andArchivedWhenItGoesCold() {
        String leadId = s.capture(LeadScenarios.weakLead());
        assertThat(s.lifecycle(leadId)).isWaitingAt("CallActivity_NurtureLead");
        assertThat(T.leads.get(leadId).fitGrade()).isEqualTo("D");

        s.fire(leadId, "Timer_QuietPeriodPassed");

        assertThat(s.lifecycle(leadId)).isEnded().hasPassed("Task_ArchiveLead", "EndEvent_LeadArchived");
        assertThat(s.stage(leadId)).isEqualTo(LeadStage.ARCHIVED);
        assertThat(T.leads.stageHistory(leadId).get(T.leads.stageHistory(leadId).size() - 1).note()).contains("went cold");
    }

    @Test
    void archivedLead_isRevivedByNewEngagement_withANewLifecycle() {
        String leadId = s.capture(LeadScenarios.weakLead());
        s.fire(leadId, "Timer_QuietPeriodPassed");
        assertThat(s.running(leadId)).isFalse();

        assertThat(T.engagements().record(leadId, "webinar", null, "came back for the spring webinar")).isEqualTo(EngagementService.Outcome.WOKE_LIFECYCLE);

        assertThat(s.child(leadId, "leadNurture")).as("revived and nurtured again").isNotNull();
        assertThat(s.stages(leadId)).endsWith(LeadStage.ARCHIVED, LeadStage.INQUIRY, LeadStage.NURTURING);
        assertThat(T.leads.stageHistory(leadId).get(T.leads.stageHistory(leadId).size() - 2).note())
                .isEqualTo("revived by new engagement: webinar");
    }

    @Test
    void blacklistedLead_isNotRevivedByEngagement() {
        String leadId = s.capture(LeadScenarios.weakLead());
        T.doNotContact().request(leadId, false);

        assertThat(T.engagements().record(leadId, "pageVisit", null, "visited pricing")).as("nothing stored on a lead that asked not to be contacted")
                .isEqualTo(EngagementService.Outcome.SUPPRESSED);

        assertThat(s.running(leadId)).isFalse();
        assertThat(s.stage(leadId)).isEqualTo(LeadStage.BLACKLISTED);
    }

    @Test
    void leadNeverReached_isRecycledAsUnreachable_andNurturedAgain() {
        String leadId = s.acceptedStrongLead();
        for (int attempt = 1; attempt <= 10; attempt++) {
            s.attempt(leadId, "phone", "noAnswer");
            if (attempt < 10) {
                s.fire(leadId, "Timer_CadenceWaitPassed");
            }
        }

        assertThat(s.lifecycle(leadId)).hasPassed("Task_RecycleLead").isWaitingAt("CallActivity_NurtureLead");
        assertThat(T.leads.recycles(leadId)).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("unreachable");
            assertThat(r.revisitAt()).isNull();
        });
        assertThat(T.leads.get(leadId).recycleCount()).isEqualTo(1);
        assertThat(T.leads.attempts(leadId)).hasSize(10);
    }

    /** The lead's lifecycle started again at Recycle lead, as after {@code recycles} recycles (reason unreachable). */
    ProcessInstance recycledAfter(String leadId, int recycles) {
        engine.getRuntimeService().deleteProcessInstance(s.lifecycle(leadId).getId(), "restart at recycling");
        return engine.getRuntimeService().createProcessInstanceByKey("leadLifecycle")
                .businessKey(s.key(leadId))
                .startBeforeActivity("Task_RecycleLead")
                .setVariables(LeadScenarios.vars("leadId", leadId, "recycleCount", recycles, "recycleReason", "unreachable"))
                .execute();
    }

    @Test
    void leadRecycledMoreThanTheMaximum_isArchived() {
        String leadId = s.capture(LeadScenarios.weakLead());
        ProcessInstance lifecycle = recycledAfter(leadId, 3);

        assertThat(lifecycle).isEnded().hasPassed("Task_ArchiveLead");
        assertThat(T.leads.get(leadId).recycleCount()).isEqualTo(4);
        assertThat(s.stage(leadId)).isEqualTo(LeadStage.ARCHIVED);
    }

    @Test
    void theLastRecycleAllowed_nurturesTheLeadAgain() {
        String leadId = s.capture(LeadScenarios.weakLead());
        ProcessInstance lifecycle = recycledAfter(leadId, 2);

        // the third recycle of the three allowed (sla.maxRecycles) is not yet the limit
        assertThat(T.sla.maxRecycles()).isEqualTo(3);
        assertThat(lifecycle).hasPassed("Task_RecycleLead").isWaitingAt("CallActivity_NurtureLead");
        assertThat(T.leads.get(leadId).recycleCount()).isEqualTo(3);
        assertThat(s.stage(leadId)).isNotEqualTo(LeadStage.ARCHIVED);
    }

    @Test
    void disqualifiedForTiming_isRecycledAndNurturedAgainOnTheRevisitDate() {
        String leadId = s.acceptedStrongLead();
        s.attempt(leadId, "phone", "connected");
        s.complete(leadId, "Task_QualifyLead", "qualificationDecision", "disqualified", "disqualifyReason", "timing",
                "revisitDate", "2027-03-01", "timeline", "later");

        assertThat(s.lifecycle(leadId)).isWaitingAt("Timer_RevisitDateReached");
        assertThat(s.stage(leadId)).isEqualTo(LeadStage.RECYCLED);
        Date due = s.timer(leadId, "Timer_RevisitDateReached").getDuedate();
        assertThat(due).isEqualTo(Date.from(LocalDate.of(2027, 3, 1).atStartOfDay(T.sla.zone()).toInstant()));
        assertThat(T.leads.stageHistory(leadId).get(T.leads.stageHistory(leadId).size() - 1).note())
                .as("the day the rep chose, not the UTC day before it").endsWith("revisit on 2027-03-01");

        s.fire(leadId, "Timer_RevisitDateReached");
        assertThat(s.lifecycle(leadId)).isWaitingAt("CallActivity_NurtureLead");
        assertThat(T.leads.recycles(leadId)).singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo("timing"));
        // and the nurture gets its whole quiet period from the revisit date: counted from the engagement
        // before the recycle, it was over, and the lead was archived on the day it was to be revisited
        assertThat(s.timer(leadId, "Timer_QuietPeriodPassed").getDuedate())
                .isEqualTo(Date.from(due.toInstant().plus(T.sla.nurtureQuietPeriod())));
    }

    @Test
    void disqualifiedForNoBudget_endsDisqualifiedWithTheReason() {
        String leadId = s.acceptedStrongLead();
        s.attempt(leadId, "email", "connected");
        s.complete(leadId, "Task_QualifyLead", "qualificationDecision", "disqualified", "disqualifyReason", "noBudget",
                "qualificationNote", "frozen budget", "timeline", "later");

        assertThat(s.lifecycle(leadId)).isEnded().hasPassed("EndEvent_LeadDisqualified");
        assertThat(s.stage(leadId)).isEqualTo(LeadStage.DISQUALIFIED);
        assertThat(T.leads.stageHistory(leadId).get(T.leads.stageHistory(leadId).size() - 1).note())
                .isEqualTo("reason: noBudget — frozen budget");
    }

    @Test
    void aDisqualificationNoteAsLongAsTheFormAllows_isKeptWhole() {
        String leadId = s.acceptedStrongLead();
        s.attempt(leadId, "email", "connected");
        String note = "n".repeat(2_000); // the form's maxLength
        s.complete(leadId, "Task_QualifyLead", "qualificationDecision", "disqualified", "disqualifyReason", "noNeed",
                "qualificationNote", note, "timeline", "later");

        assertThat(T.leads.stageHistory(leadId).get(T.leads.stageHistory(leadId).size() - 1).note())
                .as("not cut at 1,000 characters").isEqualTo("reason: noNeed — " + note);
    }

    @Test
    void leadWhoAsksNotToBeContacted_isBlacklisted() {
        String leadId = s.acceptedStrongLead();
        s.attempt(leadId, "phone", "doNotContact");

        assertThat(s.lifecycle(leadId)).isEnded().hasPassed("Task_BlacklistLead", "EndEvent_LeadBlacklisted");
        Lead lead = T.leads.get(leadId);
        assertThat(lead.stage()).isEqualTo(LeadStage.BLACKLISTED);
        assertThat(lead.doNotContact()).isTrue();
        assertThat(lead.email()).startsWith("ada-");
    }

    @Test
    void doNotContactRequest_whileWaitingForReview_blacklistsAndErasesPersonalData() {
        String leadId = s.capture(LeadScenarios.strongLead());

        assertThat(T.doNotContact().request(leadId, true)).isTrue();

        assertThat(s.running(leadId)).isFalse();
        assertThat(s.lifecycle(leadId)).hasPassed("Task_BlacklistLeadOnRequest", "EndEvent_LeadBlacklistedOnRequest");
        assertThat(s.openTasks(leadId)).isEmpty();
        Lead lead = T.leads.get(leadId);
        assertThat(lead.stage()).isEqualTo(LeadStage.BLACKLISTED);
        assertThat(lead.email()).isEqualTo("erased:" + leadId);
        assertThat(lead.firstName()).isNull();
        assertThat(lead.phone()).isNull();
        assertThat(lead.erasedAt()).isNotNull();
    }

    @Test
    void doNotContactRequest_duringNurture_stopsTheNurtureToo() {
        String leadId = s.capture(LeadScenarios.weakLead());
        assertThat(s.child(leadId, "leadNurture")).isNotNull();

        T.doNotContact().request(leadId, false);

        assertThat(s.child(leadId, "leadNurture")).isNull();
        assertThat(s.running(leadId)).isFalse();
        Lead lead = T.leads.get(leadId);
        assertThat(lead.stage()).isEqualTo(LeadStage.BLACKLISTED);
        assertThat(lead.firstName()).isEqualTo("Bob");
    }

    @Test
    void doNotContactRequest_duringFollowUp_cancelsTheContactTask() {
        String leadId = s.acceptedStrongLead();
        assertThat(s.task(leadId, "Task_ContactLead")).isNotNull();

        T.doNotContact().request(leadId, false);

        assertThat(s.openTasks(leadId)).isEmpty();
        assertThat(s.stage(leadId)).isEqualTo(LeadStage.BLACKLISTED);
    }

    @Test
    void acceptanceDoneAfterItsDeadline_beforeTheTimerRan_isRecordedAsABreach_once() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        assertThat(T.breaches.forLead(leadId)).as("review done in time").isEmpty();
        Task accept = s.task(leadId, "Task_AcceptLead");
        Instant due = accept.getDueDate().toInstant();
        // a minute late; the deadline's timer has not run yet (a wave of timers, a busy job executor)
        org.camunda.bpm.engine.impl.util.ClockUtil.setCurrentTime(at(due.plus(Duration.ofMinutes(1))));

        s.accept(leadId);

        assertThat(T.breaches.forLead(leadId)).singleElement().satisfies(b -> {
            assertThat(b.sla()).isEqualTo("acceptLead");
            assertThat(b.taskKey()).isEqualTo("Task_AcceptLead");
            assertThat(b.taskName()).isEqualTo("Accept lead");
            assertThat(b.assignee()).isEqualTo(accept.getAssignee()).isNotNull();
            assertThat(b.deadline().toInstant()).isEqualTo(due);
            assertThat(b.breachedAt().toInstant()).isEqualTo(due.plus(Duration.ofMinutes(1)));
            assertThat(b.completedAt().toInstant()).as("done late, not lapsed").isEqualTo(due.plus(Duration.ofMinutes(1)));
        });
        assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery().taskIdIn(accept.getId())
                .variableName("slaStatus").singleResult().getValue()).isEqualTo("BREACHED");
        assertThat(s.task(leadId, "Task_ContactLead")).as("the lead goes on").isNotNull();

        // the first contact attempt: in time, no breach
        s.attempt(leadId, "phone", "connected");
        assertThat(T.breaches.forLead(leadId)).hasSize(1);
    }

    @Test
    void reviewDoneAfterItsEscalation_isOneBreach() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.fire(leadId, "Timer_ReviewMqlSlaBreached");
        org.camunda.bpm.engine.impl.util.ClockUtil.setCurrentTime(at(MONDAY_9.plus(Duration.ofHours(9))));

        s.approveMql(leadId);

        assertThat(T.breaches.forLead(leadId)).singleElement()
                .satisfies(b -> assertThat(b.breachedAt().toInstant()).isEqualTo(MONDAY_9.plus(Duration.ofHours(8))));
    }

    @Test
    void reviewNotDoneInTime_remindsAtHalfTheDeadline_thenEscalatesToTheMarketingManager() {
        String leadId = s.capture(LeadScenarios.strongLead());
        assertThat(s.timer(leadId, "Timer_ReviewMqlReminder").getDuedate()).isEqualTo(at(MONDAY_9.plus(Duration.ofHours(4))));
        assertThat(s.timer(leadId, "Timer_ReviewMqlSlaBreached").getDuedate()).isEqualTo(at(MONDAY_9.plus(Duration.ofHours(8))));

        assertThat(engine.getTaskService().getVariableLocal(s.task(leadId, "Task_ReviewMql").getId(), "slaStatus"))
                .isEqualTo("ON_TIME");
        s.fire(leadId, "Timer_ReviewMqlReminder");
        Task review = s.task(leadId, "Task_ReviewMql");
        assertThat(review.getPriority()).isEqualTo(75);
        assertThat(engine.getTaskService().getVariableLocal(review.getId(), "slaStatus")).isEqualTo("AT_RISK");
        assertThat(T.breaches.forLead(leadId)).isEmpty();

        s.fire(leadId, "Timer_ReviewMqlSlaBreached");
        review = s.task(leadId, "Task_ReviewMql");
        assertThat(engine.getTaskService().getIdentityLinksForTask(review.getId()))
                .anyMatch(l -> "marketingManagers".equals(l.getGroupId()));
        assertThat(engine.getTaskService().getVariableLocal(review.getId(), "slaStatus")).isEqualTo("BREACHED");
        assertThat(T.breaches.forLead(leadId)).singleElement().satisfies(b -> {
            assertThat(b.sla()).isEqualTo("reviewMql");
            assertThat(b.taskKey()).isEqualTo("Task_ReviewMql");
            assertThat(b.deadline().toInstant()).isEqualTo(MONDAY_9.plus(Duration.ofHours(8)));
            assertThat(b.breachedAt().toInstant()).isEqualTo(MONDAY_9.plus(Duration.ofHours(8)));
        });
        assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(s.lifecycle(leadId).getId())
                .variableNameIn("slaName", "slaTaskKey", "escalationGroup").count())
                .as("the handlers' settings are model properties, not variables written for every timer").isZero();
        s.approveMql(leadId);
        assertThat(s.task(leadId, "Task_AcceptLead")).isNotNull();
    }

    @Test
    void reminderAndBreachBothOverdue_afterDowntime_theReminderRunningLast_leavesTheTaskBreached_andRemindsNobody() {
        // given a review whose reminder and breach both fell due while the app was down, and the breach ran first
        String leadId = s.capture(LeadScenarios.strongLead());
        s.fire(leadId, "Timer_ReviewMqlSlaBreached");
        Task review = s.task(leadId, "Task_ReviewMql");
        assertThat(engine.getTaskService().getVariableLocal(review.getId(), "slaStatus")).isEqualTo("BREACHED");

        // when the reminder runs after it
        s.fire(leadId, "Timer_ReviewMqlReminder");

        // then the task stays breached, as Tasklist's filter and the lead record show it, and no "due soon" mail goes out
        assertThat(engine.getTaskService().getVariableLocal(review.getId(), "slaStatus")).isEqualTo("BREACHED");
        assertThat(T.jdbc.sql("select count(*) from notification_outbox where lead_id = ? and event = 'SLA_REMINDER'")
                .param(leadId).query(Long.class).single()).isZero();
        assertThat(T.jdbc.sql("select count(*) from notification_outbox where lead_id = ? and event = 'SLA_BREACH'")
                .param(leadId).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aVersionDeployedWithInputParametersForTheEscalation_stillEscalatesAsBefore() throws Exception {
        String model = new String(getClass().getResourceAsStream("/processes/lead-lifecycle.bpmn").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        String properties = """
                <camunda:properties>
                          <camunda:property name="slaName" value="reviewMql" />
                          <camunda:property name="slaTaskKey" value="Task_ReviewMql" />
                          <camunda:property name="escalationGroup" value="marketingManagers" />
                        </camunda:properties>""";
        String inputs = """
                <camunda:inputOutput>
                          <camunda:inputParameter name="slaName">reviewMql</camunda:inputParameter>
                          <camunda:inputParameter name="slaTaskKey">Task_ReviewMql</camunda:inputParameter>
                          <camunda:inputParameter name="escalationGroup">marketingManagers</camunda:inputParameter>
                        </camunda:inputOutput>""";
        assertThat(model).contains(properties.strip());
        String earlier = engine.getRepositoryService().createDeployment()
                .addString("lead-lifecycle.bpmn", model.replace(properties.strip(), inputs.strip())).deploy().getId();
        try {
            String leadId = s.capture(LeadScenarios.strongLead());

            s.fire(leadId, "Timer_ReviewMqlSlaBreached");

            assertThat(engine.getTaskService().getIdentityLinksForTask(s.task(leadId, "Task_ReviewMql").getId()))
                    .anyMatch(l -> "marketingManagers".equals(l.getGroupId()));
            assertThat(T.breaches.forLead(leadId)).singleElement().satisfies(b -> {
                assertThat(b.sla()).isEqualTo("reviewMql");
                assertThat(b.taskKey()).isEqualTo("Task_ReviewMql");
            });
        } finally {
            engine.getRepositoryService().deleteDeployment(earlier, true);
        }
    }

    @Test
    void acceptanceNotDoneInTime_remindsTheRep_thenReassignsToTheNextRepAndRecordsTheBreach() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        String firstRep = s.task(leadId, "Task_AcceptLead").getAssignee();

        s.fire(leadId, "Timer_AcceptLeadReminder");
        assertThat(s.task(leadId, "Task_AcceptLead").getPriority()).isEqualTo(75);
        assertThat(ClockUtil.getCurrentTime()).isEqualTo(at(MONDAY_9.plus(Duration.ofHours(2))));

        s.fire(leadId, "Timer_AcceptanceSlaBreached");

        Task reassigned = s.task(leadId, "Task_AcceptLead");
        assertThat(reassigned.getAssignee()).isNotNull().isNotEqualTo(firstRep);
        assertThat(reassigned.getDueDate()).isEqualTo(at(MONDAY_9.plus(Duration.ofHours(8))));
        SlaBreach breach = T.breaches.forLead(leadId).get(0);
        assertThat(breach.sla()).isEqualTo("acceptLead");
        assertThat(breach.assignee()).isEqualTo(firstRep);
        assertThat(breach.deadline().toInstant()).isEqualTo(MONDAY_9.plus(Duration.ofHours(4)));
    }

    @Test
    void qualificationNotDoneInTime_isRecordedAsBreached_andEscalatedToTheSalesManager_whileTheRepKeepsTheTask() {
        String leadId = s.acceptedStrongLead();
        s.attempt(leadId, "phone", "connected");
        ProcessInstance lifecycle = s.lifecycle(leadId);
        String rep = s.task(leadId, "Task_QualifyLead").getAssignee();
        assertThat(rep).isNotNull();

        breachIsRecordedAndEscalated(leadId, "Task_QualifyLead", "Timer_QualifyLeadSlaBreached", "qualifyLead", "salesManagers");

        assertThat(s.task(leadId, "Task_QualifyLead").getAssignee()).as("still the rep's task").isEqualTo(rep);
        s.complete(leadId, "Task_QualifyLead", "qualificationDecision", "disqualified", "disqualifyReason", "noBudget",
                "qualificationNote", "no budget this year", "timeline", "later");
        assertThat(lifecycle).isEnded().hasPassed("EndEvent_LeadDisqualified", "EndEvent_QualificationEscalated");
    }

    @Test
    void leadDataNotFixedInTime_isRecordedAsBreached_andEscalatedToTheMarketingManager_whileTheTaskStaysOpen() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        String rep = s.task(leadId, "Task_AcceptLead").getAssignee();
        s.reject(leadId, "clerical", "No phone number");

        breachIsRecordedAndEscalated(leadId, "Task_FixLeadData", "Timer_FixLeadDataSlaBreached", "fixLeadData", "marketingManagers");

        s.complete(leadId, "Task_FixLeadData", "email", LeadScenarios.unique("ada.fixed"), "phone", "+49 30 7654321",
                "jobTitle", "CTO", "role", "executive", "industry", "software", "companySize", 500, "country", "de",
                "fixNote", "added phone");
        assertThat(s.task(leadId, "Task_AcceptLead").getAssignee()).as("back to the same rep").isEqualTo(rep);
        assertThat(s.lifecycle(leadId)).hasPassed("EndEvent_DataFixEscalated");
    }

    @Test
    void leadNotAssignedByHandInTime_isRecordedAsBreached_andTheSalesManagersAreToldAgain_withoutExcludingAnyRep() {
        salesTeam();
        String leadId = s.capture(strongLeadFromFrance());
        s.approveMql(leadId);
        s.reject(leadId, "procedural", "Belgian subsidiary, not my patch");
        String lifecycle = s.lifecycle(leadId).getId();
        Object excludedBefore = engine.getRuntimeService().getVariable(lifecycle, "excludedReps");

        breachIsRecordedAndEscalated(leadId, "Task_AssignLeadByHand", "Timer_AssignLeadByHandSlaBreached", "assignByHand", "salesManagers");

        assertThat(engine.getRuntimeService().getVariable(lifecycle, "excludedReps")).as("nobody more excluded").isEqualTo(excludedBefore);
        assertThat(s.task(leadId, "Task_AssignLeadByHand").getAssignee()).isNull();
        s.complete(leadId, "Task_AssignLeadByHand", "assignTo", "sara");
        assertThat(s.task(leadId, "Task_AcceptLead").getAssignee()).isEqualTo("sara");
        assertThat(s.lifecycle(leadId)).hasPassed("EndEvent_ManualAssignmentEscalated");
    }

    /**
     * The task's non-interrupting SLA timer is due at the task's due date; when it fires, the breach is recorded
     * (SLA, task, deadline, when, whose desk), the task reads BREACHED, its escalation group is a candidate (once)
     * and is told, and the task stays open for whoever works it.
     */
    void breachIsRecordedAndEscalated(String leadId, String taskKey, String timerId, String sla, String managers) {
        Task task = s.task(leadId, taskKey);
        assertThat(task.getDueDate()).isNotNull();
        assertThat(s.timer(leadId, timerId).getDuedate()).as("the timer keeps the task's deadline").isEqualTo(task.getDueDate());
        assertThat(engine.getTaskService().getVariableLocal(task.getId(), "slaStatus")).isEqualTo("ON_TIME");
        assertThat(T.breaches.forLead(leadId)).isEmpty();

        s.fire(leadId, timerId);

        Task open = s.task(leadId, taskKey);
        assertThat(open).as("still open").isNotNull();
        assertThat(open.getId()).as("the same task").isEqualTo(task.getId());
        assertThat(open.getDueDate()).isEqualTo(task.getDueDate());
        assertThat(engine.getTaskService().getVariableLocal(open.getId(), "slaStatus")).isEqualTo("BREACHED");
        assertThat(engine.getTaskService().getIdentityLinksForTask(open.getId()))
                .filteredOn(l -> IdentityLinkType.CANDIDATE.equals(l.getType()) && managers.equals(l.getGroupId()))
                .as("the escalation group is a candidate, once").hasSize(1);
        assertThat(T.breaches.forLead(leadId)).singleElement().satisfies(b -> {
            assertThat(b.sla()).isEqualTo(sla);
            assertThat(b.taskKey()).isEqualTo(taskKey);
            assertThat(b.taskName()).isEqualTo(engine.getRepositoryService().getBpmnModelInstance(open.getProcessDefinitionId())
                    .<org.camunda.bpm.model.bpmn.instance.FlowElement>getModelElementById(taskKey).getName());
            assertThat(b.deadline().toInstant()).isEqualTo(task.getDueDate().toInstant());
            assertThat(b.breachedAt().toInstant()).isEqualTo(task.getDueDate().toInstant());
            assertThat(b.assignee()).isEqualTo(task.getAssignee());
        });
        assertThat(T.jdbc.sql("select message from notification_outbox where lead_id = ? and event = 'SLA_BREACH'")
                .param(leadId).query(String.class).list()).singleElement().asString().contains("\"" + managers + "\"");
    }

    /** Sales reps and a sales manager as engine users: the manual assignment checks the chosen rep is in sales. */
    void salesTeam() {
        user("sam", "sales", null);
        user("sara", "sales", null);
        user("max", "salesManagers", "max@leadflow.example");
    }

    void user(String id, String group, String email) {
        var identity = engine.getIdentityService();
        if (identity.createGroupQuery().groupId(group).count() == 0) {
            identity.saveGroup(identity.newGroup(group));
        }
        if (identity.createUserQuery().userId(id).count() == 0) {
            var user = identity.newUser(id);
            user.setEmail(email);
            identity.saveUser(user);
            identity.createMembership(id, group);
        }
    }

    /** A strong lead from France: territory emea, where sam is the only rep. */
    static io.leadflow.lead.NewLead strongLeadFromFrance() {
        var de = LeadScenarios.strongLead();
        return new io.leadflow.lead.NewLead(de.email(), de.firstName(), de.lastName(), de.phone(), "Machines Analytiques SA",
                de.jobTitle(), de.role(), de.industry(), de.companySize(), "FR", de.source(), de.campaign());
    }

    long timesReached(String leadId, String activityId) {
        return engine.getHistoryService().createHistoricActivityInstanceQuery()
                .processInstanceId(s.lifecycle(leadId).getId()).activityId(activityId).count();
    }

    long assignmentNeededNotifications(String leadId) {
        return T.jdbc.sql("select message from notification_outbox where lead_id = ? and event = 'ASSIGNMENT_NEEDED'")
                .param(leadId).query(String.class).list().stream()
                // for the sales managers' group, whose members' addresses are read when it is sent
                .filter(message -> message.contains("\"groups\":[\"salesManagers\"]")).count();
    }

    @Test
    void oneRepTerritoryAfterProceduralRejection_reachesAssignLeadByHandOnce() {
        salesTeam();
        String leadId = s.capture(strongLeadFromFrance());
        s.approveMql(leadId);
        assertThat(engine.getRuntimeService().getVariable(s.lifecycle(leadId).getId(), "territory")).isEqualTo("emea");
        assertThat(s.task(leadId, "Task_AcceptLead").getAssignee()).isEqualTo("sam");

        s.reject(leadId, "procedural", "Belgian subsidiary, not my patch");

        assertThat(s.lifecycle(leadId)).isWaitingAt("Task_AssignLeadByHand").hasPassed("Gateway_SalesRepFound");
        assertThat(s.task(leadId, "Task_AcceptLead")).as("nobody is left to accept it").isNull();
        Task byHand = s.task(leadId, "Task_AssignLeadByHand");
        assertThat(byHand.getName()).isEqualTo("Assign lead by hand: Ada Lovelace, Machines Analytiques SA");
        assertThat(byHand.getAssignee()).isNull();
        assertThat(engine.getTaskService().getIdentityLinksForTask(byHand.getId()))
                .anyMatch(l -> IdentityLinkType.CANDIDATE.equals(l.getType()) && "salesManagers".equals(l.getGroupId()));
        assertThat(byHand.getDueDate()).as("4 business hours").isEqualTo(at(MONDAY_9.plus(Duration.ofHours(4))));
        assertThat(engine.getTaskService().getVariable(byHand.getId(), "contactName")).isEqualTo("Ada Lovelace");
        assertThat(timesReached(leadId, "Task_AssignLeadByHand")).isEqualTo(1);
        assertThat(assignmentNeededNotifications(leadId)).as("the sales managers are told").isEqualTo(1);

        s.complete(leadId, "Task_AssignLeadByHand", "assignTo", "sara");

        Task accept = s.task(leadId, "Task_AcceptLead");
        assertThat(accept.getAssignee()).isEqualTo("sara");
        assertThat(T.leads.get(leadId).salesRep()).isEqualTo("sara");
        assertThat(s.lifecycle(leadId)).hasPassed("Task_RecordManualAssignment");
        assertThat(timesReached(leadId, "Task_AssignLeadByHand")).isEqualTo(1);
    }

    @Test
    void assignLeadByHandComingRoundAgain_opensWithNoRepChosen() {
        salesTeam();
        String leadId = s.capture(strongLeadFromFrance());
        s.approveMql(leadId);
        s.reject(leadId, "procedural", "Belgian subsidiary, not my patch");
        s.complete(leadId, "Task_AssignLeadByHand", "assignTo", "sara");

        s.reject(leadId, "procedural", "not mine either");

        Task again = s.task(leadId, "Task_AssignLeadByHand");
        assertThat(timesReached(leadId, "Task_AssignLeadByHand")).isEqualTo(2);
        assertThat(engine.getTaskService().getVariable(again.getId(), "assignTo")).as("no rep preselected").isNull();
    }

    @Test
    void everyRepExcludedAfterBreaches_reachesAssignLeadByHandOnceWithoutLooping() {
        salesTeam();
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        String firstRep = s.task(leadId, "Task_AcceptLead").getAssignee();
        s.fire(leadId, "Timer_AcceptanceSlaBreached");
        String secondRep = s.task(leadId, "Task_AcceptLead").getAssignee();
        assertThat(secondRep).isNotNull().isNotEqualTo(firstRep);

        s.fire(leadId, "Timer_AcceptanceSlaBreached");

        assertThat(s.lifecycle(leadId)).isWaitingAt("Task_AssignLeadByHand");
        assertThat(s.task(leadId, "Task_AcceptLead")).isNull();
        assertThat(engine.getManagementService().createJobQuery().processInstanceId(s.lifecycle(leadId).getId()).list())
                .as("no acceptance timer left to fire every 4 business hours: only the manual assignment's deadline")
                .singleElement().extracting(org.camunda.bpm.engine.runtime.Job::getId)
                .isEqualTo(s.timer(leadId, "Timer_AssignLeadByHandSlaBreached").getId());
        assertThat(timesReached(leadId, "Task_AssignSalesRep")).isEqualTo(3);
        assertThat(timesReached(leadId, "Task_AssignLeadByHand")).isEqualTo(1);
        assertThat(T.breaches.forLead(leadId)).extracting(SlaBreach::assignee).containsExactly(firstRep, secondRep);
        assertThat(assignmentNeededNotifications(leadId)).isEqualTo(1);
        assertThat(s.task(leadId, "Task_AssignLeadByHand").getDueDate()).as("created Monday 17:00 after two 4-hour deadlines: due Tuesday 13:00 in Berlin")
                .isEqualTo(at(java.time.Instant.parse("2026-11-24T12:00:00Z")));

        s.complete(leadId, "Task_AssignLeadByHand", "assignTo", firstRep);

        assertThat(s.task(leadId, "Task_AcceptLead").getAssignee()).as("the manager's choice wins over the exclusion")
                .isEqualTo(firstRep);
        assertThat(timesReached(leadId, "Task_AssignLeadByHand")).isEqualTo(1);
    }

    @Test
    void leadAssignedByHandToSomebodyOutsideSales_isRefused_andTheTaskStaysOpen() {
        salesTeam();
        String leadId = s.capture(strongLeadFromFrance());
        s.approveMql(leadId);
        s.reject(leadId, "procedural", "not mine");
        Task byHand = s.task(leadId, "Task_AssignLeadByHand");

        // a refusal Tasklist shows in one line, logged by the engine at DEBUG: not a failure of ours
        assertThatThrownBy(() -> engine.getTaskService().complete(byHand.getId(), LeadScenarios.vars("assignTo", "max")))
                .isInstanceOf(org.camunda.bpm.engine.BadUserRequestException.class)
                .hasMessageContaining("Sales rep who gets the lead (assignTo): must be a user of the group 'sales', was 'max'");
        assertThatThrownBy(() -> engine.getTaskService().complete(byHand.getId(), LeadScenarios.vars("assignTo", " ")))
                .isInstanceOf(org.camunda.bpm.engine.BadUserRequestException.class)
                .hasMessageContaining("(assignTo): must name the rep");

        assertThat(s.task(leadId, "Task_AssignLeadByHand")).isNotNull();
        assertThat(s.task(leadId, "Task_AcceptLead")).isNull();
        assertThat(T.leads.get(leadId).salesRep()).isNull();
    }

    @Test
    void leadHandedOverOnFridayAfternoon_isDueMonday_andItsRemindersAndBreachFireInBusinessHours() {
        ClockUtil.setCurrentTime(at(java.time.Instant.parse("2026-11-27T15:00:00Z"))); // Friday 16:00 in Berlin
        String leadId = s.capture(LeadScenarios.strongLead());
        assertThat(s.task(leadId, "Task_ReviewMql").getDueDate()).as("1 h on Friday + 7 h: Monday 16:00")
                .isEqualTo(at(java.time.Instant.parse("2026-11-30T15:00:00Z")));
        s.approveMql(leadId);

        Task accept = s.task(leadId, "Task_AcceptLead");
        assertThat(accept.getDueDate()).as("1 h on Friday + 3 h: Monday 12:00").isEqualTo(at(java.time.Instant.parse("2026-11-30T11:00:00Z")));
        assertThat(s.timer(leadId, "Timer_AcceptLeadReminder").getDuedate()).as("half of it: Monday 10:00")
                .isEqualTo(at(java.time.Instant.parse("2026-11-30T09:00:00Z")));

        s.fire(leadId, "Timer_AcceptLeadReminder");
        s.fire(leadId, "Timer_AcceptanceSlaBreached");

        assertThat(T.breaches.forLead(leadId)).singleElement().satisfies(b -> {
            assertThat(b.deadline().toInstant()).isEqualTo(java.time.Instant.parse("2026-11-30T11:00:00Z"));
            assertThat(b.breachedAt().toInstant()).isEqualTo(java.time.Instant.parse("2026-11-30T11:00:00Z"));
            assertThat(b.assignee()).isEqualTo(accept.getAssignee());
        });
        assertThat(s.task(leadId, "Task_AcceptLead").getDueDate()).as("the next rep has until Monday 16:00")
                .isEqualTo(at(java.time.Instant.parse("2026-11-30T15:00:00Z")));
    }

    @Test
    void capturedLead_runsUnderItsNumber_andPassesItToItsNurture() {
        String leadId = s.capture(LeadScenarios.weakLead());

        String number = T.leads.get(leadId).number();
        assertThat(number).matches("L-2026-\\d{6}");
        ProcessInstance lifecycle = s.lifecycle(leadId);
        assertThat(lifecycle.getBusinessKey()).isEqualTo(number);
        assertThat(engine.getRuntimeService().getVariable(lifecycle.getId(), "leadNumber")).isEqualTo(number);
        ProcessInstance nurture = s.child(leadId, "leadNurture");
        assertThat(nurture.getBusinessKey()).isEqualTo(number);
        assertThat(engine.getRuntimeService().getVariable(nurture.getId(), "leadNumber")).isEqualTo(number);
    }

    @Test
    void leadsCapturedOneAfterAnother_getAscendingNumbers() {
        String first = T.leads.get(s.capture(LeadScenarios.weakLead())).number();
        String second = T.leads.get(s.capture(LeadScenarios.weakLead())).number();

        assertThat(Long.parseLong(second.substring(7))).isGreaterThan(Long.parseLong(first.substring(7)));
    }

    @Test
    void lifecycleStartedBeforeLeadNumbers_takesItsNumberWhenItEntersAStage_andPassesItOn() {
        String leadId = s.capture(LeadScenarios.weakLead());
        String number = T.leads.get(leadId).number();
        engine.getRuntimeService().deleteProcessInstance(s.lifecycle(leadId).getId(), "an instance as the release before started it");
        // a recycled lead of the release before goes back to nurture, its business key still the lead id
        ProcessInstance old = engine.getRuntimeService().createProcessInstanceByKey("leadLifecycle")
                .businessKey(leadId)
                .startBeforeActivity("CallActivity_NurtureLead")
                .setVariables(LeadScenarios.vars("leadId", leadId, "recycleCount", 1))
                .execute();

        assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(old.getId()).singleResult()
                .getBusinessKey()).as("entering Nurturing gave it the number").isEqualTo(number);
        assertThat(engine.getRuntimeService().getVariable(old.getId(), "leadNumber")).isEqualTo(number);
        assertThat(s.child(leadId, "leadNurture").getBusinessKey()).isEqualTo(number);
    }

    @Test
    void startUpBackfill_givesInstancesStartedBeforeLeadNumbersTheirNumber_once() {
        String leadId = s.capture(LeadScenarios.weakLead());
        String number = T.leads.get(leadId).number();
        engine.getRuntimeService().deleteProcessInstance(s.lifecycle(leadId).getId(), "an instance as the release before started it");
        // a nurture the lifecycle of the release before called, under the lead id and without the number
        ProcessInstance old = engine.getRuntimeService().createProcessInstanceByKey("leadNurture")
                .businessKey(leadId)
                .setVariables(LeadScenarios.vars("leadId", leadId, "lastEngagementAt", at(MONDAY_9)))
                .execute();
        assertThat(engine.getRuntimeService().getVariable(old.getId(), "leadNumber")).isNull();
        io.leadflow.modeling.LeadNumberBackfill backfill = new io.leadflow.modeling.LeadNumberBackfill(engine.getRuntimeService(), engine.getManagementService(), T.leads);

        assertThat(backfill.run()).isPositive();

        assertThat(engine.getRuntimeService().getVariable(old.getId(), "leadNumber")).isEqualTo(number);
        assertThat(backfill.run()).as("a second start changes nothing").isZero();
        assertThat(backfill.done()).as("nothing is left, so later start-ups skip the scan").isTrue();
    }

    @Test
    void leadEnteredInTasklist_isRegisteredWithItsNumberAsBusinessKey() {
        ProcessInstance started = engine.getFormService().submitStartForm(
                engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey("leadLifecycle")
                        .latestVersion().singleResult().getId(),
                LeadScenarios.vars("firstName", "Grace", "lastName", "Hopper", "email", LeadScenarios.unique("grace"),
                        "companyName", "Compilers Inc", "role", "executive", "industry", "software",
                        "companySize", 800L, "country", "us", "source", "manual"));

        String leadId = (String) engine.getRuntimeService().getVariable(started.getId(), "leadId");
        String number = T.leads.get(leadId).number();
        assertThat(number).matches("L-2026-\\d{6}");
        assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(started.getId())
                .singleResult().getBusinessKey()).isEqualTo(number);
        assertThat(engine.getRuntimeService().getVariable(started.getId(), "leadNumber")).isEqualTo(number);
        assertThat(s.lifecycle(leadId)).isNotNull().isWaitingAt("Task_ReviewMql");
        Lead lead = T.leads.get(leadId);
        assertThat(lead.country()).isEqualTo("US");
        assertThat(lead.source()).isEqualTo("manual");
    }

    @Test
    void knownEmailEnteredInTasklist_attachesToTheExistingLead_withoutASecondLifecycle() {
        String leadId = s.capture(LeadScenarios.weakLead());
        String email = T.leads.get(leadId).email();

        ProcessInstance duplicate = engine.getRuntimeService().startProcessInstanceByKey("leadLifecycle",
                LeadScenarios.vars("firstName", "Bob", "lastName", "Builder", "email", email.toUpperCase(),
                        "companyName", "Tiny Shop Ltda", "companySize", 20, "country", "BR"));

        assertThat(duplicate).isEnded().hasPassed("EndEvent_AttachedToExistingLead");
        assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(duplicate.getId()).singleResult()
                .getBusinessKey()).as("an entry of the lead (its erasure finds it), none of its processes")
                .isEqualTo(io.leadflow.lead.LeadNumbers.entryKey(s.key(leadId)));
        assertThat(engine.getRuntimeService().getVariable(s.lifecycle(leadId).getId(), "leadId")).isEqualTo(leadId);
        assertThat(T.leads.engagements(leadId)).hasSize(2);
    }

    @Test
    void invalidLeadEnteredInTasklist_isRefusedWithTheReasons_andNothingIsStored() {
        long before = T.jdbc.sql("select count(*) from lead").query(Long.class).single();
        long lifecyclesBefore = engine.getHistoryService().createHistoricProcessInstanceQuery()
                .processDefinitionKey("leadLifecycle").count();

        assertThatThrownBy(() -> engine.getRuntimeService().startProcessInstanceByKey("leadLifecycle",
                LeadScenarios.vars("firstName", "X", "lastName", "Y", "email", "not-an-email", "companyName", "Z",
                        "companySize", 0, "country", "Germany")))
                .hasMessageContaining("email must be a valid email address")
                .hasMessageContaining("country must be a two-letter ISO country code")
                .hasMessageContaining("companySize must be greater than or equal to 1");

        assertThat(T.jdbc.sql("select count(*) from lead").query(Long.class).single()).isEqualTo(before);
        assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery().processDefinitionKey("leadLifecycle")
                .count()).as("no lifecycle started, not even one that ended").isEqualTo(lifecyclesBefore);
    }

    @Test
    void aLeadWith2000EngagementsAndTenLongAttemptNotes_stillConverts() {
        String leadId = s.leadWith2000EngagementsAndTenLongNotes_toOpportunity();

        assertThat(s.running(leadId)).isFalse();
        assertThat(s.stages(leadId)).contains(LeadStage.MQL, LeadStage.SAL, LeadStage.SQL).endsWith(LeadStage.OPPORTUNITY);
        assertThat(T.leads.engagements(leadId)).hasSizeGreaterThan(2000);
        Lead lead = T.leads.get(leadId);
        assertThat(lead.scoreExplanation()).as("one line per event type").hasSizeLessThan(1000)
                .contains("pageVisit: 1,995 events", "emailClick: 3 events");
        assertThat(T.leads.latestScoreReasons(leadId)).filteredOn(r -> r.component().equals("engagement"))
                .extracting(r -> r.reason().substring(0, r.reason().indexOf(':')))
                .containsExactlyInAnyOrder("formFill", "pageVisit", "emailClick");
        assertThat(T.leads.attempts(leadId)).hasSize(10).allSatisfy(a -> assertThat(a.note()).hasSize(4000));
        assertThat(T.opportunities.find(leadId)).isPresent();
        assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(s.lifecycle(leadId).getId())
                .list()).allSatisfy(v -> assertThat(String.valueOf(v.getValue()).length()).as(v.getName()).isLessThanOrEqualTo(4000));
    }

    @Test
    void fixedLeadData_isScoredAgain_soFitAndExplanationFollowTheCorrectedRole() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        s.reject(leadId, "clerical", "Ada moved on; the contact is now Grace, a practitioner");
        assertThat(T.leads.get(leadId).fitScore()).isEqualTo(50);

        s.complete(leadId, "Task_FixLeadData", "firstName", "Grace", "lastName", "Hopper", "companyName", "Compiler Works GmbH",
                "email", LeadScenarios.unique("grace"), "role", "practitioner", "companySize", 500, "country", "DE",
                "industry", "software", "fixNote", "new contact");

        Lead lead = T.leads.get(leadId);
        assertThat(lead.contactName()).isEqualTo("Grace Hopper");
        assertThat(lead.company()).isEqualTo("Compiler Works GmbH");
        assertThat(lead.fitScore()).as("executive 12 became practitioner 4").isEqualTo(42);
        assertThat(lead.scoreExplanation()).contains("+4 Contact is a practitioner").doesNotContain("executive");
        Task accept = s.task(leadId, "Task_AcceptLead");
        assertThat(engine.getTaskService().getVariable(accept.getId(), "scoreExplanation")).isEqualTo(lead.scoreExplanation());
        assertThat(engine.getTaskService().getVariable(accept.getId(), "contactName")).isEqualTo("Grace Hopper");
        assertThat(engine.getTaskService().getVariable(accept.getId(), "fitScore")).isEqualTo(42);
    }

    @Test
    void fixedEmailThatAnotherLeadHas_isRefusedNamingTheEmailField_andNothingChanges() {
        String other = s.capture(LeadScenarios.weakLead());
        String otherEmail = T.leads.get(other).email();
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        s.reject(leadId, "clerical", "Wrong email");
        Lead before = T.leads.get(leadId);
        Task fix = s.task(leadId, "Task_FixLeadData");

        assertThatThrownBy(() -> s.complete(leadId, "Task_FixLeadData", "email", otherEmail.toUpperCase(),
                "firstName", "Ada", "lastName", "King", "companyName", "Analytical Engines GmbH", "role", "executive",
                "companySize", 500, "country", "DE"))
                .isInstanceOf(InvalidTaskInputException.class)
                .hasMessage("Email (email): another lead (" + other + ") already has this address")
                .satisfies(e -> assertThat(e.getMessage()).as("the other lead's address goes to no log").doesNotContainIgnoringCase(otherEmail))
                .satisfies(e -> assertThat(((InvalidTaskInputException) e).field()).isEqualTo("email"));

        assertThat(T.leads.get(leadId)).isEqualTo(before);
        assertThat(s.task(leadId, "Task_FixLeadData").getId()).as("the same task, still open").isEqualTo(fix.getId());
    }

    @Test
    void fixedEmailThatAskedNotToBeContacted_isRefused_evenWithInvisibleCharactersAround_andNothingChanges() {
        String blocked = s.capture(LeadScenarios.weakLead());
        String blockedEmail = T.leads.get(blocked).email();
        T.doNotContact().request(blocked, true); // erased: its address is suppressed, the lead record holds it no more
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        s.reject(leadId, "clerical", "Wrong email");
        Lead before = T.leads.get(leadId);

        for (String typed : java.util.List.of(blockedEmail, "\u00a0" + blockedEmail.toUpperCase() + "\u200b", "\ufeff" + blockedEmail)) {
            assertThatThrownBy(() -> s.complete(leadId, "Task_FixLeadData", "email", typed,
                    "firstName", "Ada", "lastName", "King", "companyName", "Analytical Engines GmbH", "role", "executive",
                    "companySize", 500, "country", "DE"))
                    .as(typed).isInstanceOf(InvalidTaskInputException.class)
                    .hasMessageStartingWith("Email (email): asked not to be contacted")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase(blockedEmail));
        }
        // an invisible character inside the address is no address
        assertThatThrownBy(() -> s.complete(leadId, "Task_FixLeadData", "email", "ada\u200b.king@example.com",
                "firstName", "Ada", "lastName", "King", "companyName", "Analytical Engines GmbH", "role", "executive",
                "companySize", 500, "country", "DE"))
                .isInstanceOf(InvalidTaskInputException.class).hasMessageStartingWith("Email (email): must be a valid email address");

        assertThat(T.leads.get(leadId)).isEqualTo(before);
    }

    @Test
    void aProcessThatNamesAnotherLeadsId_cannotRunTheAppsStepsOnIt_withoutItsBusinessKey_orUnderAnotherLeadsNumber() {
        String victim = s.capture(LeadScenarios.strongLead());
        String own = s.capture(LeadScenarios.weakLead());
        LeadStage before = T.leads.get(victim).stage();
        // what a process owner could deploy: the app's steps, the variables of a lead that is not the process's
        engine.getRepositoryService().createDeployment().addModelInstance("other-lead.bpmn",
                org.camunda.bpm.model.bpmn.Bpmn.createExecutableProcess("otherLead").camundaHistoryTimeToLive(1).startEvent()
                        .serviceTask("Task_Archive").camundaDelegateExpression("${archiveLeadDelegate}")
                        .serviceTask("Task_Stage").camundaExpression("${leadStages.enter(execution, 'SQL')}").endEvent().done())
                .deploy();

        for (String businessKey : java.util.Arrays.asList(null, T.leads.get(own).number())) {
            assertThatThrownBy(() -> engine.getRuntimeService().startProcessInstanceByKey("otherLead", businessKey,
                    LeadScenarios.vars("leadId", victim)))
                    .as("business key %s", businessKey)
                    .hasMessageContaining("Lead " + victim + " is not the lead of this process");
        }

        assertThat(T.leads.get(victim).stage()).isEqualTo(before);
        // the lead's own number is its process's key: the steps work on it
        engine.getRuntimeService().startProcessInstanceByKey("otherLead", T.leads.get(victim).number(), LeadScenarios.vars("leadId", victim));
        assertThat(s.stages(victim)).endsWith(LeadStage.ARCHIVED, LeadStage.SQL);

        // nor does a task of such a process show the other lead's contact data
        engine.getRepositoryService().createDeployment().addModelInstance("other-lead-task.bpmn",
                org.camunda.bpm.model.bpmn.Bpmn.createExecutableProcess("otherLeadTask").camundaHistoryTimeToLive(1).startEvent()
                        .userTask("Task_Show").camundaTaskListenerDelegateExpression("create", "${leadTaskListener}").endEvent().done())
                .deploy();
        assertThatThrownBy(() -> engine.getRuntimeService().startProcessInstanceByKey("otherLeadTask", LeadScenarios.vars("leadId", victim)))
                .hasMessageContaining("Lead " + victim + " is not the lead of this process");
        ProcessInstance shown = engine.getRuntimeService().startProcessInstanceByKey("otherLeadTask", T.leads.get(victim).number(),
                LeadScenarios.vars("leadId", victim));
        engine.getTaskService().complete(engine.getTaskService().createTaskQuery().processInstanceId(shown.getId()).singleResult().getId());
        // nor does it write a notification about the other lead
        engine.getRepositoryService().createDeployment().addModelInstance("other-lead-notice.bpmn",
                org.camunda.bpm.model.bpmn.Bpmn.createExecutableProcess("otherLeadNotice").camundaHistoryTimeToLive(1).startEvent()
                        .userTask("Task_Notice").camundaCandidateGroups("salesManagers")
                        .camundaTaskListenerExpression("create", "${notifications.assignmentNeeded(task)}").endEvent().done())
                .deploy();
        assertThatThrownBy(() -> engine.getRuntimeService().startProcessInstanceByKey("otherLeadNotice", LeadScenarios.vars("leadId", victim)))
                .hasMessageContaining("Lead " + victim + " is not the lead of this process");
        ProcessInstance noticed = engine.getRuntimeService().startProcessInstanceByKey("otherLeadNotice", T.leads.get(victim).number(),
                LeadScenarios.vars("leadId", victim));
        engine.getTaskService().complete(engine.getTaskService().createTaskQuery().processInstanceId(noticed.getId()).singleResult().getId());
    }

    @Test
    void anEntryOfAKnownEmail_isNoneOfTheLeadsProcesses_soAModelGoingOnFromItCannotWorkOnThatLead() {
        String victim = s.capture(LeadScenarios.strongLead());
        String email = T.leads.get(victim).email();
        LeadStage before = T.leads.get(victim).stage();
        // what a process owner could deploy and start by hand: the entry of a known email, then the app's steps on that lead
        engine.getRepositoryService().createDeployment().addModelInstance("entry-then-steps.bpmn",
                org.camunda.bpm.model.bpmn.Bpmn.createExecutableProcess("entryThenSteps").camundaHistoryTimeToLive(1).startEvent()
                        .serviceTask("Task_Register").camundaDelegateExpression("${registerLeadDelegate}")
                        .serviceTask("Task_Archive").camundaDelegateExpression("${archiveLeadDelegate}")
                        .camundaExecutionListenerExpression("start", "${execution.setVariable('leadId', target != null ? target : leadId)}")
                        .endEvent().done())
                .deploy();

        assertThatThrownBy(() -> engine.getRuntimeService().startProcessInstanceByKey("entryThenSteps",
                LeadScenarios.vars("firstName", "Eve", "lastName", "Entry", "email", email, "companyName", "Evil Ltd",
                        "companySize", 20, "country", "DE", "target", victim)))
                .hasMessageContaining("Lead " + victim + " is not the lead of this process (business key "
                        + io.leadflow.lead.LeadNumbers.entryKey(T.leads.get(victim).number()) + ")");
        assertThat(T.leads.get(victim).stage()).isEqualTo(before);
        // a new email is a lead of the process's own: the steps work on it (its key the new lead's number)
        ProcessInstance own = engine.getRuntimeService().startProcessInstanceByKey("entryThenSteps",
                LeadScenarios.vars("firstName", "Nia", "lastName", "New", "email", LeadScenarios.unique("nia.new"), "companyName", "New Ltd",
                        "companySize", 20, "country", "DE", "target", null));
        assertThat(own).isEnded();
    }

    @Test
    void rejectionWithACommentOfOnlySpaces_isRefusedNamingTheCommentField_andTheTaskStaysOpen() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);

        assertThatThrownBy(() -> s.reject(leadId, "clerical", "   "))
                .isInstanceOf(InvalidTaskInputException.class)
                .hasMessage("Comment (rejectComment): is required and must not be only spaces");
        assertThatThrownBy(() -> s.reject(leadId, "rude", "no"))
                .isInstanceOf(InvalidTaskInputException.class)
                .hasMessage("Reason for rejecting (rejectReason): must be one of clerical, definitional, procedural, was 'rude'");

        assertThat(s.task(leadId, "Task_AcceptLead")).isNotNull();
        assertThat(T.leads.rejections(leadId)).isEmpty();
    }

    @Test
    void acceptFormRefusesACommentOfOnlySpaces_andLongerThanTheColumn() throws Exception {
        var field = formField("forms/accept-lead.form", "rejectComment");
        var comment = field.path("validate");
        // required only when rejecting: checked before the engine (requiredWhen, see security.FormInput), because a
        // form-js "required" on a field that is not always needed locks Complete after a failed submit
        assertThat(field.path("properties").path("requiredWhen").asText()).isEqualTo("acceptDecision = reject");
        assertThat(field.has("conditional")).as("never hidden, so its error can always be fixed").isFalse();
        // form-js checks minLength on the trimmed text: only spaces are refused, with a readable message (not a regex)
        assertThat(comment.path("minLength").asInt()).isEqualTo(1);
        assertThat(comment.has("pattern")).isFalse();
        assertThat(comment.path("maxLength").asInt()).isEqualTo(io.leadflow.qualification.RecordRejectionDelegate.MAX_COMMENT);
        assertThat(formField("forms/contact-lead.form", "contactNote").path("validate").path("maxLength").asInt())
                .isEqualTo(io.leadflow.lead.TaskInput.MAX_TEXT);
        assertThat(formField("forms/contact-lead.form", "contactNote").path("label").asText()).contains("4,000");
    }

    @Test
    void acceptLeadMovedToAnotherRepByAManager_makesThatRepTheLeadsRep_forTheFollowUpToo() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        Task accept = s.task(leadId, "Task_AcceptLead");
        String chosen = accept.getAssignee();
        String other = "sam".equals(chosen) ? "sara" : "sam";
        assertThat(T.leads.get(leadId).salesRep()).isEqualTo(chosen);

        // the sales manager's "Set assignee" in Tasklist
        engine.getTaskService().setAssignee(accept.getId(), other);

        assertThat(T.leads.get(leadId).salesRep()).as("the lead record's rep").isEqualTo(other);
        s.accept(leadId);
        assertThat(s.task(leadId, "Task_ContactLead").getAssignee()).as("the follow-up's first attempt").isEqualTo(other);
    }

    @Test
    void contactLeadMovedToAnotherRepByAManager_staysWithThatRep_forTheNextAttemptsAndQualification() {
        String leadId = s.acceptedStrongLead();
        Task contact = s.task(leadId, "Task_ContactLead");
        String first = contact.getAssignee();
        String other = "sam".equals(first) ? "sara" : "sam";
        Date due = contact.getDueDate();

        // the sales manager covers for the first rep: "Set assignee" on the Contact lead
        engine.getTaskService().setAssignee(contact.getId(), other);
        assertThat(s.task(leadId, "Task_ContactLead").getDueDate()).as("the lead's speed-to-lead deadline stays").isEqualTo(due);
        s.attempt(leadId, "phone", "noAnswer");
        s.fire(leadId, "Timer_CadenceWaitPassed");

        assertThat(T.leads.get(leadId).salesRep()).as("the lead record's rep").isEqualTo(other);
        assertThat(s.task(leadId, "Task_ContactLead").getAssignee()).as("the next attempt").isEqualTo(other);
        s.attempt(leadId, "phone", "connected");
        assertThat(s.task(leadId, "Task_QualifyLead").getAssignee()).as("the qualification").isEqualTo(other);

        // released (unclaimed), the Qualify lead leaves the lead its rep until someone takes the task
        engine.getTaskService().setAssignee(s.task(leadId, "Task_QualifyLead").getId(), null);
        assertThat(T.leads.get(leadId).salesRep()).isEqualTo(other);
    }

    @Test
    void acceptLeadMovedByAManagerShortlyBeforeItsDeadline_givesTheNewRepTheAgreedTime_notABreachInTheirName() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        Task accept = s.task(leadId, "Task_AcceptLead");
        String other = "sam".equals(accept.getAssignee()) ? "sara" : "sam";
        assertThat(accept.getDueDate()).as("Monday 13:00").isEqualTo(at(MONDAY_9.plus(Duration.ofHours(4))));

        // 12:50, ten minutes before the first rep's deadline, the sales manager moves the lead
        org.camunda.bpm.engine.impl.util.ClockUtil.setCurrentTime(at(MONDAY_9.plus(Duration.ofMinutes(230))));
        engine.getTaskService().setAssignee(accept.getId(), other);

        // the new rep gets the agreed four business hours from now: 16:50, reminded at half of it
        Date due = at(MONDAY_9.plus(Duration.ofMinutes(230 + 240)));
        assertThat(s.task(leadId, "Task_AcceptLead").getDueDate()).isEqualTo(due);
        assertThat(s.timer(leadId, "Timer_AcceptanceSlaBreached").getDuedate()).isEqualTo(due);
        assertThat(s.timer(leadId, "Timer_AcceptLeadReminder").getDuedate()).isEqualTo(at(MONDAY_9.plus(Duration.ofMinutes(230 + 120))));
        assertThat(engine.getTaskService().getVariableLocal(accept.getId(), io.leadflow.sla.SlaTimers.SLA_STATUS)).isEqualTo("ON_TIME");
    }

    @Test
    void anSlaReminder_isLoggedWithTheTasksModelName_notTheContactsName() {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(io.leadflow.sla.RemindAssigneeDelegate.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            String leadId = s.capture(LeadScenarios.strongLead());
            s.approveMql(leadId);
            assertThat(s.task(leadId, "Task_AcceptLead").getName()).contains("Ada Lovelace");

            s.fire(leadId, "Timer_AcceptLeadReminder");

            // a log file cannot be erased: it names the lead by id, never by the contact's name
            assertThat(logged.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).singleElement()
                    .asString().startsWith("SLA reminder: 'Accept lead' for lead " + leadId).doesNotContain("Lovelace");
        } finally {
            log.detachAppender(logged);
        }
    }

    @Test
    void aRejectionCommentAsLongAsTheFormAllows_isStoredWhole() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        String comment = "Ü".repeat(io.leadflow.qualification.RecordRejectionDelegate.MAX_COMMENT - 1) + "!";

        s.reject(leadId, "definitional", comment);

        assertThat(T.leads.rejections(leadId)).singleElement().satisfies(r -> assertThat(r.comment()).isEqualTo(comment));
    }

    @Test
    void acceptLeadComingRoundAfterAProceduralRejection_opensEmpty_namesTheLead_andShowsThePreviousRejection() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        Task first = s.task(leadId, "Task_AcceptLead");
        assertThat(first.getName()).isEqualTo("Accept lead: Ada Lovelace, Analytical Engines GmbH");

        s.reject(leadId, "procedural", "Enterprise account, not my patch");

        Task again = s.task(leadId, "Task_AcceptLead");
        assertThat(again.getAssignee()).isNotEqualTo(first.getAssignee());
        var variables = engine.getTaskService().getVariables(again.getId());
        assertThat(variables).as("no decision of the previous rep is preselected")
                .doesNotContainKeys("acceptDecision", "rejectReason", "rejectComment");
        assertThat((String) variables.get("lastRejection"))
                .startsWith("Procedural (wrongly routed) — by " + first.getAssignee() + " on ")
                .endsWith(": Enterprise account, not my patch");
        assertThat(again.getName()).isEqualTo("Accept lead: Ada Lovelace, Analytical Engines GmbH");
    }

    @Test
    void fixLeadData_showsMarketingTheRejection_andTheRepThenSeesWhatWasFixed() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        s.reject(leadId, "clerical", "No phone number");

        Task fix = s.task(leadId, "Task_FixLeadData");
        assertThat(fix.getName()).isEqualTo("Fix lead data: Ada Lovelace, Analytical Engines GmbH");
        assertThat((String) engine.getTaskService().getVariable(fix.getId(), "lastRejection"))
                .startsWith("Clerical (data incomplete) — by ").endsWith(": No phone number");
        s.complete(leadId, "Task_FixLeadData", "email", LeadScenarios.unique("ada.fixed"), "phone", "+49 30 7654321",
                "jobTitle", "CTO", "role", "executive", "industry", "software", "companySize", 500, "country", "DE",
                "fixNote", "added the phone number");

        Task accept = s.task(leadId, "Task_AcceptLead");
        assertThat(engine.getTaskService().getVariables(accept.getId()))
                .doesNotContainKeys("acceptDecision", "rejectReason", "rejectComment")
                .containsEntry("fixNote", "added the phone number");
    }

    @Test
    void secondReviewOfAnMql_opensWithoutTheFirstDecision_andShowsTheFirstNote() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.complete(leadId, "Task_ReviewMql", "reviewDecision", "nurture", "reviewNote", "wait for the webinar");
        T.engagements().record(leadId, "webinar", null, "attended the autumn webinar");

        Task second = s.task(leadId, "Task_ReviewMql");
        assertThat(engine.getTaskService().getVariables(second.getId()))
                .doesNotContainKeys("reviewDecision", "reviewNote")
                .containsEntry("previousReviewNote", "wait for the webinar");
        assertThat(second.getName()).isEqualTo("Review MQL: Ada Lovelace, Analytical Engines GmbH");
    }

    @Test
    void nextContactAttempt_opensWithoutThePreviousOutcome_andNamesTheLeadAndTheAttempt() {
        String leadId = s.acceptedStrongLead();
        Task first = s.task(leadId, "Task_ContactLead");
        assertThat(first.getName()).isEqualTo("Contact lead: Ada Lovelace, Analytical Engines GmbH (attempt 1)");
        assertThat(engine.getTaskService().getVariables(first.getId()))
                .containsEntry("country", "DE").containsEntry("industry", "software").containsEntry("companySize", 500)
                .containsKey("source");

        s.attempt(leadId, "phone", "noAnswer");
        s.fire(leadId, "Timer_CadenceWaitPassed");

        Task second = s.task(leadId, "Task_ContactLead");
        assertThat(second.getName()).isEqualTo("Contact lead: Ada Lovelace, Analytical Engines GmbH (attempt 2)");
        var variables = engine.getTaskService().getVariables(second.getId());
        assertThat(variables).doesNotContainKeys("contactChannel", "contactOutcome", "contactNote");
        assertThat((String) variables.get("attemptHistory")).contains("by phone: no answer (tried)").doesNotContain("noAnswer");
    }

    @Test
    void slaBreachRecord_namesTheTaskAsTheModelDoes_withoutTheLeadsName() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);

        s.fire(leadId, "Timer_AcceptanceSlaBreached");

        assertThat(T.breaches.forLead(leadId)).isNotEmpty().allSatisfy(b -> assertThat(b.taskName()).isEqualTo("Accept lead"));
    }

    static com.fasterxml.jackson.databind.JsonNode formField(String form, String key) throws java.io.IOException {
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.nio.file.Path.of(form).toFile());
        return root.findParents("key").stream().filter(n -> key.equals(n.path("key").asText())).findFirst().orElseThrow();
    }
}
