package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadflow.nurture.EngagementService;
import io.leadflow.lead.LeadRepository.EngagementSummary;

/**
 * The engagement decay on PostgreSQL, whose {@code power} raises an error instead of returning 0
 * when the result is too small for a double: an event thousands of half-lives old (a system that
 * sends 1900-01-01 for "unknown") must count nothing, not fail every later scoring of its lead.
 */
class PostgresEngagementDecayTest {

    static PostgresDatabase db;
    static ProcessTestEngine t;

    @BeforeAll
    static void database() throws Exception {
        db = PostgresDatabase.create("decay");
        t = db.t;
    }

    @AfterAll
    static void drop() throws Exception {
        if (db != null) {
            db.drop();
        }
    }

    @Test
    void eventFrom1900_isScoredAsZeroPoints_andLaterEventsStillScore_onPostgres() {
        String leadId = t.capture().capture(LeadScenarios.weakLead()).leadId();
        int scoreBefore = t.leads.get(leadId).engagementScore();

        EngagementService.Outcome woken = t.engagements().record(leadId, "download", OffsetDateTime.of(1900, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                "date unknown to the sending system");

        assertThat(woken).as("the nurture was woken and re-scored the lead").isEqualTo(EngagementService.Outcome.WOKE_LIFECYCLE);
        assertThat(t.leads.engagementSummary(leadId, OffsetDateTime.now(ZoneOffset.UTC), t.sla.engagementHalfLife()))
                .filteredOn(summary -> "download".equals(summary.type())).singleElement()
                .satisfies(download -> assertThat(download.count()).isEqualTo(1))
                .extracting(EngagementSummary::weight).satisfies(weight -> assertThat(weight).isBetween(0.0, 1e-300));
        assertThat(t.leads.get(leadId).engagementScore()).as("the event of 1900 adds nothing").isEqualTo(scoreBefore);
        assertThat(t.leads.latestScoreReasons(leadId)).filteredOn(r -> r.reason().startsWith("download:"))
                .singleElement().satisfies(r -> assertThat(r.points()).isZero());

        t.engagements().record(leadId, "download", null, "whitepaper today");

        assertThat(t.leads.get(leadId).engagementScore()).as("a download today still counts").isGreaterThan(scoreBefore);
    }
}
