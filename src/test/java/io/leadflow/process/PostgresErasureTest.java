package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadflow.capture.CapturedLead;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.NewLead;
import io.leadflow.recycling.EngineHistoryEraserTest;

/**
 * Erasure and suppression on a real PostgreSQL: the engine-table SQL of the erasure, and a
 * do-not-contact request whose address is refused afterwards. Skipped locally without a server.
 */
class PostgresErasureTest {

    static PostgresDatabase db;

    @BeforeAll
    static void createDatabase() throws SQLException {
        db = PostgresDatabase.create("erasure");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        if (db != null) {
            db.drop();
        }
    }

    @Test
    void engineHistoryEraser_worksOnPostgres() {
        EngineHistoryEraserTest.erasesWhatThePublicApiCannot(db.engine, db.t.jdbc);
    }

    @Test
    void erasedLead_isBlacklistedAndAnonymous_andItsAddressIsSuppressed_onPostgres() {
        LeadScenarios s = new LeadScenarios(db.t, db.engine);
        NewLead lead = LeadScenarios.strongLead();
        String leadId = s.capture(lead);

        assertThat(db.t.doNotContact().request(leadId, true)).isTrue();

        assertThat(db.t.leads.get(leadId).stage()).isEqualTo(LeadStage.BLACKLISTED);
        assertThat(db.t.leads.get(leadId).email()).isEqualTo("erased:" + leadId);
        CapturedLead again = db.t.capture().capture(lead);
        assertThat(again.suppressed()).isTrue();
        assertThat(again.leadId()).isNull();
        assertThat(db.t.jdbc.sql("select count(*) from lead_suppression where lead_id = :id").param("id", leadId)
                .query(Long.class).single()).isEqualTo(1);
    }
}
