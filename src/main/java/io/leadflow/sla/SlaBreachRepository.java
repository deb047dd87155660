package io.leadflow.sla;

import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class SlaBreachRepository {

    private final JdbcClient jdbc;

    public SlaBreachRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(SlaBreach breach) {
        jdbc.sql("""
                insert into sla_breach (lead_id, sla, task_key, task_name, deadline, breached_at, assignee, completed_at)
                values (:leadId, :sla, :taskKey, :taskName, :deadline, :breachedAt, :assignee, :completedAt)
                """)
                .param("leadId", breach.leadId())
                .param("sla", breach.sla())
                .param("taskKey", breach.taskKey())
                .param("taskName", breach.taskName())
                .param("deadline", breach.deadline())
                .param("breachedAt", breach.breachedAt())
                .param("assignee", breach.assignee())
                .param("completedAt", breach.completedAt())
                .update();
    }

    public List<SlaBreach> forLead(String leadId) {
        return jdbc.sql("select * from sla_breach where lead_id = :leadId order by breached_at, id")
                .param("leadId", leadId)
                .query(SlaBreachRepository::map)
                .list();
    }

    public long countForLead(String leadId) {
        return jdbc.sql("select count(*) from sla_breach where lead_id = :leadId").param("leadId", leadId)
                .query(Long.class).single();
    }

    /** Newest first; both filters optional. */
    public List<SlaBreach> find(String leadId, OffsetDateTime since, int limit) {
        return jdbc.sql("""
                select * from sla_breach
                where (cast(:leadId as varchar(36)) is null or lead_id = :leadId)
                  and (cast(:since as timestamp with time zone) is null or breached_at >= :since)
                order by breached_at desc, id desc
                fetch first :limit rows only
                """)
                .param("leadId", leadId)
                .param("since", since)
                .param("limit", limit)
                .query(SlaBreachRepository::map)
                .list();
    }

    private static SlaBreach map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new SlaBreach(rs.getString("lead_id"), rs.getString("sla"), rs.getString("task_key"),
                rs.getString("task_name"), rs.getObject("deadline", OffsetDateTime.class),
                rs.getObject("breached_at", OffsetDateTime.class), rs.getString("assignee"),
                rs.getObject("completed_at", OffsetDateTime.class));
    }
}
