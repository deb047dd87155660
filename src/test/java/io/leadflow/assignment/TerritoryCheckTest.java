package io.leadflow.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.leadflow.SpringIntegrationTest;

/** What the start-up log says about the territories: nothing when their reps exist, else which are missing. */
class TerritoryCheckTest extends SpringIntegrationTest {

    @Autowired
    IdentityService identity;

    @Autowired
    AssignmentProperties configured;

    @Test
    void theDemoTerritories_nameReps_whoAreUsers() {
        assertThat(configured.repsOf("dach")).containsExactly("sam", "sara");
        assertThat(new TerritoryCheck(configured, identity).problems()).isEmpty();
    }

    @Test
    void noTerritoryWithReps_orARepWhoIsNoUser_isSaid_namingTheRepAndTheTerritories() {
        TerritoryCheck none = new TerritoryCheck(new AssignmentProperties(Map.of(), 25, List.of()), identity);
        TerritoryCheck ghost = new TerritoryCheck(new AssignmentProperties(
                Map.of("dach", List.of("sam", "ghostrep"), "emea", List.of("ghostrep")), 25, List.of()), identity);

        assertThat(none.problems()).singleElement().asString().startsWith("No territory has reps (leadflow.assignment.territories)");
        assertThat(ghost.problems()).containsExactly("Rep 'ghostrep' of territories [dach, emea] (leadflow.assignment.territories)"
                + " is no user: the rotation would give them leads nobody can see; create the user or take them out of the territories");
    }

    @Test
    void aCapacityBelowOne_isRefusedNamingTheKey() {
        assertThatThrownBy(() -> new AssignmentProperties(Map.of(), 0, List.of()))
                .hasMessageStartingWith("leadflow.assignment.capacity must be at least 1");
    }
}
