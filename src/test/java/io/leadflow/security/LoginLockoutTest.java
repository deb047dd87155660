package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.ResponseEntity;

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
        String id = user("lockout");
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

    @Test
    void aRightPasswordWhileHeldBack_isTold_toWaitAMinute_inTheSameWordsAsAnUnknownUser() {
        String id = user("heldback");
        identity.createMembership(id, Groups.SALES);
        try {
            assertThat(status(id, "wrong")).isEqualTo(401);
            ResponseEntity<Map<String, Object>> heldBack = get(id, "Right-Password-1");
            ResponseEntity<Map<String, Object>> unknown = get("nobody" + System.nanoTime(), "Right-Password-1");

            assertThat(heldBack.getStatusCode().value()).isEqualTo(401);
            assertThat((String) heldBack.getBody().get("detail")).contains("held back", "send it again in a minute");
            assertThat(unknown.getBody().get("detail")).as("nothing tells which users exist").isEqualTo(heldBack.getBody().get("detail"));
            clock.moveTo(clock.now().plusSeconds(61));
            assertThat(status(id, "Right-Password-1")).as("after the wait").isEqualTo(200);
        } finally {
            clock.reset();
            identity.deleteUser(id);
        }
    }

    /** A new user whose password is Right-Password-1; the tests delete it. */
    private String user(String prefix) {
        String id = prefix + System.nanoTime();
        User user = identity.newUser(id);
        user.setPassword("Right-Password-1");
        identity.saveUser(user);
        return id;
    }

    private ResponseEntity<Map<String, Object>> get(String user, String password) {
        return anonymous.get().uri("/api/sla-breaches").headers(h -> h.setBasicAuth(user, password)).retrieve().toEntity(MAP);
    }

    private int status(String user, String password) {
        return anonymous.get().uri("/api/sla-breaches").headers(h -> h.setBasicAuth(user, password)).retrieve().toBodilessEntity()
                .getStatusCode().value();
    }

    static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };
}
