package io.leadflow.notification;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.http.MediaType;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import io.leadflow.lead.Lead;
import io.leadflow.lead.LeadRepository;
import io.leadflow.sla.EngineClock;
import io.leadflow.sla.SlaProperties;
import io.leadflow.web.PublicBaseUrl;

/**
 * "Send notification": sends a batch of the outbox's notifications ({@link NotificationBatches}), or
 * one email or webhook call. In a batch, each message sent is marked sent; a message whose send fails
 * gets an instance of its own, which is retried like every single one: a failure throws, so the job
 * executor retries it (R5/PT1M in the model) and finally raises an incident in Cockpit. A failed webhook
 * call takes the batch's other webhook calls with it; the batch's mails go over one connection, so a mail
 * server that cannot be reached fails them all at once and one it refuses fails alone. Either way a
 * server that is down costs one timeout per batch, not one per message. Each notification
 * is logged at INFO by event and lead id only; its text, which names the lead's contact, at DEBUG
 * (set {@code logging.level.io.leadflow.notification=DEBUG} to read notifications in the log when no
 * mail server is configured).
 */
@Component("sendNotificationDelegate")
public class SendNotificationDelegate implements JavaDelegate {

    private static final Logger LOG = LoggerFactory.getLogger(SendNotificationDelegate.class);

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final NotificationProperties properties;
    private final Optional<JavaMailSender> mail;
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String MESSAGE_ID = "Message-ID";
    /** The variable of an instance a batch handed a failed message to: the message's id in the outbox. */
    static final String NOTIFICATION_ID = "notificationId";

    private final RestClient http;
    private final SlaProperties sla;
    private final PublicBaseUrl base;
    private final LeadRepository leads;

    private final NotificationOutbox outbox;
    private final EngineClock clock;

    public SendNotificationDelegate(NotificationProperties properties, Optional<JavaMailSender> mail,
                                    RestClient.Builder http, SlaProperties sla, PublicBaseUrl base, LeadRepository leads,
                                    NotificationOutbox outbox, EngineClock clock) {
        this.properties = properties;
        this.outbox = outbox;
        this.clock = clock;
        this.leads = leads;
        this.base = base;
        this.mail = mail;
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(TIMEOUT);
        requests.setReadTimeout(TIMEOUT);
        this.http = http.requestFactory(requests).build();
        this.sla = sla;
    }

    @Override
    public void execute(DelegateExecution execution) {
        if (execution.getVariable(NotificationBatches.BATCH_ID) instanceof String batch) {
            sendBatch(execution, batch);
            return;
        }
        // its outbox row's id when a batch handed it over; an instance started before batches: its own id
        String id = execution.getVariable(NOTIFICATION_ID) instanceof String notificationId ? notificationId
                : execution.getProcessInstanceId();
        Notification n = Recipients.resolve(execution.getProcessEngineServices().getIdentityService(),
                List.of(Notification.fromVariables(execution))).get(0);
        send(id, withContact(n, n.leadId() == null ? null : leads.findById(n.leadId()).orElse(null)));
    }

    /**
     * Sends the batch's rows, reading their leads' contacts in one query, their recipients' addresses once
     * per user and group ({@link Recipients}), its mails over one connection to the mail server, and
     * marking the sent rows in one statement.
     */
    private void sendBatch(DelegateExecution execution, String batch) {
        List<NotificationOutbox.Row> rows = outbox.unsent(batch);
        Map<String, Lead> contacts = leads.findByIds(rows.stream().map(row -> row.notification().leadId())
                .filter(Objects::nonNull).collect(Collectors.toSet()));
        List<Notification> addressed = Recipients.resolve(execution.getProcessEngineServices().getIdentityService(),
                rows.stream().map(NotificationOutbox.Row::notification).toList());
        // the contact only goes into what is sent: an instance of its own keeps the message without it (Notification#message)
        List<NotificationOutbox.Row> outgoing = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Notification n = addressed.get(i);
            outgoing.add(new NotificationOutbox.Row(rows.get(i).id(), withContact(n, contacts.get(n.leadId()))));
        }
        List<NotificationOutbox.Row> alone = new ArrayList<>();
        boolean webhookDown = false;
        for (NotificationOutbox.Row row : outgoing) {
            if (!Notification.WEBHOOK.equals(row.notification().channel())) {
                continue;
            }
            if (!webhookDown) {
                try {
                    send(row.id(), row.notification());
                    continue;
                } catch (RuntimeException e) {
                    webhookDown = true; // the batch's other calls go to instances of their own: one timeout per batch
                }
            }
            alone.add(row);
        }
        alone.addAll(sendMails(outgoing.stream().filter(row -> Notification.EMAIL.equals(row.notification().channel())).toList()));
        for (NotificationOutbox.Row row : alone) {
            // retried on its own: Camunda's job retries, then an incident in Cockpit naming its lead
            Map<String, Object> variables = new HashMap<>(row.notification().toVariables());
            variables.put(NOTIFICATION_ID, row.id());
            execution.getProcessEngineServices().getRuntimeService()
                    .startProcessInstanceByKey(Notifications.PROCESS, row.notification().leadNumber(), variables);
            outbox.remove(row.id());
        }
        Set<String> handedOver = alone.stream().map(NotificationOutbox.Row::id).collect(Collectors.toSet());
        List<String> sent = rows.stream().map(NotificationOutbox.Row::id).filter(id -> !handedOver.contains(id)).toList();
        outbox.sent(sent, clock.nowUtc());
        if (!alone.isEmpty()) {
            LOG.warn("Notification batch {}: {} sent, {} to be retried on their own (webhook down: {})", batch, sent.size(),
                    alone.size(), webhookDown);
        }
    }

    /**
     * A batch's mails, all over one connection to the mail server (one connection per mail cost more
     * than the rest of sending it: docs/BENCHMARKS.md); answers those that failed. The server refusing
     * one mail does not stop the others; a server that cannot be reached fails them all, after one
     * connection timeout.
     */
    private List<NotificationOutbox.Row> sendMails(List<NotificationOutbox.Row> mails) {
        JavaMailSender sender = mail.orElse(null);
        Map<MimeMessage, NotificationOutbox.Row> messages = new LinkedHashMap<>(); // MimeMessage: equal only to itself
        List<NotificationOutbox.Row> failed = new ArrayList<>();
        for (NotificationOutbox.Row row : mails) {
            Notification n = row.notification();
            try {
                MimeMessage message = mailMessage(sender, row.id(), n);
                if (message != null) {
                    messages.put(message, row);
                }
            } catch (RuntimeException e) {
                LOG.warn("Mail {} for lead {} could not be written, to be tried again on its own: {}", n.event(), n.leadId(), e.toString());
                failed.add(row);
            }
        }
        if (messages.isEmpty()) {
            return failed;
        }
        try {
            sender.send(messages.keySet().toArray(MimeMessage[]::new));
        } catch (MailSendException e) {
            List<NotificationOutbox.Row> again = new ArrayList<>();
            boolean someDelivered = false;
            for (Map.Entry<Object, Exception> failure : e.getFailedMessages().entrySet()) {
                NotificationOutbox.Row row = failure.getKey() instanceof MimeMessage m ? messages.get(m) : null;
                if (deliveredToSome(failure.getValue())) {
                    someDelivered = true;
                    if (row != null) {
                        logRefusedRecipients(row.notification(), failure.getValue());
                    }
                } else if (row != null) {
                    again.add(row);
                }
            }
            if (again.isEmpty() && !someDelivered) {
                again.addAll(messages.values()); // a failure that names no mail (it names each one it had): all again, to be safe
            }
            failed.addAll(again);
            LOG.warn("{} of {} mails of a notification batch failed, to be sent again on their own: {}", again.size(), messages.size(),
                    e.getFailedMessages().values().stream().findFirst().map(Object::toString).orElse(e.toString()));
        } catch (RuntimeException e) {
            LOG.warn("The {} mails of a notification batch failed, to be sent again on their own: {}", messages.size(), e.toString());
            failed.addAll(messages.values());
        }
        return failed;
    }

    private void send(String notificationId, Notification n) {
        String link = properties.taskLink(base, n.taskId());
        NotificationTemplates.Message message = NotificationTemplates.render(n, link, sla.zone());
        if (Notification.WEBHOOK.equals(n.channel())) {
            sendWebhook(notificationId, n, message, link);
        } else {
            sendMail(notificationId, n, message);
        }
    }

    /** Name and company as the lead record has them when sending (null: no such lead): an erased lead is not named any more. */
    private static Notification withContact(Notification n, Lead lead) {
        return lead == null ? n : n.withContact(lead.contactName(), lead.company());
    }

    /**
     * Sends the mail with a {@code Message-ID} made of the notification's id: a retry (this job's commit
     * failed after the server had taken the mail) sends it again under the same id, which mail servers
     * and clients take as the same message, as a webhook's receiver takes the {@code Idempotency-Key}.
     */
    private void sendMail(String notificationId, Notification n, NotificationTemplates.Message message) {
        JavaMailSender sender = mail.orElse(null);
        MimeMessage mailMessage = mailMessage(sender, notificationId, n, message);
        if (mailMessage == null) {
            return;
        }
        try {
            sender.send(mailMessage);
        } catch (RuntimeException e) {
            if (e instanceof MailSendException send && !send.getFailedMessages().isEmpty()
                    && send.getFailedMessages().values().stream().allMatch(SendNotificationDelegate::deliveredToSome)) {
                send.getFailedMessages().values().forEach(cause -> logRefusedRecipients(n, cause));
                return; // sent to everybody the server took: sending again would only repeat it to them
            }
            LOG.warn("Mail {} for lead {} to {} failed, to be sent again: {}", n.event(), n.leadId(), n.recipients(), e.toString());
            throw e;
        }
    }

    /**
     * The server took the mail for some recipients and refused others (a mailbox that is gone, with
     * {@code mail.smtp.sendpartial}, application.yaml): it is sent; the refused ones would refuse it again.
     */
    static boolean deliveredToSome(Exception cause) {
        return cause instanceof jakarta.mail.SendFailedException failed && failed.getValidSentAddresses() != null
                && failed.getValidSentAddresses().length > 0;
    }

    private static void logRefusedRecipients(Notification n, Exception cause) {
        jakarta.mail.Address[] refused = ((jakarta.mail.SendFailedException) cause).getInvalidAddresses();
        LOG.warn("Mail {} for lead {}: the mail server refused {} of its recipients, sent to the others: {}", n.event(), n.leadId(),
                refused == null ? 0 : refused.length, cause.getMessage());
    }

    /** The recipients whose address is one (a member's mistyped {@code mia@@example.com} would stop the mail to all). */
    private static List<String> validAddresses(Notification n) {
        List<String> valid = new ArrayList<>();
        for (String address : n.recipients()) {
            try {
                new jakarta.mail.internet.InternetAddress(address, true).validate();
                valid.add(address);
            } catch (jakarta.mail.internet.AddressException invalid) {
                LOG.warn("Notification {} for lead {}: a recipient address is not valid, left out: {}", n.event(), n.leadId(),
                        invalid.getMessage());
            }
        }
        return valid;
    }

    private MimeMessage mailMessage(JavaMailSender sender, String notificationId, Notification n) {
        return mailMessage(sender, notificationId, n, NotificationTemplates.render(n, properties.taskLink(base, n.taskId()), sla.zone()));
    }

    /**
     * The mail with a {@code Message-ID} made of the notification's id; null when there is nothing to
     * send: no recipient with an address, or no mail server (the log line is the notification then).
     */
    private MimeMessage mailMessage(JavaMailSender sender, String notificationId, Notification n, NotificationTemplates.Message message) {
        if (n.recipients().isEmpty()) {
            // its users and groups have no address (a group without members, say): nobody to write to, which an
            // operator must hear of (an escalation nobody gets is an SLA nobody keeps)
            LOG.warn("Notification {} for lead {} ({}): no recipient with an e-mail address, not sent; give its users, or the"
                    + " members of its groups, an e-mail address (Admin)", n.event(), n.leadNumber(), n.leadId());
            return null;
        }
        // the text names the lead's contact: at INFO only the lead id, the text at DEBUG
        LOG.info("Notification {} for lead {} ({}) to {} recipient(s)", n.event(), n.leadNumber(), n.leadId(), n.recipients().size());
        LOG.debug("Notification {} for lead {} to {}: {}\n{}", n.event(), n.leadId(), n.recipients(), message.subject(),
                message.body());
        if (sender == null) {
            return null; // no spring.mail.host: the log above is the notification
        }
        try {
            MimeMessage mailMessage = sender.createMimeMessage();
            MimeMessageHelper mailParts = new MimeMessageHelper(mailMessage, StandardCharsets.UTF_8.name());
            mailParts.setFrom(properties.from());
            // a mistyped address is left out while others remain; with none left, the mail fails, is tried
            // again on its own and ends as an incident an operator sees
            List<String> valid = validAddresses(n);
            mailParts.setTo((valid.isEmpty() ? n.recipients() : valid).toArray(String[]::new));
            mailParts.setSubject(message.subject());
            mailParts.setText(message.body());
            // the sender keeps a Message-ID set before sending (saving the message would make a new one)
            mailMessage.setHeader(MESSAGE_ID, messageId(notificationId));
            return mailMessage;
        } catch (MessagingException e) {
            throw new IllegalStateException("Mail " + n.event() + " for lead " + n.leadId() + " could not be written", e);
        }
    }

    /** {@code <notification id@host of the public address>}: unique per notification, the same for each attempt. */
    String messageId(String notificationId) {
        return "<" + notificationId + "@" + base.publicBaseUrl().getHost() + ">";
    }

    /**
     * POSTs the notification as JSON. A retry (the receiver timed out after it had taken the call, or
     * this job's commit failed after the send) sends it again, at least once as the job executor
     * does: the notification's id, in the body and as {@code Idempotency-Key}, is the same for every
     * attempt of one notification and different for every other, so a receiver can drop repeats.
     */
    private void sendWebhook(String notificationId, Notification n, NotificationTemplates.Message message, String link) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("notificationId", notificationId);
        body.put("event", n.event().name());
        body.put("leadId", n.leadId());
        body.put("leadNumber", n.leadNumber());
        body.put("contactName", n.contactName());
        body.put("companyName", n.companyName());
        body.put("taskId", n.taskId());
        body.put("taskName", n.taskName());
        body.put("deadline", n.deadline() == null ? null : n.deadline().toString());
        body.put("assignee", n.assignee());
        body.put("sla", n.sla());
        body.put("repeated", n.repeated());
        body.put("recipients", n.recipients());
        body.put("subject", message.subject());
        body.put("tasklistLink", link);
        try {
            http.post().uri(properties.webhookUrl()).contentType(MediaType.APPLICATION_JSON)
                    .header(IDEMPOTENCY_KEY, notificationId).body(body)
                    .retrieve().toBodilessEntity();
            LOG.info("Webhook {} for lead {} delivered to {}", n.event(), n.leadId(), properties.webhookUrl());
        } catch (org.springframework.web.client.RestClientResponseException e) {
            if (refusal(e.getStatusCode().value())) {
                // the receiver says this call is wrong (a changed URL, a token it no longer takes, a body it refuses):
                // sending it again changes nothing, so no retries: an incident in Cockpit at once
                LOG.warn("Webhook {} for lead {} refused by {} with {}: not sent again, an incident until someone retries it",
                        n.event(), n.leadId(), properties.webhookUrl(), e.getStatusCode().value());
                throw new WebhookRefused("Webhook " + n.event() + " refused by " + properties.webhookUrl() + " with "
                        + e.getStatusCode().value() + " (not sent again; mend the receiver or leadflow.notifications.webhook-url,"
                        + " then retry the incident)", e);
            }
            LOG.warn("Webhook {} for lead {} to {} failed, to be sent again: {}", n.event(), n.leadId(),
                    properties.webhookUrl(), e.toString());
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Webhook {} for lead {} to {} failed, to be sent again: {}", n.event(), n.leadId(),
                    properties.webhookUrl(), e.toString());
            throw e;
        }
    }

    /** A 4xx that a retry cannot mend: not a timeout (408) nor a rate limit (429), which pass. */
    static boolean refusal(int status) {
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }

    /** A webhook call the receiver refused for good: its job gets no retries ({@link io.leadflow.platform.NotRetryable}). */
    static final class WebhookRefused extends RuntimeException implements io.leadflow.platform.NotRetryable {
        WebhookRefused(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
