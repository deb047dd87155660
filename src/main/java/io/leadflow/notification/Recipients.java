package io.leadflow.notification;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;

/**
 * The e-mail addresses of the users and groups notifications are for, read from the engine's users
 * when they are sent: a batch reads each of its users and groups once (one user query for all its
 * users, one per group), not once per message. So a step that asks for a notification (an SLA
 * timer's job) makes no user query, and a message goes to the group's members as they are when it
 * is sent. Users without an address are left out.
 */
final class Recipients {

    private final IdentityService identity;
    private final Map<String, String> userAddresses = new HashMap<>();
    private final Map<String, List<String>> groupAddresses = new HashMap<>();

    private Recipients(IdentityService identity) {
        this.identity = identity;
    }

    /** Reads the addresses of every user and group the notifications are for; those already addressed are left as they are. */
    static List<Notification> resolve(IdentityService identity, List<Notification> notifications) {
        Recipients recipients = new Recipients(identity);
        recipients.readUsers(notifications.stream().filter(n -> n.to() != null).flatMap(n -> n.to().users().stream()).toList());
        List<Notification> resolved = new ArrayList<>(notifications.size());
        for (Notification n : notifications) {
            resolved.add(n.to() == null ? n : n.withRecipients(recipients.addresses(n.to())));
        }
        return resolved;
    }

    private void readUsers(Collection<String> users) {
        Set<String> unread = new LinkedHashSet<>(users);
        if (!unread.isEmpty()) {
            for (User user : identity.createUserQuery().userIdIn(unread.toArray(String[]::new)).list()) {
                userAddresses.put(user.getId(), user.getEmail());
            }
        }
    }

    /** The users' addresses first, then the groups' members', each once, in that order. */
    private List<String> addresses(Notification.Addressees to) {
        Set<String> addresses = new LinkedHashSet<>();
        to.users().stream().map(userAddresses::get).filter(Objects::nonNull).forEach(addresses::add);
        for (String group : to.groups()) {
            addresses.addAll(groupAddresses.computeIfAbsent(group, g -> identity.createUserQuery().memberOfGroup(g).list().stream()
                    .map(User::getEmail).filter(Objects::nonNull).toList()));
        }
        return List.copyOf(addresses);
    }
}
