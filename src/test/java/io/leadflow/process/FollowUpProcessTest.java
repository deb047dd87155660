package io.leadflow.process;

import static io.leadflow.process.LeadScenarios.MONDAY_9;
import static io.leadflow.process.LeadScenarios.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.leadflow.lead.InvalidTaskInputException;
import io.leadflow.lead.LeadStage;

/** Every path of processes/lead-follow-up.bpmn: attempts, outcomes, cadence, speed-to-lead SLA. */
@Deployment(resources = {"processes/lead-follow-up.bpmn", "forms/contact-lead.form"})
class FollowUpProcessTest extends ProcessTest {

    static final ProcessTestEngine T = new ProcessTestEngine("followup");

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

    /** Starts the follow-up as "Follow up lead" in the lifecycle does, for an accepted lead of this grade. */
    String followUp(String fitGrade) {
        String leadId = UUID.randomUUID().toString();
        String number = T.leads.insert(leadId, LeadScenarios.strongLead(), LeadStage.SAL, OffsetDateTime.ofInstant(MONDAY_9, ZoneOffset.UTC));
        engine.getRuntimeService().createProcessInstanceByKey("leadFollowUp").businessKey(number)
                .setVariables(LeadScenarios.vars("leadId", leadId, "leadNumber", number, "salesRep", "sam", "fitGrade", fitGrade,
                        "attemptNumber", 0))
                .execute();
        return leadId;
    }

    ProcessInstance instance(String leadId) {
        return s.child(leadId, "leadFollowUp");
    }

    @Test
    void gradeALead_mustBeContactedWithinFiveMinutes_byTheAssignedRep() {
        String leadId = followUp("A");

        Task contact = s.task(leadId, "Task_ContactLead");
        assertThat(contact.getName()).as("named after the lead, whose contact data the task copies from the record")
                .isEqualTo("Contact lead: Ada Lovelace, Analytical Engines GmbH (attempt 1)");
        assertThat(engine.getTaskService().getVariable(contact.getId(), "phone")).isEqualTo("+49 30 1234567");
        assertThat(contact.getDescription()).startsWith("Attempt 1 of 10: ");
        assertThat(contact.getAssignee()).isEqualTo("sam");
        assertThat(contact.getDueDate()).isEqualTo(at(MONDAY_9.plus(Duration.ofMinutes(5))));
        assertThat(engine.getTaskService().getVariable(contact.getId(), "attemptHistory")).isEqualTo("No attempts yet.");
    }

    @Test
    void connectedOnTheFirstAttempt_endsTheFollowUpAsReached() {
        String leadId = followUp("B");
        ProcessInstance followUp = instance(leadId);
        assertThat(s.task(leadId, "Task_ContactLead").getDueDate()).isEqualTo(at(MONDAY_9.plus(Duration.ofHours(1))));

        s.attempt(leadId, "phone", "connected");

        assertThat(followUp).isEnded().hasPassed("EndEvent_LeadReached");
        assertThat(T.leads.attempts(leadId)).singleElement().satisfies(a -> {
            assertThat(a.attemptNumber()).isEqualTo(1);
            assertThat(a.channel()).isEqualTo("phone");
            assertThat(a.rep()).isEqualTo("sam");
        });
    }

    @Test
    void firstTouchDoneLate_beforeTheTimerRan_isTheSpeedToLeadBreachOfItsGrade() {
        String leadId = followUp("A");
        java.time.Instant due = s.task(leadId, "Task_ContactLead").getDueDate().toInstant();
        ClockUtil.setCurrentTime(at(due.plus(Duration.ofSeconds(30))));

        s.attempt(leadId, "phone", "connected");

        assertThat(T.breaches.forLead(leadId)).singleElement().satisfies(b -> {
            assertThat(b.sla()).isEqualTo("firstTouchGradeA");
            assertThat(b.taskName()).isEqualTo("Contact lead");
            assertThat(b.assignee()).isEqualTo("sam");
        });
    }

    @Test
    void firstTouchMissedForAGradeALead_notifiesTheSalesManager_andRecordsTheFiveMinuteSpeedToLeadBreach() {
        String leadId = followUp("A");

        s.fire(leadId, "Timer_ContactSlaBreached");

        Task contact = s.task(leadId, "Task_ContactLead");
        assertThat(engine.getTaskService().getIdentityLinksForTask(contact.getId()))
                .anyMatch(l -> "salesManagers".equals(l.getGroupId()));
        assertThat(T.breaches.forLead(leadId)).singleElement().satisfies(b -> {
            assertThat(b.sla()).as("the 5-minute grade-A deadline applied").isEqualTo("firstTouchGradeA");
            assertThat(b.assignee()).isEqualTo("sam");
            assertThat(b.deadline().toInstant()).isEqualTo(MONDAY_9.plus(Duration.ofMinutes(5)));
        });
    }

    @Test
    void firstTouchMissedForAGradeBLead_isRecordedAgainstTheOneHourFirstTouchSla() {
        String leadId = followUp("B");

        s.fire(leadId, "Timer_ContactSlaBreached");

        assertThat(T.breaches.forLead(leadId)).singleElement().satisfies(b -> {
            assertThat(b.sla()).isEqualTo("firstTouch");
            assertThat(b.deadline().toInstant()).isEqualTo(MONDAY_9.plus(Duration.ofHours(1)));
        });
    }

    @Test
    void laterAttemptMissed_isRecordedAgainstTheContactAttemptSla() {
        String leadId = followUp("A");
        s.attempt(leadId, "phone", "noAnswer");
        s.fire(leadId, "Timer_CadenceWaitPassed");

        s.fire(leadId, "Timer_ContactSlaBreached");

        assertThat(T.breaches.forLead(leadId)).singleElement().satisfies(b -> assertThat(b.sla()).isEqualTo("contactAttempt"));
    }

    @Test
    void unansweredAttempts_followTheCadence_andLaterAttemptsHaveTheirOwnDeadline() {
        String leadId = followUp("B");
        s.attempt(leadId, "phone", "voicemail");
        assertThat(s.timer(leadId, "Timer_CadenceWaitPassed").getDuedate()).isEqualTo(at(MONDAY_9.plus(Duration.ofHours(2))));

        s.fire(leadId, "Timer_CadenceWaitPassed");
        Task second = s.task(leadId, "Task_ContactLead");
        assertThat(second.getName()).isEqualTo("Contact lead: Ada Lovelace, Analytical Engines GmbH (attempt 2)");
        assertThat(second.getDescription()).startsWith("Attempt 2 of 10: ");
        assertThat(second.getDueDate()).isEqualTo(at(MONDAY_9.plus(Duration.ofHours(2 + 4))));
        assertThat((String) engine.getTaskService().getVariable(second.getId(), "attemptHistory")).contains("#1", "voicemail");

        s.attempt(leadId, "email", "wrongNumber");
        assertThat(s.timer(leadId, "Timer_CadenceWaitPassed").getDuedate())
                .isEqualTo(at(MONDAY_9.plus(Duration.ofHours(2 + 4))));
    }

    @Test
    void tenAttemptsWithoutContact_endTheFollowUpAsUnreachable() {
        String leadId = followUp("C");
        ProcessInstance followUp = instance(leadId);
        for (int attempt = 1; attempt <= 10; attempt++) {
            s.attempt(leadId, "phone", "noAnswer");
            if (attempt < 10) {
                s.fire(leadId, "Timer_CadenceWaitPassed");
            }
        }

        assertThat(followUp).isEnded().hasPassed("EndEvent_LeadUnreachable");
        assertThat(T.leads.attempts(leadId)).hasSize(10);
        // business-time waits 2h, 4h, 8h x5, 16h x2 after attempts 1-9, Monday 09:00 onwards (09-17, Mon-Fri):
        // the tenth attempt is on Friday of the following week at 15:00, inside the agreed 14 calendar days
        assertThat(ClockUtil.getCurrentTime()).isEqualTo(at(java.time.Instant.parse("2026-12-04T14:00:00Z")));
    }

    @Test
    void attemptsThatWouldFallOutsideTheAttemptWindow_endTheFollowUpEarly() {
        String leadId = followUp("B");
        ProcessInstance followUp = instance(leadId);
        s.attempt(leadId, "phone", "noAnswer");
        s.fire(leadId, "Timer_CadenceWaitPassed");
        // the rep comes back to attempt 2 only 14 days later: no room for attempt 3 in the window
        ClockUtil.setCurrentTime(at(MONDAY_9.plus(Duration.ofDays(14))));

        s.attempt(leadId, "phone", "voicemail");

        assertThat(followUp).isEnded().hasPassed("EndEvent_LeadUnreachable");
        assertThat(T.leads.attempts(leadId)).hasSize(2);
    }

    @Test
    void leadWhoAsksNotToBeContacted_endsTheFollowUpAtOnce() {
        String leadId = followUp("B");
        ProcessInstance followUp = instance(leadId);

        s.attempt(leadId, "phone", "doNotContact");

        assertThat(followUp).isEnded().hasPassed("EndEvent_ContactRefused");
    }

    @Test
    void attemptWithAnUnknownOutcome_isRefusedNamingTheOutcomeField_andTheTaskStaysOpen() {
        String leadId = followUp("B");
        Task contact = s.task(leadId, "Task_ContactLead");

        assertThatThrownBy(() -> s.attempt(leadId, "phone", "maybe"))
                .isInstanceOf(InvalidTaskInputException.class)
                .hasMessage("Outcome (contactOutcome): must be one of connected, doNotContact, noAnswer, voicemail, wrongNumber, was 'maybe'");
        assertThatThrownBy(() -> s.attempt(leadId, "pigeon", "connected"))
                .isInstanceOf(InvalidTaskInputException.class)
                .hasMessageStartingWith("Channel (contactChannel): must be one of email, linkedin, other, phone");

        assertThat(s.task(leadId, "Task_ContactLead").getId()).isEqualTo(contact.getId());
        assertThat(T.leads.attempts(leadId)).isEmpty();
    }

    @Test
    void noteLongerThanTheEngineStores_isRefusedWithItsLimit_butANoteOfTheLimitIsKeptWhole() {
        String leadId = followUp("B");

        assertThatThrownBy(() -> s.complete(leadId, "Task_ContactLead", "contactChannel", "phone", "contactOutcome", "noAnswer",
                "contactNote", LeadScenarios.longNote(1, 5000)))
                .isInstanceOf(InvalidTaskInputException.class)
                .hasMessage("Note (contactNote): must be at most 4,000 characters, was 5,000");

        s.complete(leadId, "Task_ContactLead", "contactChannel", "phone", "contactOutcome", "noAnswer",
                "contactNote", LeadScenarios.longNote(1, 4000));
        assertThat(T.leads.attempts(leadId)).singleElement().satisfies(a -> assertThat(a.note()).isEqualTo(LeadScenarios.longNote(1, 4000)));
    }

    @Test
    void attemptNoteOfFiveThousandCharacters_isStoredWholeOnTheLeadRecord() {
        String leadId = followUp("B");

        T.leads.insertAttempt(leadId, 1, "phone", "noAnswer", LeadScenarios.longNote(1, 5000), "sam",
                OffsetDateTime.ofInstant(MONDAY_9, ZoneOffset.UTC));

        assertThat(T.leads.attempts(leadId)).singleElement().satisfies(a -> assertThat(a.note()).hasSize(5000));
    }

    @Test
    void attemptHistoryShownToTheRep_staysShort_howeverLongTheNotes() {
        String leadId = followUp("B");
        for (int attempt = 1; attempt <= 7; attempt++) {
            s.complete(leadId, "Task_ContactLead", "contactChannel", "phone", "contactOutcome", "voicemail",
                    "contactNote", LeadScenarios.longNote(attempt, 4000));
            s.fire(leadId, "Timer_CadenceWaitPassed");
        }

        String history = (String) engine.getTaskService().getVariable(s.task(leadId, "Task_ContactLead").getId(), "attemptHistory");
        assertThat(history).hasSizeLessThan(2000)
                .startsWith("2 earlier attempts not shown")
                .contains("#3 ", "#7 ", "(Attempt 7: nnn", "…)")
                .doesNotContain("#2 ");
    }
}
