package io.leadflow.process;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * processes/lead-notification.bpmn against a real SMTP server and a real HTTP server on loopback:
 * who gets which message, and what happens when the server is down.
 */
@Deployment(resources = {
        "processes/lead-lifecycle.bpmn", "processes/lead-nurture.bpmn", "processes/lead-follow-up.bpmn",
        "processes/lead-notification.bpmn", "processes/lead-fit.dmn", "processes/mql-decision.dmn",
        "processes/engagement-points.dmn", "processes/lead-routing.dmn"})
class NotificationProcessTest extends ProcessTest {

    static final ProcessTestEngine T = new ProcessTestEngine("notification");
    static final int SMTP_PORT = freePort();
    static final WireMockServer WEBHOOK = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    static GreenMail smtp;
    static final java.util.concurrent.atomic.AtomicInteger SMTP_CONNECTIONS = new java.util.concurrent.atomic.AtomicInteger();

    @RegisterExtension
    static ProcessEngineCoverageExtension extension = T.coverageExtension("leadLifecycle", "leadNurture", "leadFollowUp");

    @Override
    ProcessTestEngine testEngine() {
        return T;
    }

    @Override
    ProcessEngineCoverageExtension coverage() {
        return extension;
    }

    @BeforeAll
    static void servers() {
        WEBHOOK.start();
        WEBHOOK.stubFor(post(urlEqualTo("/hooks/leadflow")).willReturn(ok()));
        JavaMailSenderImpl mail = new JavaMailSenderImpl() {
            @Override
            protected jakarta.mail.Transport connectTransport() throws jakarta.mail.MessagingException {
                SMTP_CONNECTIONS.incrementAndGet(); // the real connection, counted
                return super.connectTransport();
            }
        };
        mail.setHost("127.0.0.1");
        mail.setPort(SMTP_PORT);
        mail.getJavaMailProperties().put("mail.smtp.sendpartial", "true"); // as application.yaml sets it
        T.mailSender = mail;
        T.webhookUrl = "http://127.0.0.1:" + WEBHOOK.port() + "/hooks/leadflow";
    }

    @AfterAll
    static void stopServers() {
        WEBHOOK.stop();
    }

    @BeforeEach
    void setUp() {
        smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        WEBHOOK.resetRequests();
        demoUser("sam", "sales");
        demoUser("sara", "sales");
        demoUser("max", "salesManagers");
        demoUser("mona", "marketingManagers");
        demoUser("mia", "marketing");
    }

    @AfterEach
    void stopSmtp() {
        smtp.stop();
    }

    void demoUser(String id, String group) {
        if (engine.getIdentityService().createUserQuery().userId(id).count() > 0) {
            return;
        }
        if (engine.getIdentityService().createGroupQuery().groupId(group).count() == 0) {
            engine.getIdentityService().saveGroup(engine.getIdentityService().newGroup(group));
        }
        User user = engine.getIdentityService().newUser(id);
        user.setEmail(id + "@leadflow.example");
        engine.getIdentityService().saveUser(user);
        engine.getIdentityService().createMembership(id, group);
    }

    List<Job> notificationJobs() {
        return engine.getManagementService().createJobQuery().processDefinitionKey("leadNotification").list();
    }

    /** What the nodes and the job executor do after the commit: give the waiting notifications to batches, run their jobs. */
    void sendNotifications() {
        T.notificationBatches().openBatches();
        for (Job job : notificationJobs()) {
            engine.getManagementService().executeJob(job.getId());
        }
    }

    /** The notifications whose send failed in a batch: an instance each, with Camunda's retries. */
    List<Job> singleNotificationJobs(String channel, String event) {
        return notificationJobs().stream()
                .filter(j -> channel.equals(engine.getRuntimeService().getVariable(j.getProcessInstanceId(), "channel")))
                .filter(j -> event.equals(engine.getRuntimeService().getVariable(j.getProcessInstanceId(), "event")))
                .toList();
    }

    List<String> recipients(MimeMessage message) throws Exception {
        return Arrays.stream(message.getRecipients(Message.RecipientType.TO)).map(Object::toString).toList();
    }

    @Test
    void acceptanceBreach_mailsTheSalesManagerAndTheRep_withLeadTaskDeadlineAndLink() throws Exception {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        sendNotifications();
        String rep = s.task(leadId, "Task_AcceptLead").getAssignee();
        smtp.purgeEmailFromAllMailboxes();

        s.fire(leadId, "Timer_AcceptanceSlaBreached");
        assertThat(smtp.getReceivedMessages()).as("nothing is sent inside the breach transaction").isEmpty();
        sendNotifications();

        MimeMessage breach = Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> subject(m).startsWith("SLA breached")).findFirst().orElseThrow();
        assertThat(recipients(breach)).contains("max@leadflow.example", rep + "@leadflow.example");
        String number = T.leads.get(leadId).number();
        assertThat(subject(breach)).isEqualTo("SLA breached: Accept lead for " + number + " Ada Lovelace (Analytical Engines GmbH)");
        String body = GreenMailUtil.getBody(breach);
        assertThat(body).contains(number, "\"acceptLead\"", "Mon 23 Nov 2026, 13:00 CET", "Assignee at the deadline: " + rep,
                "http://localhost:8080/camunda/app/tasklist/default/");
    }

    @Test
    void leadAssigned_mailsTheChosenRep_aLinkToTheTask() throws Exception {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        var accept = s.task(leadId, "Task_AcceptLead");

        sendNotifications();

        assertThat(smtp.getReceivedMessages()).singleElement().satisfies(m -> {
            assertThat(recipients(m)).containsExactly(accept.getAssignee() + "@leadflow.example");
            assertThat(subject(m)).isEqualTo("New lead for you: " + T.leads.get(leadId).number() + " Ada Lovelace (Analytical Engines GmbH)");
            assertThat(GreenMailUtil.getBody(m)).contains("#/?task=" + accept.getId(), "Due: Mon 23 Nov 2026, 13:00 CET");
        });
        WEBHOOK.verify(postRequestedFor(urlEqualTo("/hooks/leadflow"))
                .withRequestBody(matchingJsonPath("$.event", equalTo("LEAD_ASSIGNED")))
                .withRequestBody(matchingJsonPath("$.leadId", equalTo(leadId)))
                .withRequestBody(matchingJsonPath("$.leadNumber", equalTo(T.leads.get(leadId).number()))));
        assertThat(T.jdbc.sql("select count(*) from notification_outbox where lead_number = ? and sent_at is not null")
                .param(T.leads.get(leadId).number()).query(Long.class).single())
                .as("each notification is kept under the lead's number, marked sent").isEqualTo(2);
    }

    @Test
    void leadGivenToAnotherRep_mailsTheNewRep_butARepWhoClaimsItHimselfGetsNoMail() throws Exception {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        var accept = s.task(leadId, "Task_AcceptLead");
        String first = accept.getAssignee();
        String other = first.equals("sam") ? "sara" : "sam";
        String number = T.leads.get(leadId).number();
        sendNotifications();
        smtp.purgeEmailFromAllMailboxes();
        WEBHOOK.resetRequests();

        // a sales manager gives the lead to the other rep in Tasklist ("Set assignee")
        engine.getIdentityService().setAuthenticatedUserId("max");
        try {
            engine.getTaskService().setAssignee(accept.getId(), other);
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
        sendNotifications();
        assertThat(smtp.getReceivedMessages()).singleElement().satisfies(m -> {
            assertThat(recipients(m)).containsExactly(other + "@leadflow.example");
            assertThat(subject(m)).isEqualTo("New lead for you: " + number + " Ada Lovelace (Analytical Engines GmbH)");
            assertThat(GreenMailUtil.getBody(m)).contains("#/?task=" + accept.getId());
        });
        WEBHOOK.verify(1, postRequestedFor(urlEqualTo("/hooks/leadflow"))
                .withRequestBody(matchingJsonPath("$.event", equalTo("LEAD_ASSIGNED")))
                .withRequestBody(matchingJsonPath("$.leadNumber", equalTo(number))));
        smtp.purgeEmailFromAllMailboxes();

        // moved back without anybody logged in, as the re-routing of an absent rep's tasks does
        engine.getTaskService().setAssignee(accept.getId(), first);
        sendNotifications();
        assertThat(smtp.getReceivedMessages()).singleElement()
                .satisfies(m -> assertThat(recipients(m)).containsExactly(first + "@leadflow.example"));
        smtp.purgeEmailFromAllMailboxes();

        // unassigned, then claimed by the other rep himself: nobody to tell
        engine.getTaskService().setAssignee(accept.getId(), null);
        engine.getIdentityService().setAuthenticatedUserId(other);
        try {
            engine.getTaskService().claim(accept.getId(), other);
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
        sendNotifications();
        assertThat(smtp.getReceivedMessages()).isEmpty();
        assertThat(engine.getTaskService().createTaskQuery().taskId(accept.getId()).singleResult().getAssignee()).isEqualTo(other);
    }

    @Test
    void reviewReminder_goesToTheMarketingGroup_whileNobodyHasClaimedIt() throws Exception {
        String leadId = s.capture(LeadScenarios.strongLead());

        s.fire(leadId, "Timer_ReviewMqlReminder");
        sendNotifications();

        assertThat(smtp.getReceivedMessages()).singleElement().satisfies(m -> {
            assertThat(recipients(m)).containsExactly("mia@leadflow.example");
            assertThat(subject(m)).startsWith("Reminder: Review MQL for " + T.leads.get(leadId).number() + " Ada Lovelace");
        });
    }

    @Test
    void aWaitingReminder_namesWhomItIsFor_notTheirAddresses_whichAreReadWhenItIsSent() throws Exception {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.fire(leadId, "Timer_ReviewMqlReminder");
        List<String> waiting = T.jdbc.sql("select message from notification_outbox where lead_id = ? and event = 'SLA_REMINDER'")
                .param(leadId).query(String.class).list();
        assertThat(waiting).as("a mail and a webhook").hasSize(2).allSatisfy(message -> assertThat(message)
                .contains("\"groups\":[\"marketing\"]").doesNotContain("@leadflow.example"));

        // before it is sent, mia leaves the marketing group and milo joins it
        engine.getIdentityService().deleteMembership("mia", "marketing");
        demoUser("milo", "marketing");
        try {
            sendNotifications();

            assertThat(smtp.getReceivedMessages()).singleElement()
                    .satisfies(m -> assertThat(recipients(m)).containsExactly("milo@leadflow.example"));
            WEBHOOK.verify(1, postRequestedFor(urlEqualTo("/hooks/leadflow"))
                    .withRequestBody(matchingJsonPath("$.event", equalTo("SLA_REMINDER")))
                    .withRequestBody(matchingJsonPath("$.recipients[0]", equalTo("milo@leadflow.example"))));
        } finally {
            engine.getIdentityService().deleteUser("milo");
            engine.getIdentityService().createMembership("mia", "marketing");
        }
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void aReminderForAGroupWithoutAddresses_sendsNoMail_butItsWebhook_andLeavesNothingWaiting(
            org.springframework.boot.test.system.CapturedOutput output) throws Exception {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.fire(leadId, "Timer_ReviewMqlReminder");
        engine.getIdentityService().deleteMembership("mia", "marketing");
        try {
            sendNotifications();
        } finally {
            engine.getIdentityService().createMembership("mia", "marketing");
        }

        assertThat(smtp.getReceivedMessages()).as("nobody to write to").isEmpty();
        WEBHOOK.verify(1, postRequestedFor(urlEqualTo("/hooks/leadflow"))
                .withRequestBody(matchingJsonPath("$.event", equalTo("SLA_REMINDER")))
                .withRequestBody(matchingJsonPath("$.leadId", equalTo(leadId))));
        assertThat(T.jdbc.sql("select count(*) from notification_outbox where lead_id = ? and event = 'SLA_REMINDER' and sent_at is null")
                .param(leadId).query(Long.class).single()).as("nothing waits").isZero();
        assertThat(notificationJobs()).as("no instance of its own: nothing failed").isEmpty();
        assertThat(output.getOut()).as("an operator hears of it").containsPattern("WARN.*no recipient with an e-mail address, not sent");
    }

    @Test
    void contactBreachInTheFollowUp_namesTheLeadNumberToo() throws Exception {
        String leadId = s.acceptedStrongLead();
        sendNotifications();
        smtp.purgeEmailFromAllMailboxes();

        s.fire(leadId, "Timer_ContactSlaBreached");
        sendNotifications();

        MimeMessage breach = Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> subject(m).startsWith("SLA breached")).findFirst().orElseThrow();
        assertThat(subject(breach)).startsWith("SLA breached: Contact lead")
                .endsWith(" for " + T.leads.get(leadId).number() + " Ada Lovelace (Analytical Engines GmbH)");
    }

    @Test
    void secondBreachOnALead_alsoGoesToTheRepeatedBreachGroups() throws Exception {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        s.fire(leadId, "Timer_AcceptanceSlaBreached");
        sendNotifications();
        smtp.purgeEmailFromAllMailboxes();

        s.fire(leadId, "Timer_AcceptanceSlaBreached");
        sendNotifications();

        MimeMessage repeated = Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> subject(m).startsWith("Repeated SLA breach")).findFirst().orElseThrow();
        assertThat(recipients(repeated)).contains("max@leadflow.example", "mona@leadflow.example");
    }

    @Test
    void noRepLeftInTheTerritory_mailsTheSalesManagers_toAssignTheLeadByHand() throws Exception {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        s.fire(leadId, "Timer_AcceptanceSlaBreached");
        s.fire(leadId, "Timer_AcceptanceSlaBreached"); // both reps of the territory let it lapse
        var byHand = s.task(leadId, "Task_AssignLeadByHand");
        WEBHOOK.resetRequests();

        sendNotifications();

        MimeMessage assign = Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> subject(m).startsWith("Assign by hand")).findFirst().orElseThrow();
        assertThat(recipients(assign)).containsExactly("max@leadflow.example");
        assertThat(subject(assign)).isEqualTo("Assign by hand: no sales rep left for " + T.leads.get(leadId).number()
                + " Ada Lovelace (Analytical Engines GmbH)");
        assertThat(GreenMailUtil.getBody(assign)).contains("Task: Assign lead by hand", "Due: Tue 24 Nov 2026, 13:00 CET",
                "#/?task=" + byHand.getId());
        WEBHOOK.verify(postRequestedFor(urlEqualTo("/hooks/leadflow"))
                .withRequestBody(matchingJsonPath("$.event", equalTo("ASSIGNMENT_NEEDED")))
                .withRequestBody(matchingJsonPath("$.leadId", equalTo(leadId))));
    }

    @Test
    void aWaitingNotification_holdsNoContactData_itsBatchOnlyItsId_andTheMailNamesTheContactAsTheLeadRecordHasItWhenSent()
            throws Exception {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        List<Map<String, Object>> waiting = T.jdbc.sql("select * from notification_outbox where lead_id = ?").param(leadId)
                .query().listOfRows();
        assertThat(waiting).as("lead assigned: a mail and a webhook").hasSize(2);
        assertThat(waiting).allSatisfy(row -> assertThat(row.values()).allSatisfy(value -> assertThat(String.valueOf(value))
                .doesNotContain("Ada", "Lovelace", "Analytical")));
        T.notificationBatches().openBatches();
        List<Job> jobs = notificationJobs();
        assertThat(jobs).as("one batch").singleElement()
                .satisfies(job -> assertThat(engine.getRuntimeService().getVariables(job.getProcessInstanceId()))
                        .containsOnlyKeys("batchId"));
        // the lead is erased before the job executor sends: nobody is told the name any more
        T.jdbc.sql("update lead set first_name = null, last_name = null, company = null where id = ?").param(leadId).update();

        sendNotifications();

        assertThat(smtp.getReceivedMessages()).singleElement().satisfies(m ->
                assertThat(subject(m)).isEqualTo("New lead for you: " + T.leads.get(leadId).number() + " an erased contact"));
        assertThat(T.jdbc.sql("select count(*) from notification_outbox where lead_id = ? and sent_at is not null").param(leadId)
                .query(Long.class).single()).as("both marked sent").isEqualTo(2);
        assertThat(notificationJobs()).as("nothing left to send").isEmpty();
    }

    /** The outbox rows marked sent whose lead id is like {@code leadIdPattern}. */
    long sentRows(String leadIdPattern) {
        return T.jdbc.sql("select count(*) from notification_outbox where lead_id like ? and sent_at is not null")
                .param(leadIdPattern).query(Long.class).single();
    }

    /** {@code count} reminders for mia waiting in the outbox on {@code channel}, for leads "{prefix}-{tag}-{i}"; answers the tag. */
    String waitingReminders(String channel, String prefix, int count) {
        var outbox = new io.leadflow.notification.NotificationOutbox(T.jdbc);
        String tag = java.util.UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < count; i++) {
            outbox.add(new io.leadflow.notification.Notification(io.leadflow.notification.NotificationEvent.SLA_REMINDER,
                    channel, prefix + "-" + tag + "-" + i, "L-2026-" + (900000 + i), null, null, "task-" + i, "Review MQL", null,
                    null, "reviewMql", false, List.of("mia@leadflow.example")), java.time.OffsetDateTime.now());
        }
        return tag;
    }

    @Test
    void manyNotificationsAtOnce_goOutInBatchesOfAHundred_eachSentOnce() {
        sendNotifications(); // what earlier tests left waiting
        String tag = waitingReminders("webhook", "wave", 250);

        assertThat(T.notificationBatches().openBatches()).as("250 waiting: batches of 100, 100 and 50").isEqualTo(3);
        assertThat(T.notificationBatches().openBatches()).as("none left to take").isZero();
        assertThat(notificationJobs()).hasSize(3);
        sendNotifications();

        for (int i = 0; i < 250; i++) {
            WEBHOOK.verify(1, postRequestedFor(urlEqualTo("/hooks/leadflow"))
                    .withRequestBody(matchingJsonPath("$.leadId", equalTo("wave-" + tag + "-" + i))));
        }
        assertThat(sentRows("wave-" + tag + "-%")).isEqualTo(250);
        assertThat(notificationJobs()).isEmpty();
    }

    @Test
    void aBatchsMails_goOverOneConnectionToTheMailServer_eachMarkedSent() throws Exception {
        sendNotifications(); // what earlier tests left waiting
        smtp.purgeEmailFromAllMailboxes();
        String tag = waitingReminders("email", "mails", 30);
        SMTP_CONNECTIONS.set(0);

        assertThat(T.notificationBatches().openBatches()).isEqualTo(1);
        sendNotifications();

        assertThat(smtp.getReceivedMessages()).hasSize(30);
        assertThat(SMTP_CONNECTIONS.get()).as("one connection for the batch's 30 mails").isEqualTo(1);
        assertThat(Arrays.stream(smtp.getReceivedMessages()).map(NotificationProcessTest::messageId).distinct()).hasSize(30);
        assertThat(sentRows("mails-" + tag + "-%")).isEqualTo(30);
        assertThat(notificationJobs()).isEmpty();
    }

    @Test
    void aMailThatCannotGoOut_isRetriedOnItsOwn_andTheBatchsOtherMailsAreSent() throws Exception {
        sendNotifications(); // what earlier tests left waiting
        smtp.purgeEmailFromAllMailboxes();
        String tag = waitingReminders("email", "mails", 2);
        // an address stored wrongly in the user directory: no mail server takes it
        waitingReminderTo("mails-" + tag + "-bad", "mia@@leadflow.example");
        String after = waitingReminders("email", "later", 1); // a good one after it

        sendNotifications();

        assertThat(smtp.getReceivedMessages()).as("the three good mails").hasSize(3);
        assertThat(sentRows("mails-" + tag + "-%") + sentRows("later-" + after + "-%")).isEqualTo(3);
        assertRetriedOnItsOwn_thenRemove("mails-" + tag + "-bad");
    }

    /** One reminder mail waiting in the outbox for {@code address}, as the user directory has it, about lead {@code leadId}. */
    void waitingReminderTo(String leadId, String... addresses) {
        new io.leadflow.notification.NotificationOutbox(T.jdbc).add(new io.leadflow.notification.Notification(
                io.leadflow.notification.NotificationEvent.SLA_REMINDER, "email", leadId, "L-2026-900009", null, null,
                "task-" + leadId, "Review MQL", null, null, "reviewMql", false, List.of(addresses)), java.time.OffsetDateTime.now());
    }

    @Test
    void aGroupMailWithOneMailboxGone_orOneAddressMistyped_goesToTheOthers_once() throws Exception {
        sendNotifications(); // what earlier tests left waiting
        smtp.stop();
        try (RefusingSmtpServer server = new RefusingSmtpServer(SMTP_PORT, java.util.Set.of("gone@leadflow.example"))) {
            String lead = "group-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            waitingReminderTo(lead + "-gone", "mia@leadflow.example", "gone@leadflow.example", "mona@leadflow.example");
            waitingReminderTo(lead + "-typo", "mia@@leadflow.example", "mona@leadflow.example");

            sendNotifications();

            assertThat(server.received()).as("each mail once, to the mailboxes the server took").hasSize(2);
            assertThat(server.received().get(0).recipients()).containsExactlyInAnyOrder("mia@leadflow.example", "mona@leadflow.example");
            assertThat(server.received().get(1).recipients()).containsExactly("mona@leadflow.example");
            assertThat(sentRows(lead + "-%")).as("both sent, neither waiting to be sent again").isEqualTo(2);
            assertThat(singleNotificationJobs("email", "SLA_REMINDER")).as("no mail tried again on its own").isEmpty();
        } finally {
            smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)); // as @AfterEach expects
            smtp.start();
        }
    }

    /** The mail about {@code leadId} alone has an instance of its own, with Camunda's retries; removed, as they would fail all the same. */
    void assertRetriedOnItsOwn_thenRemove(String leadId) {
        assertThat(singleNotificationJobs("email", "SLA_REMINDER")).as("the failed one, on its own with retries")
                .singleElement().satisfies(job -> assertThat(engine.getRuntimeService()
                        .getVariable(job.getProcessInstanceId(), "leadId")).isEqualTo(leadId));
        singleNotificationJobs("email", "SLA_REMINDER").forEach(job ->
                engine.getRuntimeService().deleteProcessInstance(job.getProcessInstanceId(), "test"));
    }

    @Test
    void aMailTheServerRefuses_isRetriedOnItsOwn_andTheBatchsOtherMailsGoOutOverTheSameConnection() throws Exception {
        sendNotifications(); // what earlier tests left waiting
        smtp.stop(); // GreenMail takes every address: a server that refuses a mailbox that is gone instead
        int connectionsBefore = SMTP_CONNECTIONS.get();
        try (RefusingSmtpServer server = new RefusingSmtpServer(SMTP_PORT, java.util.Set.of("gone@leadflow.example"))) {
            String tag = waitingReminders("email", "refused", 2);
            waitingReminderTo("refused-" + tag + "-gone", "gone@leadflow.example");
            String after = waitingReminders("email", "later", 1);

            sendNotifications();

            assertThat(server.received()).as("the three mails the server took").hasSize(3)
                    .allSatisfy(m -> assertThat(m.recipients()).containsExactly("mia@leadflow.example"));
            assertThat(SMTP_CONNECTIONS.get() - connectionsBefore).as("one connection for the batch").isEqualTo(1);
            assertThat(sentRows("refused-" + tag + "-%") + sentRows("later-" + after + "-%")).isEqualTo(3);
            assertRetriedOnItsOwn_thenRemove("refused-" + tag + "-gone");
        } finally {
            smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)); // as @AfterEach expects
            smtp.start();
        }
    }

    @Test
    void aMessageLongerThanTheEnginesTextColumn_isKeptWhole_asBytes() throws Exception {
        List<String> many = java.util.stream.IntStream.range(0, 300).mapToObj(i -> "rep" + i + "@leadflow.example").toList();
        var notification = new io.leadflow.notification.Notification(io.leadflow.notification.NotificationEvent.SLA_BREACH,
                "webhook", "lead-x", "L-2026-999999", null, null, "task-1", "Accept lead", null, "sam", "acceptLead", true, many);
        String instance = engine.getRuntimeService().startProcessInstanceByKey("leadNotification", "L-2026-999999",
                notification.toVariables()).getId();
        assertThat(engine.getRuntimeService().getVariableTyped(instance, "notification").getType().getName()).isEqualTo("bytes");

        sendNotifications();

        WEBHOOK.verify(postRequestedFor(urlEqualTo("/hooks/leadflow"))
                .withRequestBody(matchingJsonPath("$.leadNumber", equalTo("L-2026-999999")))
                .withRequestBody(matchingJsonPath("$.recipients[299]", equalTo("rep299@leadflow.example")))
                .withRequestBody(matchingJsonPath("$.repeated", equalTo("true"))));
    }

    @Test
    void mailServerDown_theLeadMovesOn_andTheSendIsRetriedUntilItArrives() throws Exception {
        String leadId = s.capture(LeadScenarios.strongLead());
        s.approveMql(leadId);
        sendNotifications();
        String firstRep = s.task(leadId, "Task_AcceptLead").getAssignee();
        List<String> earlierIds = Arrays.stream(smtp.getReceivedMessages()).map(NotificationProcessTest::messageId).toList();
        smtp.stop();

        s.fire(leadId, "Timer_AcceptanceSlaBreached");
        assertThat(s.task(leadId, "Task_AcceptLead").getAssignee()).as("reassigned despite the mail server")
                .isNotEqualTo(firstRep);
        // the batch's mails fail: each gets an instance of its own; its webhooks go out all the same
        sendNotifications();
        WEBHOOK.verify(postRequestedFor(urlEqualTo("/hooks/leadflow")).withRequestBody(matchingJsonPath("$.event", equalTo("SLA_BREACH"))));
        Job mailJob = singleNotificationJobs("email", "SLA_BREACH").stream().findFirst().orElseThrow();
        String notificationId = (String) engine.getRuntimeService().getVariable(mailJob.getProcessInstanceId(), "notificationId");
        assertThat(T.jdbc.sql("select count(*) from notification_outbox where id = ?").param(notificationId).query(Long.class).single())
                .as("it left the outbox").isZero();
        try {
            engine.getManagementService().executeJob(mailJob.getId());
        } catch (RuntimeException expected) {
            // the job executor records the failure and schedules the retry
        }
        Job failed = engine.getManagementService().createJobQuery().jobId(mailJob.getId()).singleResult();
        assertThat(failed.getRetries()).isEqualTo(4);
        assertThat(failed.getExceptionMessage()).isNotBlank();

        smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        engine.getManagementService().executeJob(mailJob.getId());

        MimeMessage breach = Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> subject(m).startsWith("SLA breached: Accept lead")).findFirst().orElseThrow();
        assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(mailJob.getProcessInstanceId())
                .count()).isZero();
        // every attempt of this notification carries the same Message-ID, so a mail sent twice (the server took
        // it, then the job's commit failed) is one message for mail servers and clients; other mails have others
        assertThat(breach.getMessageID()).isEqualTo("<" + notificationId + "@localhost>");
        assertThat(earlierIds).as("the mails before: other notifications, other ids").isNotEmpty()
                .doesNotContain(breach.getMessageID());
    }

    static String messageId(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void webhookFailing_isRetried_withoutTouchingTheLead() {
        WEBHOOK.stubFor(post(urlEqualTo("/hooks/leadflow")).willReturn(aResponse().withStatus(503)));
        try {
            String leadId = s.capture(LeadScenarios.strongLead());
            s.approveMql(leadId);
            sendNotifications(); // the batch's webhook fails: an instance of its own retries it
            Job webhookJob = singleNotificationJobs("webhook", "LEAD_ASSIGNED").stream().findFirst().orElseThrow();
            String notificationId = (String) engine.getRuntimeService().getVariable(webhookJob.getProcessInstanceId(), "notificationId");

            try {
                engine.getManagementService().executeJob(webhookJob.getId());
            } catch (RuntimeException expected) {
                // retried later by the job executor
            }

            assertThat(engine.getManagementService().createJobQuery().jobId(webhookJob.getId()).singleResult().getRetries())
                    .isEqualTo(4);
            assertThat(s.task(leadId, "Task_AcceptLead")).isNotNull();

            // the retry sends the same notification again, under the same id: the receiver can drop a repeat
            WEBHOOK.stubFor(post(urlEqualTo("/hooks/leadflow")).willReturn(ok()));
            engine.getManagementService().executeJob(webhookJob.getId());
            assertThat(WEBHOOK.findAll(postRequestedFor(urlEqualTo("/hooks/leadflow"))
                    .withHeader("Idempotency-Key", equalTo(notificationId))
                    .withRequestBody(matchingJsonPath("$.notificationId", equalTo(notificationId)))))
                    .as("the batch's attempt, its instance's failed attempt and its retry").hasSize(3);
        } finally {
            WEBHOOK.stubFor(post(urlEqualTo("/hooks/leadflow")).willReturn(ok()));
        }
    }

    @Test
    void webhookRefusedWithA4xx_isNotSentAgain_butAnIncidentAtOnce_whileATimeoutOrRateLimitIsRetried() {
        for (int status : new int[] {400, 404, 429}) {
            WEBHOOK.stubFor(post(urlEqualTo("/hooks/leadflow")).willReturn(aResponse().withStatus(status)));
            try {
                String leadId = s.capture(LeadScenarios.strongLead());
                s.approveMql(leadId);
                sendNotifications(); // the batch's webhook fails: an instance of its own
                Job webhookJob = singleNotificationJobs("webhook", "LEAD_ASSIGNED").stream()
                        .filter(j -> engine.getRuntimeService().createIncidentQuery().processInstanceId(j.getProcessInstanceId()).count() == 0)
                        .filter(j -> j.getRetries() > 0).findFirst().orElseThrow();
                try {
                    engine.getManagementService().executeJob(webhookJob.getId());
                } catch (RuntimeException expected) {
                    // failed: the engine's failed-job handling decides on the retries
                }

                Job after = engine.getManagementService().createJobQuery().jobId(webhookJob.getId()).singleResult();
                long incidents = engine.getRuntimeService().createIncidentQuery().processInstanceId(webhookJob.getProcessInstanceId()).count();
                if (status == 429) {
                    assertThat(after.getRetries()).as("a rate limit: retried").isEqualTo(4);
                    assertThat(incidents).isZero();
                } else {
                    assertThat(after.getRetries()).as("%s: no retries", status).isZero();
                    assertThat(incidents).as("%s: an incident at once", status).isEqualTo(1);
                    assertThat(after.getExceptionMessage()).contains("refused by").contains(String.valueOf(status));
                }
                assertThat(s.task(leadId, "Task_AcceptLead")).as("the lead goes on").isNotNull();
                engine.getRuntimeService().deleteProcessInstance(webhookJob.getProcessInstanceId(), "test done");
            } finally {
                WEBHOOK.stubFor(post(urlEqualTo("/hooks/leadflow")).willReturn(ok()));
            }
        }
    }

    static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
