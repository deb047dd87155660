package io.leadflow.reporting;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.leadflow.lead.LeadNumbers;

/**
 * Nine leads written straight into the lead record tables, small enough that every KPI of November
 * 2026 can be computed by hand (the tests do so next to each assertion). All times UTC. L7-L9 make
 * the definitions visible: L7 passes through the waterfall twice in November (counted twice; its
 * velocity measured from the latest earlier entry, never from a later one; only its first attempt
 * ever is speed to lead, though each pass's first attempt is numbered 1); L8's first pass and first
 * attempts were in October, its second MQL exactly at the period's start (counted); L9's MQL is
 * exactly at its end (December's).
 *
 * <pre>
 * lead source/campaign rep  grade  path
 * L1   webForm/bf      sam  A      captured 11-02 09:00, MQL 09:00, SAL 11:00, attempt 1 09:30 connected,
 *                                  SQL 11-03 11:00, opportunity 11-04 09:00 (1000)
 * L2   webForm/bf      sara B      captured 11-03 10:00, MQL 10:00, SAL 14:00, attempt 1 15:00 no answer,
 *                                  attempt 2 11-04 10:00 connected, SQL 11-05 10:00
 * L3   import/-        sam  C      captured 11-05 08:00, MQL 11-06 08:00, Review MQL breached 11-06 17:00,
 *                                  rejected clerical by sam 11-06 12:00, SAL 11-07 08:00, first touch
 *                                  breached 11-07 08:30 (sam), attempt 1 09:00 no answer, attempt 2 13:00
 *                                  voicemail, recycled unreachable 11-20
 * L4   import/-        -    D      captured 11-10 (Inquiry only)
 * L5   webForm/bf      sara B      captured 10-20 10:00, MQL 10-21 10:00, rejected procedural by sam 10-31,
 *                                  SAL 11-01 10:00, recycled timing 11-15
 * L6   api/spring      sam  B      captured 11-12 09:00, MQL 09:00, Accept lead breached 11-12 (sam),
 *                                  rejected definitional by sara 11-13
 * L7   event/expo      sara B      captured 11-02 09:00, MQL 09:00, SAL 11-03 13:00, attempt 1 14:00 connected,
 *                                  recycled timing 11-04 10:00; MQL again 11-16 09:00, SAL 15:00,
 *                                  attempt 1 (numbered 1 again) 16:00 connected, SQL 11-18 15:00
 * L8   event/expo      sara C      captured 10-01 09:00, MQL 09:00, SAL 10-02 09:00, attempt 1 10:00 no answer,
 *                                  attempt 2 10-05 10:00 no answer, recycled unreachable 10-16 10:00;
 *                                  MQL again 11-01 00:00 (re-scored at midnight), SAL 11-02 12:00,
 *                                  attempt 1 (numbered 1 again) 13:00 connected, SQL 11-03 18:00
 * L9   import/-        -    B      captured 11-30 18:00, MQL 12-01 00:00 (re-scored at midnight)
 * </pre>
 */
final class KpiDataSet {

    static final OffsetDateTime NOVEMBER = t("11-01T00:00");
    static final OffsetDateTime DECEMBER = t("12-01T00:00");

    private final JdbcClient jdbc;

    KpiDataSet(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert() {
        lead("L1", "webForm", "bf", "sam", "A", "11-02T09:00");
        stage("L1", "MQL", "11-02T09:00");
        stage("L1", "SAL", "11-02T11:00");
        attempt("L1", 1, "connected", "sam", "11-02T09:30");
        stage("L1", "SQL", "11-03T11:00");
        stage("L1", "OPPORTUNITY", "11-04T09:00");
        jdbc.sql("insert into opportunity (lead_id, sales_rep, amount, created_at) values ('L1', 'sam', :amount, :at)")
                .param("amount", new BigDecimal("1000.00")).param("at", t("11-04T09:00")).update();

        lead("L2", "webForm", "bf", "sara", "B", "11-03T10:00");
        stage("L2", "MQL", "11-03T10:00");
        stage("L2", "SAL", "11-03T14:00");
        attempt("L2", 1, "noAnswer", "sara", "11-03T15:00");
        attempt("L2", 2, "connected", "sara", "11-04T10:00");
        stage("L2", "SQL", "11-05T10:00");

        lead("L3", "import", null, "sam", "C", "11-05T08:00");
        stage("L3", "MQL", "11-06T08:00");
        breach("L3", "reviewMql", null, "11-06T17:00");
        rejection("L3", "clerical", "sam", "11-06T12:00");
        stage("L3", "SAL", "11-07T08:00");
        breach("L3", "firstTouch", "sam", "11-07T08:30");
        attempt("L3", 1, "noAnswer", "sam", "11-07T09:00");
        attempt("L3", 2, "voicemail", "sam", "11-07T13:00");
        recycle("L3", "unreachable", "11-20T10:00");

        lead("L4", "import", null, null, "D", "11-10T10:00");

        lead("L5", "webForm", "bf", "sara", "B", "10-20T10:00");
        stage("L5", "MQL", "10-21T10:00");
        rejection("L5", "procedural", "sam", "10-31T10:00");
        stage("L5", "SAL", "11-01T10:00");
        recycle("L5", "timing", "11-15T10:00");

        lead("L6", "api", "spring", "sam", "B", "11-12T09:00");
        stage("L6", "MQL", "11-12T09:00");
        breach("L6", "acceptLead", "sam", "11-12T14:00");
        rejection("L6", "definitional", "sara", "11-13T10:00");

        // recycled and qualified again inside November: two entries of MQL and SAL in the month
        lead("L7", "event", "expo", "sara", "B", "11-02T09:00");
        stage("L7", "MQL", "11-02T09:00");
        stage("L7", "SAL", "11-03T13:00");
        attempt("L7", 1, "connected", "sara", "11-03T14:00");
        recycle("L7", "timing", "11-04T10:00");
        stage("L7", "MQL", "11-16T09:00");
        stage("L7", "SAL", "11-16T15:00");
        attempt("L7", 1, "connected", "sara", "11-16T16:00"); // each follow-up numbers its attempts from 1
        stage("L7", "SQL", "11-18T15:00");

        // first pass (and first attempts) in October; back exactly at the start of November
        lead("L8", "event", "expo", "sara", "C", "10-01T09:00");
        stage("L8", "MQL", "10-01T09:00");
        stage("L8", "SAL", "10-02T09:00");
        attempt("L8", 1, "noAnswer", "sara", "10-02T10:00");
        attempt("L8", 2, "noAnswer", "sara", "10-05T10:00");
        recycle("L8", "unreachable", "10-16T10:00");
        stage("L8", "MQL", "11-01T00:00");
        stage("L8", "SAL", "11-02T12:00");
        attempt("L8", 1, "connected", "sara", "11-02T13:00");
        stage("L8", "SQL", "11-03T18:00");

        // an MQL exactly at the end of November belongs to December
        lead("L9", "import", null, null, "B", "11-30T18:00");
        stage("L9", "MQL", "12-01T00:00");
        // deadlines the attainment does not count tasks for (yet): their breaches must not count against it
        breach("L3", "fixLeadData", null, "11-06T20:00");
        breach("L6", "qualifyLead", "sara", "11-14T10:00");
        breach("L7", "assignByHand", null, "11-16T13:00");
    }

    static OffsetDateTime t(String monthDayTime) {
        return OffsetDateTime.parse("2026-" + monthDayTime + ":00Z");
    }

    private void lead(String id, String source, String campaign, String rep, String grade, String created) {
        jdbc.sql("""
                insert into lead (id, lead_number, email, email_normalized, source, campaign, stage, fit_grade, sales_rep,
                                  created_at, updated_at)
                values (:id, :number, :email, :email, :source, :campaign, 'INQUIRY', :grade, :rep, :at, :at)
                """)
                .param("id", id).param("number", LeadNumbers.format(t(created), jdbc.sql("select nextval('lead_number_seq')")
                        .query(Long.class).single()))
                .param("email", id.toLowerCase() + "@kpi.example").param("source", source)
                .param("campaign", campaign).param("grade", grade).param("rep", rep).param("at", t(created)).update();
    }

    private void stage(String lead, String stage, String at) {
        jdbc.sql("insert into lead_stage_entry (lead_id, stage, entered_at) values (:lead, :stage, :at)")
                .param("lead", lead).param("stage", stage).param("at", t(at)).update();
    }

    private void attempt(String lead, int number, String outcome, String rep, String at) {
        jdbc.sql("""
                insert into lead_attempt (lead_id, attempt_number, channel, outcome, rep, attempted_at)
                values (:lead, :number, 'phone', :outcome, :rep, :at)
                """)
                .param("lead", lead).param("number", number).param("outcome", outcome).param("rep", rep).param("at", t(at)).update();
    }

    private void rejection(String lead, String reason, String rep, String at) {
        jdbc.sql("insert into lead_rejection (lead_id, reason, rejected_by, rejected_at) values (:lead, :reason, :rep, :at)")
                .param("lead", lead).param("reason", reason).param("rep", rep).param("at", t(at)).update();
    }

    private void recycle(String lead, String reason, String at) {
        jdbc.sql("insert into lead_recycle (lead_id, reason, recycled_at) values (:lead, :reason, :at)")
                .param("lead", lead).param("reason", reason).param("at", t(at)).update();
    }

    private void breach(String lead, String sla, String assignee, String at) {
        jdbc.sql("""
                insert into sla_breach (lead_id, sla, task_key, breached_at, assignee)
                values (:lead, :sla, 'Task_X', :at, :assignee)
                """)
                .param("lead", lead).param("sla", sla).param("assignee", assignee).param("at", t(at)).update();
    }
}
