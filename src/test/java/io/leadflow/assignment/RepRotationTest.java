package io.leadflow.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.NewLead;

/** The rotation's rules, on the lead record's database without an engine (the races: RepRotationConcurrencyTest). */
class RepRotationTest {

    static final OffsetDateTime NOW = OffsetDateTime.of(2026, 11, 23, 8, 0, 0, 0, ZoneOffset.UTC);

    JdbcClient jdbc;
    LeadRepository leads;

    @BeforeEach
    void freshDatabase() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:rotation-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(h2);
        leads = new LeadRepository(jdbc);
    }

    RepRotation rotation(int capacity, List<String> unavailable) {
        return rotation(List.of("ann", "ben", "cid"), capacity, unavailable);
    }

    RepRotation rotation(List<String> dach, int capacity, List<String> unavailable) {
        RepRotation rotation = new RepRotation(jdbc, new AssignmentProperties(
                Map.of("dach", dach, "emea", List.of("cid")), capacity, unavailable));
        rotation.seed();
        return rotation;
    }

    List<String> assign(RepRotation rotation, int leadCount, Set<String> excluded) {
        List<String> reps = new ArrayList<>();
        for (int i = 0; i < leadCount; i++) {
            reps.add(rotation.assignNext("dach", excluded, NOW).orElse(null));
        }
        return reps;
    }

    /** A lead held by the rep in this stage. */
    void leadOf(String rep, LeadStage stage) {
        String id = UUID.randomUUID().toString();
        leads.insert(id, new NewLead(id + "@example.com", "Held", "Lead", null, "Co", null, null, "software", 500, "DE",
                "api", null), stage, NOW);
        leads.assignSalesRep(id, rep, NOW);
    }

    @Test
    void repsGetLeadsInTurn_theOneWhoseTurnWasLongestAgoFirst() {
        RepRotation rotation = rotation(25, List.of());

        assertThat(assign(rotation, 6, Set.of())).containsExactly("ann", "ben", "cid", "ann", "ben", "cid");
    }

    @Test
    void turnsAreSharedAcrossTerritories_soARepServingTwoIsNotServedTwice() {
        // cid comes first in dach's list: only his turn in emea puts him last there
        RepRotation rotation = rotation(List.of("cid", "ann", "ben"), 25, List.of());
        assertThat(rotation.assignNext("emea", Set.of(), NOW)).contains("cid");

        assertThat(assign(rotation, 3, Set.of())).containsExactly("ann", "ben", "cid");
    }

    @Test
    void excludedAndUnavailableReps_areSkipped() {
        RepRotation rotation = rotation(25, List.of("ben"));

        assertThat(assign(rotation, 3, Set.of("ann"))).containsExactly("cid", "cid", "cid");
    }

    @Test
    void repAtCapacity_isSkipped_countingEveryLeadTheyHold_evenBetweenContactAttempts() {
        RepRotation rotation = rotation(2, List.of());
        leadOf("ann", LeadStage.SAL); // accepted, waiting for the next contact attempt: no open task, still held
        leadOf("ann", LeadStage.MQL); // assigned, waiting for acceptance
        leadOf("ben", LeadStage.OPPORTUNITY); // handed over: no longer held
        leadOf("ben", LeadStage.NURTURING); // sent back to nurture: no longer held

        assertThat(assign(rotation, 2, Set.of())).containsExactly("ben", "cid");
    }

    @Test
    void noRepLeft_givesNoRep_andAdvancesNoTurn() {
        RepRotation rotation = rotation(25, List.of("ann"));

        Optional<String> rep = rotation.assignNext("dach", Set.of("ben", "cid"), NOW);

        assertThat(rep).isEmpty();
        assertThat(jdbc.sql("select sum(assigned_count) from rep_rotation").query(Long.class).single()).isZero();
        assertThat(rotation.assignNext("no-such-territory", Set.of(), NOW)).isEmpty();
    }

    @Test
    void seedingAgain_asASecondNodeStarting_keepsOneRowPerRep() {
        rotation(25, List.of()).assignNext("dach", Set.of(), NOW);

        rotation(25, List.of()).seed();

        assertThat(jdbc.sql("select rep_id, assigned_count from rep_rotation order by rep_id").query().listOfRows())
                .extracting(row -> row.get("REP_ID") + "=" + row.get("ASSIGNED_COUNT"))
                .containsExactly("ann=1", "ben=0", "cid=0");
    }
}
