package io.leadflow.notification;

import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.leadflow.sla.SlaProperties;

/** The text of each notification: the lead (number, contact, company), the task, the deadline and a Tasklist link. */
final class NotificationTemplates {


    private NotificationTemplates() {
    }

    record Message(String subject, String body) {
    }

    /** A web address in a name: a scheme ({@code https://}) or {@code www.} at a word's start. */
    private static final Pattern ADDRESS = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*):(//)|\\b(www)\\.");

    /**
     * A name from a public web form as plain text in a mail: {@code =?UTF-8?B?…?=} in an ASCII name is
     * sent as it is, and mail clients decode it in the subject into text the sender chose; a space
     * after the {@code =} keeps it what it is. A web address in it ("Ada, confirm at
     * https://evil.example/login") would be a link in our own mail, beside the Tasklist link: its
     * scheme and {@code www.} are written so that no client makes one ({@code https[:]//},
     * {@code www[.]}), and the name still reads as it was entered.
     */
    static String plain(String name) {
        Matcher address = ADDRESS.matcher(name.replace("=?", "= ?"));
        StringBuilder defanged = new StringBuilder();
        while (address.find()) {
            address.appendReplacement(defanged, Matcher.quoteReplacement(address.group(1) != null
                    ? address.group(1) + "[:]//" : address.group(3) + "[.]"));
        }
        return address.appendTail(defanged).toString();
    }

    static Message render(Notification n, String link, ZoneId zone) {
        String lead = (n.leadNumber() == null ? "" : n.leadNumber() + " ")
                + (n.contactName() == null ? "an erased contact" : plain(n.contactName()))
                + (n.companyName() == null ? "" : " (" + plain(n.companyName()) + ")");
        String due = n.deadline() == null ? "no deadline" : SlaProperties.SHOWN.format(n.deadline().atZoneSameInstant(zone));
        return switch (n.event()) {
            case LEAD_ASSIGNED -> new Message(
                    "New lead for you: " + lead,
                    "You have a new lead: " + lead + ".\n\n"
                            + "Task: " + n.taskName() + "\nDue: " + due + "\n\nOpen it in Tasklist: " + link + "\n");
            case SLA_REMINDER -> new Message(
                    "Reminder: " + n.taskName() + " for " + lead + " is due " + due,
                    "Half of the agreed time for \"" + n.taskName() + "\" on " + lead + " has passed.\n\n"
                            + "Due: " + due + "\nAssignee: " + (n.assignee() == null ? "not claimed yet" : n.assignee())
                            + "\n\nOpen it in Tasklist: " + link + "\n");
            case SLA_BREACH -> new Message(
                    (n.repeated() ? "Repeated SLA breach: " : "SLA breached: ") + n.taskName() + " for " + lead,
                    "The SLA \"" + n.sla() + "\" was missed: \"" + n.taskName() + "\" on " + lead + " was due " + due
                            + ".\nAssignee at the deadline: " + (n.assignee() == null ? "nobody" : n.assignee())
                            + (n.repeated() ? "\nThis lead has missed its SLA before." : "")
                            + "\n\nOpen it in Tasklist: " + link + "\n");
            case ASSIGNMENT_NEEDED -> new Message(
                    "Assign by hand: no sales rep left for " + lead,
                    "No sales rep of its territory is left for " + lead + " (every rep rejected it as wrongly routed, "
                            + "let its acceptance lapse, or is unavailable).\n\n"
                            + "Task: " + n.taskName() + "\nDue: " + due + "\n\nOpen it in Tasklist: " + link + "\n");
        };
    }
}
