package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.sla.EngineClock;

/**
 * Wrong passwords hold a user back for a while, never for good: with Camunda's default an anonymous
 * caller locked any user it could name (admin included) after ten wrong passwords, until an
 * administrator unlocked them.
 */
class LoginLockoutTest extends SpringIntegrationTest {

    @Autowired
    IdentityService identity;

    @Autowired
    EngineClock clock;

    @Test
    void fifteenWrongPasswords_holdTheUserBackForAWhile_butTheRightOneStillWorksAfterwards() {
        String id = "lockout" + System.nanoTime();
        User user = identity.newUser(id);
        user.setPassword("Right-Password-1");
        identity.saveUser(user);
        try {
            Instant now = clock.now();
            for (int attempt = 1; attempt <= 15; attempt++) {
                assertThat(identity.checkPassword(id, "wrong")).isFalse();
                assertThat(identity.checkPassword(id, "Right-Password-1")).as("held back right after wrong attempt %d", attempt).isFalse();
                now = now.plusSeconds(61); // longer than the longest hold (60 s)
                clock.moveTo(now);
            }
            assertThat(identity.checkPassword(id, "Right-Password-1")).as("not locked for good").isTrue();
        } finally {
            clock.reset();
            identity.deleteUser(id);
        }
    }
}
