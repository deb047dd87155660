package io.leadflow.process;

import static io.leadflow.process.LeadScenarios.MONDAY_9;
import static io.leadflow.process.LeadScenarios.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.leadflow.assignment.RepAvailability;

/**
 * Reps' availability in the running process: an absence that starts re-routes the rep's open
 * "Accept lead" tasks (once, however many nodes check), a deactivated or absent rep gets no new
 * lead, nobody left sends the lead to "Assign lead by hand", and processes/rep-availability.bpmn
 * (Tasklist's start form "Manage rep availability") applies a manager's change.
 */
@Deployment(resources = {
        "processes/rep-availability.bpmn", "forms/rep-availability.form",
        "processes/lead-lifecycle.bpmn", "processes/lead-nurture.bpmn", "processes/lead-follow-up.bpmn", "processes/lead-notification.bpmn",
        "processes/lead-fit.dmn", "processes/mql-decision.dmn", "processes/engagement-points.dmn", "processes/lead-routing.dmn",
        "forms/capture-lead.form", "forms/review-mql.form", "forms/accept-lead.form", "forms/fix-lead-data.form",
        "forms/contact-lead.form", "forms/qualify-lead.form", "forms/assign-lead-by-hand.form"})
class RepAvailabilityProcessTest extends ProcessTest {

    static final ProcessTestEngine T = new ProcessTestEngine("rep-availability");

    @RegisterExtension
    static ProcessEngineCoverageExtension extension = T.coverageExtension("leadLifecycle", "leadNurture", "leadFollowUp", "leadNotification");

    static final OffsetDateTime MONDAY_10 = OffsetDateTime.ofInstant(MONDAY_9, ZoneOffset.UTC).plusHours(1);
    static final OffsetDateTime FRIDAY_17 = MONDAY_10.plusDays(4).plusHours(7);

    @Override
    ProcessTestEngine testEngine() {
        return T;
    }

    @Override
    ProcessEngineCoverageExtension coverage() {
        return extension;
    }

    @AfterEach
    void everyRepBackAtWork() {
        T.jdbc.sql("delete from rep_absence").update();
        T.jdbc.sql("update rep_rotation set active = true, capacity = 1").update();
    }

    RepAvailability availability() {
        return T.repAvailability();
    }

    /** A strong German lead (territory dach: sam and sara) approved, waiting in "Accept lead" for the rep the rotation chose. */
    String leadWaitingForAcceptance() {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        assertThat(s.task(leadId, "Task_AcceptLead")).isNotNull();
        return leadId;
    }

    static String other(String rep) {
        return "sam".equals(rep) ? "sara" : "sam";
    }

    @Test
    void absenceStarting_reroutesTheOpenAcceptLeadTask_toTheOtherRep_once() {
        // given a lead waiting for its rep's acceptance, and the rep out of office from 10:00 until Friday
        String leadId = leadWaitingForAcceptance();
        String rep = s.task(leadId, "Task_AcceptLead").getAssignee();
        availability().addAbsence(rep, MONDAY_10, FRIDAY_17, "vacation", "max");

        // when the check runs before the absence starts, nothing moves
        assertThat(T.absenceReroutes().rerouteStartedAbsences()).isZero();
        assertThat(s.task(leadId, "Task_AcceptLead").getAssignee()).isEqualTo(rep);

        // when it runs once the absence has started (engine clock 10:00), and again (another node, a minute later)
        ClockUtil.setCurrentTime(at(MONDAY_10.toInstant()));
        int moved = T.absenceReroutes().rerouteStartedAbsences();
        ClockUtil.setCurrentTime(at(MONDAY_10.plusMinutes(1).toInstant()));
        int movedAgain = T.absenceReroutes().rerouteStartedAbsences();

        // then the task went to the other rep once: assignee, salesRep variable and lead record agree
        assertThat(moved).isEqualTo(1);
        assertThat(movedAgain).isZero();
        Task task = s.task(leadId, "Task_AcceptLead");
        assertThat(task.getAssignee()).isEqualTo(other(rep));
        assertThat(engine.getTaskService().getVariable(task.getId(), "salesRep")).isEqualTo(other(rep));
        assertThat(T.leads.get(leadId).salesRep()).isEqualTo(other(rep));
        assertThat(availability().rep(rep).openAcceptLeadTasks()).isZero();
        assertThat(availability().rep(rep).availableNow()).isFalse();
        assertThat(availability().rep(rep).absences()).singleElement().satisfies(a -> assertThat(a.reroutedAt()).isNotNull());
        // and the other rep gets the agreed 4 business hours from the re-routing (10:00 Berlin), as after a breach:
        // the due date, the reminder at half of it and the escalation timer
        Instant rerouted = MONDAY_10.toInstant();
        assertThat(task.getDueDate()).isEqualTo(at(rerouted.plus(Duration.ofHours(4))));
        assertThat(s.timer(leadId, "Timer_AcceptanceSlaBreached").getDuedate()).isEqualTo(at(rerouted.plus(Duration.ofHours(4))));
        assertThat(s.timer(leadId, "Timer_AcceptLeadReminder").getDuedate()).isEqualTo(at(rerouted.plus(Duration.ofHours(2))));

        // and the other rep accepts it as usual and contacts the lead
        s.accept(leadId);
        assertThat(s.lifecycle(leadId)).isWaitingAt("CallActivity_FollowUpLead");
        assertThat(s.task(leadId, "Task_ContactLead").getAssignee()).isEqualTo(other(rep));
    }

    @Test
    void anAcceptLeadThatReachesARepWhileAway_backFromFixLeadData_movesAtTheNextCheck() {
        // given a lead its rep sent back to marketing as incomplete, and the rep away since 10:00
        String leadId = leadWaitingForAcceptance();
        String rep = s.task(leadId, "Task_AcceptLead").getAssignee();
        s.reject(leadId, "clerical", "No phone number");
        availability().addAbsence(rep, MONDAY_10, FRIDAY_17, "vacation", "max");
        ClockUtil.setCurrentTime(at(MONDAY_10.toInstant()));
        assertThat(T.absenceReroutes().rerouteStartedAbsences()).as("nothing of the rep's is open").isZero();

        // when marketing fixes the data: Accept lead goes back to the lead's rep, who is away
        ClockUtil.setCurrentTime(at(MONDAY_10.plusMinutes(20).toInstant()));
        s.complete(leadId, "Task_FixLeadData", "email", LeadScenarios.unique("ada.fixed"), "phone", "+49 30 7654321",
                "jobTitle", "CTO", "role", "executive", "industry", "software", "companySize", 500, "country", "de",
                "fixNote", "added phone");
        assertThat(s.task(leadId, "Task_AcceptLead").getAssignee()).isEqualTo(rep);

        // then the next check gives it to the other rep, with the agreed time from then
        assertThat(T.absenceReroutes().rerouteStartedAbsences()).isEqualTo(1);
        Task task = s.task(leadId, "Task_AcceptLead");
        assertThat(task.getAssignee()).isEqualTo(other(rep));
        assertThat(T.leads.get(leadId).salesRep()).isEqualTo(other(rep));
        assertThat(task.getDueDate()).isEqualTo(at(MONDAY_10.plusMinutes(20).toInstant().plus(Duration.ofHours(4))));
        assertThat(T.absenceReroutes().rerouteStartedAbsences()).as("and once").isZero();
    }

    @Test
    void twoNodesCheckingAtOnce_rerouteEachTaskOnce() throws Exception {
        // given two leads waiting for the same rep, whose absence has just started
        String first = leadWaitingForAcceptance();
        String rep = s.task(first, "Task_AcceptLead").getAssignee();
        String second = s.capture(LeadScenarios.strongLead());
        availability().update(other(rep), null, false, "max"); // so the rotation gives the second lead to the same rep
        s.approveMql(second);
        availability().update(other(rep), null, true, "max");
        assertThat(s.task(second, "Task_AcceptLead").getAssignee()).isEqualTo(rep);
        availability().addAbsence(rep, MONDAY_10, FRIDAY_17, "sick leave", "max");
        ClockUtil.setCurrentTime(at(MONDAY_10.plusMinutes(5).toInstant()));

        // when two nodes run the check at the same moment
        List<Integer> moved = Bursts.atOnce(2, 2, i -> T.absenceReroutes().rerouteStartedAbsences());

        // then the two tasks moved once in all (one node did it, the other found it done)
        assertThat(moved).containsExactlyInAnyOrder(2, 0);
        assertThat(List.of(s.task(first, "Task_AcceptLead").getAssignee(), s.task(second, "Task_AcceptLead").getAssignee()))
                .containsOnly(other(rep));
    }

    @Test
    void absenceStarting_withNoOtherRepAvailable_leavesTheTaskToTheSalesManagers() {
        // given a lead waiting for its rep, the only other rep of the territory deactivated, and a sales manager
        var identity = engine.getIdentityService();
        if (identity.createGroupQuery().groupId("salesManagers").count() == 0) {
            identity.saveGroup(identity.newGroup("salesManagers"));
        }
        if (identity.createUserQuery().userId("max").count() == 0) {
            var max = identity.newUser("max");
            max.setEmail("max@leadflow.example");
            identity.saveUser(max);
            identity.createMembership("max", "salesManagers");
        }
        String leadId = leadWaitingForAcceptance();
        String rep = s.task(leadId, "Task_AcceptLead").getAssignee();
        availability().update(other(rep), null, false, "max");
        availability().addAbsence(rep, MONDAY_10, FRIDAY_17, "trade fair", "max");

        // when the absence starts
        ClockUtil.setCurrentTime(at(MONDAY_10.toInstant()));
        T.absenceReroutes().rerouteStartedAbsences();

        // then the task waits unassigned, the sales managers among its candidates, and the lead has no rep
        Task task = s.task(leadId, "Task_AcceptLead");
        assertThat(task.getAssignee()).isNull();
        assertThat(engine.getTaskService().getIdentityLinksForTask(task.getId()))
                .anyMatch(l -> IdentityLinkType.CANDIDATE.equals(l.getType()) && "salesManagers".equals(l.getGroupId()));
        assertThat(T.leads.get(leadId).salesRep()).isNull();
        // and the sales managers are told now, as for "Assign lead by hand", not only when the deadline passes
        assertThat(T.jdbc.sql("select * from notification_outbox where lead_number = ? and event = 'ASSIGNMENT_NEEDED'")
                .param(s.key(leadId)).query().listOfRows())
                .as("the notification to the sales managers").singleElement()
                .satisfies(n -> assertThat(n.toString())
                        .contains("\"groups\":[\"salesManagers\"]", "Accept lead")
                        .as("no contact data in it, nor the managers' addresses (read when it is sent)")
                        .doesNotContain("Lovelace", "max@leadflow.example"));
    }

    @Test
    void deactivatedAndAbsentReps_getNoNewLead_andWithNobodyLeft_aManagerAssignsItByHand() {
        // given sam deactivated and sara out of office now
        availability().update("sam", null, false, "max");
        availability().addAbsence("sara", MONDAY_10.minusHours(2), FRIDAY_17, "vacation", "max");

        // when a German lead (territory dach: sam, sara) is approved
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);

        // then nobody gets it: it waits for a sales manager in "Assign lead by hand"
        assertThat(s.lifecycle(leadId)).isWaitingAt("Task_AssignLeadByHand");

        // and the manager cannot hand it to the absent or the deactivated rep, but to another member of sales
        salesMembers("sam", "sara", "sue");
        assertThatThrownBy(() -> s.complete(leadId, "Task_AssignLeadByHand", "assignTo", "sara"))
                .hasMessageContaining("(assignTo): 'sara' is out of office until Fri 27 Nov 2026, 17:00 CET");
        assertThatThrownBy(() -> s.complete(leadId, "Task_AssignLeadByHand", "assignTo", "sam"))
                .hasMessageContaining("(assignTo): 'sam' is deactivated");
        s.complete(leadId, "Task_AssignLeadByHand", "assignTo", "sue");
        assertThat(s.task(leadId, "Task_AcceptLead").getAssignee()).isEqualTo("sue");

        // and once sam is active again, the next lead goes to sam, not to the absent sara
        availability().update("sam", null, true, "max");
        String next = s.capture(LeadScenarios.strongLead());
        s.approveMql(next);
        assertThat(s.task(next, "Task_AcceptLead").getAssignee()).isEqualTo("sam");
    }

    void salesMembers(String... users) {
        var identity = engine.getIdentityService();
        if (identity.createGroupQuery().groupId("sales").count() == 0) {
            identity.saveGroup(identity.newGroup("sales"));
        }
        for (String user : users) {
            if (identity.createUserQuery().userId(user).count() == 0) {
                identity.saveUser(identity.newUser(user));
                identity.createMembership(user, "sales");
            }
        }
    }

    ProcessInstance startManageRepAvailability(Object... keysAndValues) {
        String definitionId = engine.getRepositoryService().createProcessDefinitionQuery()
                .processDefinitionKey("repAvailability").latestVersion().singleResult().getId();
        engine.getIdentityService().setAuthenticatedUserId("max");
        try {
            return engine.getFormService().submitStartForm(definitionId, LeadScenarios.vars(keysAndValues));
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
    }

    @Test
    void manageRepAvailabilityStartForm_recordsAnAbsence_andSetsCapacityAndActive() {
        // when a sales manager marks sara out of office in Tasklist's start form
        ProcessInstance absence = startManageRepAvailability("repId", "sara", "availabilityChange", "absence",
                "absenceFrom", "2026-11-24T09:00+01:00", "absenceTo", "2026-11-27T17:00+01:00", "absenceReason", "vacation");
        // and sets sam's capacity and deactivates him
        ProcessInstance settings = startManageRepAvailability("repId", "sam", "availabilityChange", "settings",
                "repCapacity", 3L, "repActive", false);

        // then both are applied, by whom is recorded, and the process ended
        assertThat(absence).isEnded().hasPassed("Task_ApplyRepAvailabilityChange", "EndEvent_RepAvailabilityChanged");
        assertThat(settings).isEnded();
        RepAvailability.Absence recorded = availability().rep("sara").absences().get(0);
        assertThat(recorded.from()).isEqualTo(OffsetDateTime.parse("2026-11-24T08:00Z"));
        assertThat(recorded.to()).isEqualTo(OffsetDateTime.parse("2026-11-27T16:00Z"));
        assertThat(recorded.reason()).isEqualTo("vacation");
        assertThat(recorded.createdBy()).isEqualTo("max");
        assertThat(availability().rep("sam").capacity()).isEqualTo(3);
        assertThat(availability().rep("sam").active()).isFalse();
    }

    @Test
    void manageRepAvailabilityStartForm_withBadInput_failsNamingTheFields_andWritesNothing() {
        long startedBefore = engine.getHistoryService().createHistoricProcessInstanceQuery().processDefinitionKey("repAvailability").count();
        // when the absence ends before it begins, and then a capacity of 0 is asked for an unknown rep
        assertThatThrownBy(() -> startManageRepAvailability("repId", "sara", "availabilityChange", "absence",
                "absenceFrom", "2026-11-27T09:00+01:00", "absenceTo", "2026-11-24T17:00+01:00", "absenceReason", "vacation"))
                .isInstanceOf(org.camunda.bpm.engine.BadUserRequestException.class).hasMessageContaining("(absenceTo): must be after from");
        assertThatThrownBy(() -> startManageRepAvailability("repId", "sara", "availabilityChange", "settings", "repCapacity", 0L))
                .hasMessageContaining("(repCapacity): must be a whole number from 1 to 1000");
        assertThatThrownBy(() -> startManageRepAvailability("repId", "nobody", "availabilityChange", "settings", "repCapacity", 2L))
                .isInstanceOf(org.camunda.bpm.engine.BadUserRequestException.class)
                .hasMessageContaining("(repId): is no sales rep of the rotation, was 'nobody'");

        // then nothing was written and no instance is left
        assertThat(availability().rep("sara").absences()).isEmpty();
        assertThat(availability().rep("sara").capacity()).isEqualTo(1);
        assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery().processDefinitionKey("repAvailability").count())
                .as("no instance of a refused start is kept, not even in history").isEqualTo(startedBefore);
        assertThat(engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey("repAvailability").count()).isZero();
    }

    @Test
    void absenceThatIsOver_orEndsBeforeItBegins_isRefused() {
        assertThatThrownBy(() -> availability().addAbsence("sam", MONDAY_10.minusDays(3), MONDAY_10.minusDays(2), "vacation", "max"))
                .hasMessageContaining("to: must be in the future");
        assertThatThrownBy(() -> availability().addAbsence("sam", FRIDAY_17, MONDAY_10, "vacation", "max"))
                .hasMessageContaining("to: must be after from");
        assertThat(availability().rep("sam").absences()).isEmpty();
    }
}
