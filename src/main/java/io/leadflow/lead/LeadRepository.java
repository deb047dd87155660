package io.leadflow.lead;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.leadflow.web.TextRules;

/**
 * The lead record and its history. Runs in the caller's transaction, which inside a delegate is
 * the engine's transaction: a failed step rolls back the engine and the record together.
 */
@Repository
public class LeadRepository {

    /** Column lead_attempt.note (migration V5): a note of several pages is kept whole. */
    public static final int MAX_ATTEMPT_NOTE = 10_000;
    /** A stage's note: the reason and the note of the form that set the stage (up to 2,000 characters), whole (V19). */
    public static final int MAX_STAGE_NOTE = 4_000;

    /** The most half-lives an engagement's decay counts (see {@link #engagementSummary}). */
    static final int MAX_DECAY_HALF_LIVES = 1000;

    private final JdbcClient jdbc;

    public LeadRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts the lead record with its number (drawn from the sequence, see {@link LeadNumbers})
     * and returns the number.
     */
    public String insert(String id, NewLead lead, LeadStage stage, OffsetDateTime now) {
        String number = LeadNumbers.format(now, jdbc.sql("select nextval('lead_number_seq')").query(Long.class).single());
        jdbc.sql("""
                insert into lead (id, lead_number, email, email_normalized, first_name, last_name, phone, company, company_domain,
                                  job_title, role, industry, company_size, country, source, campaign, stage,
                                  recycle_count, do_not_contact, created_at, updated_at)
                values (:id, :number, :email, :emailNormalized, :firstName, :lastName, :phone, :company, :companyDomain,
                        :jobTitle, :role, :industry, :companySize, :country, :source, :campaign, :stage,
                        0, false, :now, :now)
                """)
                .param("id", id)
                .param("number", number)
                .param("email", lead.email().trim())
                .param("emailNormalized", EmailAddresses.normalize(lead.email()))
                .param("firstName", lead.firstName())
                .param("lastName", lead.lastName())
                .param("phone", lead.phone())
                .param("company", lead.company())
                .param("companyDomain", EmailAddresses.domainOf(lead.email()))
                .param("jobTitle", lead.jobTitle())
                .param("role", lead.role())
                .param("industry", lead.industry())
                .param("companySize", lead.companySize())
                .param("country", lead.country())
                .param("source", lead.source())
                .param("campaign", lead.campaign())
                .param("stage", stage.name())
                .param("now", now)
                .update();
        insertStageEntry(id, stage, "captured from " + (lead.source() == null ? "unknown source" : lead.source()), now);
        return number;
    }

    public Optional<Lead> findById(String id) {
        return jdbc.sql("select * from lead where id = :id").param("id", id).query(LeadRepository::mapLead).optional();
    }

    /** The leads of these ids that exist, by id, in one query (a notification batch names up to a few hundred). */
    public Map<String, Lead> findByIds(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("select * from lead where id in (:ids)").param("ids", ids).query(LeadRepository::mapLead).list().stream()
                .collect(Collectors.toMap(Lead::id, lead -> lead));
    }

    public Optional<Lead> findByNumber(String number) {
        return jdbc.sql("select * from lead where lead_number = :number").param("number", number)
                .query(LeadRepository::mapLead).optional();
    }

    /** The lead's number ({@link LeadNumbers}), if there is such a lead. */
    public Optional<String> findNumber(String id) {
        return jdbc.sql("select lead_number from lead where id = :id").param("id", id).query(String.class).optional();
    }

    public Optional<String> findIdByNumber(String number) {
        return jdbc.sql("select id from lead where lead_number = :number").param("number", number).query(String.class).optional();
    }

    /**
     * The lead's stage, with the lead's row locked until the caller's transaction ends: whoever
     * changes the lead after this waits, so events of one lead are handled one after another.
     */
    public Optional<LeadStage> lockStage(String id) {
        return lock(id).map(Locked::stage);
    }

    /**
     * The lead's stage and whether it asked not to be contacted (or was erased), with its row locked as
     * by {@link #lockStage}: read under the lock, an erasure or a do-not-contact that committed while
     * the caller waited is seen.
     */
    public Optional<Locked> lock(String id) {
        return jdbc.sql("select stage, do_not_contact from lead where id = :id for update").param("id", id)
                .query((rs, n) -> new Locked(LeadStage.valueOf(rs.getString(1)), rs.getBoolean(2))).optional();
    }

    /** A lead as its row lock found it. */
    public record Locked(LeadStage stage, boolean doNotContact) {
    }

    public Lead get(String id) {
        return findById(id).orElseThrow(() -> new IllegalStateException("No lead with id " + id));
    }

    public Optional<String> findIdByEmail(String email) {
        return jdbc.sql("select id from lead where email_normalized = :email")
                .param("email", EmailAddresses.normalize(email))
                .query(String.class)
                .optional();
    }

    /** Corrected contact data (task "Fix lead data"); the email must not belong to another lead (unique constraint). */
    public void updateContactData(String id, ContactData data, OffsetDateTime now) {
        jdbc.sql("""
                update lead set email = :email, email_normalized = :emailNormalized, company_domain = :domain,
                       first_name = :firstName, last_name = :lastName, phone = :phone, company = :company,
                       job_title = :jobTitle, role = :role, industry = :industry,
                       company_size = :companySize, country = :country, updated_at = :now
                where id = :id
                """)
                .param("email", data.email().trim())
                .param("emailNormalized", EmailAddresses.normalize(data.email()))
                .param("domain", EmailAddresses.domainOf(data.email()))
                .param("firstName", data.firstName())
                .param("lastName", data.lastName())
                .param("phone", data.phone())
                .param("company", data.company())
                .param("jobTitle", data.jobTitle())
                .param("role", data.role())
                .param("industry", data.industry())
                .param("companySize", data.companySize())
                .param("country", data.country())
                .param("now", now)
                .param("id", id)
                .update();
    }

    public void updateScores(String id, int fitScore, String fitGrade, int engagementScore, int leadScore,
                             String explanation, List<ScoreReasonRow> reasons, OffsetDateTime now) {
        jdbc.sql("""
                update lead set fit_score = :fit, fit_grade = :grade, engagement_score = :engagement,
                       lead_score = :score, score_explanation = :explanation, scored_at = :now, updated_at = :now
                where id = :id
                """)
                .param("fit", fitScore)
                .param("grade", fitGrade)
                .param("engagement", engagementScore)
                .param("score", leadScore)
                .param("explanation", TextRules.cut(explanation, 4000))
                .param("now", now)
                .param("id", id)
                .update();
        // a re-score at the same instant replaces the reasons instead of mixing with them
        jdbc.sql("delete from lead_score_reason where lead_id = :id and scored_at = :now")
                .param("id", id)
                .param("now", now)
                .update();
        for (ScoreReasonRow reason : reasons) {
            jdbc.sql("""
                    insert into lead_score_reason (lead_id, scored_at, component, points, reason)
                    values (:id, :now, :component, :points, :reason)
                    """)
                    .param("id", id)
                    .param("now", now)
                    .param("component", reason.component())
                    .param("points", reason.points())
                    .param("reason", TextRules.cut(reason.reason(), 300))
                    .update();
        }
    }

    /**
     * Whether an engagement was stored after the lead's latest scoring (or the lead was never scored
     * and has one): an event that came while no nurture waited for it (Review MQL open, the lead
     * recycled until its revisit date) and that no scoring has counted yet. Strictly after: the form
     * fill a capture stores is scored in the same instant, and a new lead is not scored twice for it.
     */
    public boolean engagedSinceScored(String id) {
        return jdbc.sql("""
                select 1 from lead l join lead_engagement e on e.lead_id = l.id
                where l.id = :id and (l.scored_at is null or e.recorded_at > l.scored_at)
                fetch first 1 rows only
                """)
                .param("id", id)
                .query(Integer.class).optional().isPresent();
    }

    /** The reasons of the latest scoring. */
    public List<ScoreReasonRow> latestScoreReasons(String id) {
        return jdbc.sql("""
                select component, points, reason from lead_score_reason
                where lead_id = :id and scored_at = (select max(scored_at) from lead_score_reason where lead_id = :id)
                order by id
                """)
                .param("id", id)
                .query((rs, n) -> new ScoreReasonRow(rs.getString("component"), rs.getInt("points"), rs.getString("reason")))
                .list();
    }

    public void enterStage(String id, LeadStage stage, String note, OffsetDateTime now) {
        jdbc.sql("update lead set stage = :stage, updated_at = :now where id = :id")
                .param("stage", stage.name())
                .param("now", now)
                .param("id", id)
                .update();
        insertStageEntry(id, stage, note, now);
    }

    /**
     * Moves the lead from one stage to another only if it still is in the first (a conditional
     * update: of concurrent callers exactly one wins); returns whether this caller won.
     */
    public boolean enterStageIf(String id, LeadStage from, LeadStage to, String note, OffsetDateTime now) {
        int updated = jdbc.sql("update lead set stage = :to, updated_at = :now where id = :id and stage = :from")
                .param("to", to.name())
                .param("now", now)
                .param("id", id)
                .param("from", from.name())
                .update();
        if (updated == 1) {
            insertStageEntry(id, to, note, now);
        }
        return updated == 1;
    }

    private void insertStageEntry(String id, LeadStage stage, String note, OffsetDateTime now) {
        jdbc.sql("insert into lead_stage_entry (lead_id, stage, entered_at, note) values (:id, :stage, :now, :note)")
                .param("id", id)
                .param("stage", stage.name())
                .param("now", now)
                .param("note", TextRules.cut(note, MAX_STAGE_NOTE))
                .update();
    }

    public List<StageEntry> stageHistory(String id) {
        return jdbc.sql("select stage, entered_at, note from lead_stage_entry where lead_id = :id order by entered_at, id")
                .param("id", id)
                .query((rs, n) -> new StageEntry(LeadStage.valueOf(rs.getString("stage")),
                        rs.getObject("entered_at", OffsetDateTime.class), rs.getString("note")))
                .list();
    }

    public void assignSalesRep(String id, String rep, OffsetDateTime now) {
        jdbc.sql("update lead set sales_rep = :rep, updated_at = :now where id = :id")
                .param("rep", rep)
                .param("now", now)
                .param("id", id)
                .update();
    }

    public void recordRecycle(String id, int recycleCount, String reason, OffsetDateTime revisitAt, OffsetDateTime now) {
        jdbc.sql("update lead set recycle_count = :count, updated_at = :now where id = :id")
                .param("count", recycleCount)
                .param("now", now)
                .param("id", id)
                .update();
        jdbc.sql("insert into lead_recycle (lead_id, reason, revisit_at, recycled_at) values (:id, :reason, :revisit, :now)")
                .param("id", id)
                .param("reason", reason)
                .param("revisit", revisitAt)
                .param("now", now)
                .update();
    }

    public List<RecycleRow> recycles(String id) {
        return jdbc.sql("select reason, revisit_at, recycled_at from lead_recycle where lead_id = :id order by id")
                .param("id", id)
                .query((rs, n) -> new RecycleRow(rs.getString("reason"), rs.getObject("revisit_at", OffsetDateTime.class),
                        rs.getObject("recycled_at", OffsetDateTime.class)))
                .list();
    }

    /** Marks the lead as not to be contacted; with {@code erase} its personal data is removed for good. */
    public void markDoNotContact(String id, boolean erase, OffsetDateTime now) {
        if (erase) {
            jdbc.sql("""
                    update lead set do_not_contact = true, erased_at = :now, updated_at = :now,
                           email = :placeholder, email_normalized = :placeholder, first_name = null, last_name = null,
                           phone = null, job_title = null, score_explanation = null
                    where id = :id
                    """)
                    .param("placeholder", "erased:" + id)
                    .param("now", now)
                    .param("id", id)
                    .update();
            jdbc.sql("update lead_attempt set note = null where lead_id = :id").param("id", id).update();
            jdbc.sql("update lead_rejection set comment = null where lead_id = :id").param("id", id).update();
        } else {
            jdbc.sql("update lead set do_not_contact = true, updated_at = :now where id = :id")
                    .param("now", now)
                    .param("id", id)
                    .update();
        }
    }

    public void insertEngagement(String id, String type, OffsetDateTime occurredAt, String detail, OffsetDateTime now) {
        jdbc.sql("""
                insert into lead_engagement (lead_id, type, occurred_at, detail, recorded_at)
                values (:id, :type, :occurredAt, :detail, :now)
                """)
                .param("id", id)
                .param("type", type)
                .param("occurredAt", occurredAt)
                .param("detail", TextRules.cut(detail, 500))
                .param("now", now)
                .update();
    }

    public List<EngagementRow> engagements(String id) {
        return jdbc.sql("select type, occurred_at, detail from lead_engagement where lead_id = :id order by occurred_at, id")
                .param("id", id)
                .query((rs, n) -> new EngagementRow(rs.getString("type"), rs.getObject("occurred_at", OffsetDateTime.class),
                        rs.getString("detail")))
                .list();
    }

    /**
     * The lead's latest {@code max} engagements, oldest first: a lead a bot clicked for 2,000 times made its
     * record a megabyte that grew with every click.
     */
    public List<EngagementRow> latestEngagements(String id, int max) {
        List<EngagementRow> latest = new ArrayList<>(jdbc.sql("""
                select type, occurred_at, detail from lead_engagement where lead_id = :id
                order by occurred_at desc, id desc fetch first :max rows only
                """)
                .param("id", id)
                .param("max", max)
                .query((rs, n) -> new EngagementRow(rs.getString("type"), rs.getObject("occurred_at", OffsetDateTime.class),
                        rs.getString("detail")))
                .list());
        java.util.Collections.reverse(latest);
        return latest;
    }

    public long engagementCount(String id) {
        return jdbc.sql("select count(*) from lead_engagement where lead_id = :id").param("id", id).query(Long.class).single();
    }

    /**
     * The lead's engagement per type, for scoring: how many events, the latest, and their weight after
     * time decay (each event weighs {@code 0.5^(age / halfLife)}, events from the future weigh 1). The
     * database sums the events, so scoring costs the same for 2 or 2,000 of them. The age counts at
     * most {@value #MAX_DECAY_HALF_LIVES} half-lives: PostgreSQL's {@code power} raises an underflow
     * error where the weight is too small for a double (about 1,075 half-lives, an event of 1900 with
     * the 30-day half-life), which failed every later scoring of the lead; such an event weighs about
     * 10^-301, nothing.
     */
    public List<EngagementSummary> engagementSummary(String id, OffsetDateTime now, Duration halfLife) {
        return jdbc.sql("""
                select type, count(*) as events, max(occurred_at) as latest,
                       sum(case when occurred_at >= :now then 1.0
                                else power(0.5, least((:nowEpoch - cast(extract(epoch from occurred_at) as double precision))
                                                      / :halfLifeSeconds, :maxHalfLives)) end) as weight
                from lead_engagement where lead_id = :id
                group by type order by type
                """)
                .param("id", id)
                .param("now", now)
                .param("nowEpoch", now.toInstant().toEpochMilli() / 1000.0)
                .param("halfLifeSeconds", halfLife.toMillis() / 1000.0)
                .param("maxHalfLives", (double) MAX_DECAY_HALF_LIVES)
                .query((rs, n) -> new EngagementSummary(rs.getString("type"), rs.getInt("events"),
                        rs.getDouble("weight"), rs.getObject("latest", OffsetDateTime.class)))
                .list();
    }

    public void insertRejection(String id, String reason, String comment, String rep, OffsetDateTime now) {
        jdbc.sql("""
                insert into lead_rejection (lead_id, reason, comment, rejected_by, rejected_at)
                values (:id, :reason, :comment, :rep, :now)
                """)
                .param("id", id)
                .param("reason", reason)
                .param("comment", TextRules.cut(comment, 2000))
                .param("rep", rep)
                .param("now", now)
                .update();
    }

    public List<RejectionRow> rejections(String id) {
        return jdbc.sql("select reason, comment, rejected_by, rejected_at from lead_rejection where lead_id = :id order by id")
                .param("id", id)
                .query((rs, n) -> new RejectionRow(rs.getString("reason"), rs.getString("comment"),
                        rs.getString("rejected_by"), rs.getObject("rejected_at", OffsetDateTime.class)))
                .list();
    }

    public void insertAttempt(String id, int attemptNumber, String channel, String outcome, String note, String rep,
                              OffsetDateTime now) {
        jdbc.sql("""
                insert into lead_attempt (lead_id, attempt_number, channel, outcome, note, rep, attempted_at)
                values (:id, :number, :channel, :outcome, :note, :rep, :now)
                """)
                .param("id", id)
                .param("number", attemptNumber)
                .param("channel", channel)
                .param("outcome", outcome)
                .param("note", TextRules.cut(note, MAX_ATTEMPT_NOTE))
                .param("rep", rep)
                .param("now", now)
                .update();
    }

    public List<AttemptRow> attempts(String id) {
        return jdbc.sql("""
                select attempt_number, channel, outcome, note, rep, attempted_at from lead_attempt
                where lead_id = :id order by attempted_at, id
                """)
                .param("id", id)
                .query((rs, n) -> new AttemptRow(rs.getInt("attempt_number"), rs.getString("channel"),
                        rs.getString("outcome"), rs.getString("note"), rs.getString("rep"),
                        rs.getObject("attempted_at", OffsetDateTime.class)))
                .list();
    }

    private static Lead mapLead(ResultSet rs, int rowNum) throws SQLException {
        return new Lead(
                rs.getString("id"),
                rs.getString("lead_number"),
                rs.getString("email"),
                rs.getString("first_name"),
                rs.getString("last_name"),
                rs.getString("phone"),
                rs.getString("company"),
                rs.getString("company_domain"),
                rs.getString("job_title"),
                rs.getString("role"),
                rs.getString("industry"),
                (Integer) rs.getObject("company_size"),
                rs.getString("country"),
                rs.getString("source"),
                rs.getString("campaign"),
                LeadStage.valueOf(rs.getString("stage")),
                (Integer) rs.getObject("fit_score"),
                rs.getString("fit_grade"),
                (Integer) rs.getObject("engagement_score"),
                (Integer) rs.getObject("lead_score"),
                rs.getString("score_explanation"),
                rs.getString("sales_rep"),
                rs.getInt("recycle_count"),
                rs.getBoolean("do_not_contact"),
                rs.getObject("erased_at", OffsetDateTime.class),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }

    public record ContactData(String email, String firstName, String lastName, String phone, String company,
                              String jobTitle, String role, String industry, Integer companySize, String country) {
    }

    public record StageEntry(LeadStage stage, OffsetDateTime enteredAt, String note) {
    }

    public record ScoreReasonRow(String component, int points, String reason) {
    }

    public record EngagementRow(String type, OffsetDateTime occurredAt, String detail) {
    }

    /** All events of one type: {@code weight} is their count after time decay (at most {@code count}). */
    public record EngagementSummary(String type, int count, double weight, OffsetDateTime latestAt) {
    }

    public record RejectionRow(String reason, String comment, String rejectedBy, OffsetDateTime rejectedAt) {
    }

    public record AttemptRow(int attemptNumber, String channel, String outcome, String note, String rep,
                             OffsetDateTime attemptedAt) {
    }

    public record RecycleRow(String reason, OffsetDateTime revisitAt, OffsetDateTime recycledAt) {
    }
}
