package io.leadflow.recycling;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;

/**
 * "Blacklist lead": never contact again; on an erasure request the personal data is removed too
 * (the lead row stays, anonymous, so the funnel numbers keep adding up).
 */
@Component("blacklistLeadDelegate")
public class BlacklistLeadDelegate implements JavaDelegate {

    private static final String[] PERSONAL_VARIABLES = {
            LeadVariables.CONTACT_NAME, LeadVariables.FIRST_NAME, LeadVariables.LAST_NAME, LeadVariables.EMAIL,
            LeadVariables.PHONE, LeadVariables.JOB_TITLE, LeadVariables.SCORE_EXPLANATION, LeadVariables.CONTACT_NOTE,
            LeadVariables.REJECT_COMMENT, LeadVariables.ATTEMPT_HISTORY};

    private final LeadRepository leads;
    private final EngineClock clock;

    public BlacklistLeadDelegate(LeadRepository leads, EngineClock clock) {
        this.leads = leads;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String leadId = LeadContext.text(execution, LeadVariables.LEAD_ID);
        boolean erase = LeadContext.flag(execution, LeadVariables.ERASE_PERSONAL_DATA);
        leads.markDoNotContact(leadId, erase, clock.nowUtc());
        leads.enterStage(leadId, LeadStage.BLACKLISTED,
                erase ? "asked not to be contacted; personal data erased" : "asked not to be contacted", clock.nowUtc());
        if (erase) {
            for (String name : PERSONAL_VARIABLES) {
                execution.removeVariable(name);
            }
        }
    }
}
