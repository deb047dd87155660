package io.leadflow.conversion;

import java.time.OffsetDateTime;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class OpportunityRepository {

    private final JdbcClient jdbc;

    public OpportunityRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the opportunity unless the lead has one already; returns whether it inserted. */
    public boolean createOnce(Opportunity o) {
        if (find(o.leadId()).isPresent()) {
            return false;
        }
        jdbc.sql("""
                insert into opportunity (lead_id, sales_rep, amount, timeline, budget_confirmed, authority_confirmed,
                                         need_confirmed, note, created_at)
                values (:leadId, :rep, :amount, :timeline, :budget, :authority, :need, :note, :createdAt)
                """)
                .param("leadId", o.leadId())
                .param("rep", o.salesRep())
                .param("amount", o.amount())
                .param("timeline", o.timeline())
                .param("budget", o.budgetConfirmed())
                .param("authority", o.authorityConfirmed())
                .param("need", o.needConfirmed())
                .param("note", o.note())
                .param("createdAt", o.createdAt())
                .update();
        return true;
    }

    public Optional<Opportunity> find(String leadId) {
        return jdbc.sql("select * from opportunity where lead_id = :leadId")
                .param("leadId", leadId)
                .query((rs, n) -> new Opportunity(rs.getString("lead_id"), rs.getString("sales_rep"),
                        rs.getBigDecimal("amount"), rs.getString("timeline"), rs.getBoolean("budget_confirmed"),
                        rs.getBoolean("authority_confirmed"), rs.getBoolean("need_confirmed"), rs.getString("note"),
                        rs.getObject("created_at", OffsetDateTime.class)))
                .optional();
    }
}
