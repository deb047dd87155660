package io.leadflow.recycling;

import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.leadflow.web.TextRules;

/**
 * Erases the free text of a lead's record tables (the lead row itself is erased by
 * {@link io.leadflow.lead.LeadRepository#markDoNotContact}). What stays is what the KPIs need and
 * is no personal data: stages with dates, scores and their rule reasons, reasons as codes,
 * attempts with channel and outcome, SLA breaches, the opportunity's amount and BANT answers.
 * Every method counts the rows it changed into {@code erased}.
 */
@Repository
class LeadRecordEraser {

    /** Separates a stage note's code (e.g. {@code reason: noBudget}) from the rep's free text. */
    static final String FREE_TEXT_SEPARATOR = " — ";

    private final JdbcClient jdbc;

    LeadRecordEraser(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void eraseFreeText(String leadId, PersonalData personal, Map<String, Integer> erased) {
        erased.merge("engagementDetails", update("update lead_engagement set detail = null where lead_id = :id and detail is not null", leadId), Integer::sum);
        erased.merge("attemptNotes", update("update lead_attempt set note = null where lead_id = :id and note is not null", leadId), Integer::sum);
        erased.merge("rejectionComments", update("update lead_rejection set comment = null where lead_id = :id and comment is not null", leadId), Integer::sum);
        erased.merge("opportunityNotes", update("update opportunity set note = null where lead_id = :id and note is not null", leadId), Integer::sum);
        erased.merge("stageNotes", eraseStageNotes(leadId, personal), Integer::sum);
        erased.merge("idempotencyKeys", update("delete from idempotency_key where lead_id = :id", leadId), Integer::sum);
        erased.merge("importErrors", eraseImportErrors(personal), Integer::sum);
    }

    /** The parts of the lead row the blacklisting leaves: the domain (derived from the email) and the score text. */
    int eraseLeadRow(String leadId) {
        return update("update lead set company_domain = null, score_explanation = null where id = :id", leadId);
    }

    /** Keeps the system's part of a stage note ("reason: noBudget"), drops a rep's free text after it. */
    private int eraseStageNotes(String leadId, PersonalData personal) {
        List<Map.Entry<Long, String>> notes = jdbc.sql("select id, note from lead_stage_entry where lead_id = :id and note is not null")
                .param("id", leadId)
                .query((rs, n) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .list();
        int changed = 0;
        for (Map.Entry<Long, String> entry : notes) {
            String note = entry.getValue();
            int free = note.indexOf(FREE_TEXT_SEPARATOR);
            String kept = free < 0 ? note : TextRules.cut(note, free);
            if (personal.occursIn(kept)) {
                kept = null;
            }
            if (!note.equals(kept)) {
                changed += jdbc.sql("update lead_stage_entry set note = :note where id = :id")
                        .param("note", kept).param("id", entry.getKey()).update();
            }
        }
        return changed;
    }

    /** Rejected CSV rows are not linked to a lead: those whose reason names the address lose the reason. */
    private int eraseImportErrors(PersonalData personal) {
        if (personal.email() == null) {
            return 0;
        }
        return jdbc.sql("update lead_import_error set reason = :erased where lower(reason) like :pattern escape '!'")
                .param("erased", "could not be captured (text erased on request)")
                .param("pattern", "%" + personal.email().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%")
                .update();
    }

    private int update(String sql, String leadId) {
        return jdbc.sql(sql).param("id", leadId).update();
    }
}
