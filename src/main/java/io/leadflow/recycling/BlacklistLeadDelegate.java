package io.leadflow.recycling;

import java.time.OffsetDateTime;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.leadflow.lead.Lead;
import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;

/**
 * "Blacklist lead": never contact again. The address is remembered as a salted hash
 * ({@link Suppressions}), so it cannot come back as a new lead; on an erasure request the personal
 * data of the record and of this instance's variables is removed too (the lead row stays,
 * anonymous, so the funnel numbers keep adding up). The engine's history and the other places are
 * erased by {@link LeadErasure}, which {@code POST /api/leads/{id}/erasure} runs after this.
 */
@Component("blacklistLeadDelegate")
public class BlacklistLeadDelegate implements JavaDelegate {

    private static final String[] PERSONAL_VARIABLES = {
            LeadVariables.CONTACT_NAME, LeadVariables.FIRST_NAME, LeadVariables.LAST_NAME, LeadVariables.EMAIL,
            LeadVariables.PHONE, LeadVariables.JOB_TITLE, LeadVariables.SCORE_EXPLANATION, LeadVariables.CONTACT_NOTE,
            LeadVariables.REJECT_COMMENT, LeadVariables.ATTEMPT_HISTORY, LeadVariables.REVIEW_NOTE, LeadVariables.FIX_NOTE,
            LeadVariables.QUALIFICATION_NOTE, LeadVariables.LAST_REJECTION, LeadVariables.PREVIOUS_REVIEW_NOTE};

    private final LeadRepository leads;
    private final Suppressions suppressions;
    private final EngineClock clock;

    public BlacklistLeadDelegate(LeadRepository leads, Suppressions suppressions, EngineClock clock) {
        this.leads = leads;
        this.suppressions = suppressions;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String leadId = LeadContext.leadId(execution, leads);
        boolean erase = LeadContext.flag(execution, LeadVariables.ERASE_PERSONAL_DATA);
        blacklist(leads, suppressions, leadId, erase, clock.nowUtc());
        if (erase) {
            for (String name : PERSONAL_VARIABLES) {
                execution.removeVariable(name);
            }
        }
    }

    /** Marks the lead, remembers its address and records the stage (also used when no lifecycle runs). */
    static void blacklist(LeadRepository leads, Suppressions suppressions, String leadId, boolean erase, OffsetDateTime now) {
        Lead lead = leads.get(leadId);
        if (lead.erasedAt() == null) {
            suppressions.suppress(lead.email(), leadId, now);
        }
        leads.markDoNotContact(leadId, erase, now);
        leads.enterStage(leadId, LeadStage.BLACKLISTED,
                erase ? "asked not to be contacted; personal data erased" : "asked not to be contacted", now);
    }
}
