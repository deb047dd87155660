package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.NewLead;

/**
 * Migration V15 on a database that has leads already, on H2 and PostgreSQL: they are numbered in
 * the order they were captured, the sequence continues after them, and a number is unique.
 */
class LeadNumberMigrationTest {

    @Test
    void existingLeadsAreNumberedInCaptureOrder_andNewLeadsContinueTheSequence_onH2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:lead-number-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=LEGACY");
        h2.setUser("sa");
        migrateWithLeads(h2);
    }

    @Test
    void existingLeadsAreNumberedInCaptureOrder_andNewLeadsContinueTheSequence_onPostgres() throws SQLException {
        PostgresDatabase.Empty db = PostgresDatabase.empty("number");
        try {
            try (HikariDataSource pg = db.pool(10)) {
                migrateWithLeads(pg);
            }
        } finally {
            db.drop();
        }
    }

    void migrateWithLeads(DataSource db) {
        // given three leads captured by the release before lead numbers, stored out of capture order
        Flyway.configure().dataSource(db).locations("classpath:db/migration").target("12").load().migrate();
        JdbcClient jdbc = JdbcClient.create(db);
        oldLead(jdbc, "b-captured-third", "2026-01-02T10:00:00Z");
        oldLead(jdbc, "c-captured-first", "2025-12-31T23:30:00Z");
        oldLead(jdbc, "a-captured-second", "2026-01-02T10:00:00Z");

        // when the application migrates
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();

        // then they are numbered in capture order (the year of each capture, ties by id)
        assertThat(jdbc.sql("select id, lead_number from lead order by lead_number").query((rs, n) -> rs.getString(1) + " " + rs.getString(2)).list())
                .isEqualTo(List.of("c-captured-first L-2025-000001", "a-captured-second L-2026-000002", "b-captured-third L-2026-000003"));
        // and the next lead continues after them
        LeadRepository leads = new LeadRepository(jdbc);
        String next = leads.insert("new-lead", new NewLead("new@example.com", "New", "Lead", null, "Co", null, null, "software",
                10, "DE", "api", null), LeadStage.INQUIRY, OffsetDateTime.parse("2026-11-23T09:00:00Z"));
        assertThat(next).isEqualTo("L-2026-000004");
        assertThat(leads.findIdByNumber(next)).contains("new-lead");
        // and a number is never given twice
        assertThatThrownBy(() -> jdbc.sql("update lead set lead_number = 'L-2026-000002' where id = 'b-captured-third'").update())
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    static void oldLead(JdbcClient jdbc, String id, String createdAt) {
        jdbc.sql("""
                insert into lead (id, email, email_normalized, stage, created_at, updated_at)
                values (:id, :email, :email, 'INQUIRY', :at, :at)
                """)
                .param("id", id)
                .param("email", id + "@example.com")
                .param("at", OffsetDateTime.parse(createdAt))
                .update();
    }
}
