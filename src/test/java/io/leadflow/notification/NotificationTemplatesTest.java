package io.leadflow.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The mails' text names the lead as its record has it, and nothing in a name is read as mail syntax. */
class NotificationTemplatesTest {

    @Test
    void anEncodedWordInAName_staysText_notASubjectTheSenderChose() {
        // "=?UTF-8?B?VXJnZW50OiBwYXkgbm93?=" is "Urgent: pay now" to a mail client that decodes it
        Notification n = new Notification(NotificationEvent.LEAD_ASSIGNED, Notification.EMAIL, "lead-1", "L-2026-000001",
                "=?UTF-8?B?VXJnZW50OiBwYXkgbm93?=", "ACME", "task-1", "Accept lead", null, null, "acceptLead", false,
                List.of("sam@leadflow.example"));

        NotificationTemplates.Message message = NotificationTemplates.render(n, "http://localhost:8080/t", ZoneId.of("Europe/Berlin"));

        assertThat(message.subject()).doesNotContain("=?").contains("= ?UTF-8?B?VXJnZW50OiBwYXkgbm93?=", "(ACME)");
        assertThat(message.body()).doesNotContain("=?");
    }

    @Test
    void aWebAddressInANameOrCompany_isNoLinkInOurMail_andTheNameStillReads() {
        Notification n = new Notification(NotificationEvent.LEAD_ASSIGNED, Notification.EMAIL, "lead-1", "L-2026-000001",
                "Ada, confirm at https://evil.example/login", "WWW.Phish.example Ltd", "task-1", "Accept lead", null, null,
                "acceptLead", false, List.of("sam@leadflow.example"));

        NotificationTemplates.Message message = NotificationTemplates.render(n, "http://localhost:8080/t", ZoneId.of("Europe/Berlin"));

        assertThat(message.subject()).isEqualTo("New lead for you: L-2026-000001 Ada, confirm at https[:]//evil.example/login"
                + " (WWW[.]Phish.example Ltd)");
        assertThat(message.body()).doesNotContain("https://evil", "WWW.Phish").contains("Open it in Tasklist: http://localhost:8080/t");
        assertThat(NotificationTemplates.plain("Booking.com GmbH")).as("a company named after its domain").isEqualTo("Booking.com GmbH");
    }
}
