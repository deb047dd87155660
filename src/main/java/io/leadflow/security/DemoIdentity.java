package io.leadflow.security;

import java.util.List;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.leadflow.platform.BeforeServing;

/**
 * Demo users of the embedded profile (never in production: the {@code postgres} profile turns
 * {@code leadflow.demo.users} off), in the teams' groups {@link GroupGrants#createTeamGroups} makes in
 * every profile. Logins are listed in the README.
 */
@Component
@ConditionalOnProperty(name = "leadflow.demo.users", havingValue = "true")
public class DemoIdentity {

    public static final String PASSWORD = "demo";
    private static final Logger LOG = LoggerFactory.getLogger(DemoIdentity.class);

    record DemoUser(String id, String firstName, String lastName, List<String> groups) {
    }

    static final List<DemoUser> USERS = List.of(
            new DemoUser("mia", "Mia", "Marketer", List.of(Groups.MARKETING)),
            new DemoUser("mona", "Mona", "Marketing-Lead", List.of(Groups.MARKETING, Groups.MARKETING_MANAGERS)),
            new DemoUser("sam", "Sam", "Seller", List.of(Groups.SALES)),
            new DemoUser("sara", "Sara", "Closer", List.of(Groups.SALES)),
            new DemoUser("max", "Max", "Sales-Manager", List.of(Groups.SALES, Groups.SALES_MANAGERS)),
            new DemoUser("paula", "Paula", "Process-Owner", List.of(Groups.PROCESS_OWNERS)));

    private final IdentityService identity;

    public DemoIdentity(IdentityService identity) {
        this.identity = identity;
    }

    /** After the groups, before the grants and filters, which give every group member a "My tasks" filter. */
    @Order(-1)
    @EventListener(BeforeServing.Event.class)
    public void createDemoUsers() {
        for (DemoUser u : USERS) {
            if (identity.createUserQuery().userId(u.id()).count() == 0) {
                User user = identity.newUser(u.id());
                user.setFirstName(u.firstName());
                user.setLastName(u.lastName());
                user.setEmail(u.id() + "@leadflow.example");
                user.setPassword(PASSWORD);
                identity.saveUser(user);
                for (String group : u.groups()) {
                    identity.createMembership(u.id(), group);
                }
            }
        }
        LOG.info("Demo users ready (password '{}'): {}", PASSWORD, USERS.stream().map(DemoUser::id).toList());
    }
}
