package io.leadflow.recycling;

import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.leadflow.lead.Lead;
import io.leadflow.lead.LeadNumbers;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;
import io.leadflow.web.NotFoundException;

/**
 * Stops every contact with a lead, wherever its lifecycle is waiting ("Do not contact" event
 * sub-process). A lead without a running lifecycle (archived, disqualified, an opportunity) is
 * blacklisted here directly, so it is never revived either.
 */
@Service
public class DoNotContactService {

    private final RuntimeService runtime;
    private final LeadRepository leads;
    private final Suppressions suppressions;
    private final EngineClock clock;

    public DoNotContactService(RuntimeService runtime, LeadRepository leads, Suppressions suppressions, EngineClock clock) {
        this.runtime = runtime;
        this.leads = leads;
        this.suppressions = suppressions;
        this.clock = clock;
    }

    /**
     * @return whether a running lifecycle was stopped
     * @throws NotFoundException if there is no such lead
     */
    @Transactional
    public boolean request(String leadId, boolean erasePersonalData) {
        // the lead's row first, as a revival takes it before it starts a lifecycle: one that is under way
        // commits before the correlation below (and is stopped by it), or waits and finds the lead blacklisted
        leads.lockStage(leadId).orElseThrow(() -> new NotFoundException("lead", leadId));
        Lead lead = leads.findById(leadId).orElseThrow(() -> new NotFoundException("lead", leadId));
        boolean stopped = false;
        for (String businessKey : LeadNumbers.businessKeys(leadId, lead.number())) {
            stopped |= !runtime.createMessageCorrelation(LeadVariables.MESSAGE_DO_NOT_CONTACT)
                    .processInstanceBusinessKey(businessKey)
                    .setVariable(LeadVariables.ERASE_PERSONAL_DATA, erasePersonalData)
                    .correlateAllWithResult()
                    .isEmpty();
        }
        if (!stopped) {
            boolean alreadyBlacklisted = lead.doNotContact() && lead.stage() == LeadStage.BLACKLISTED;
            boolean eraseNow = erasePersonalData && lead.erasedAt() == null;
            if (!alreadyBlacklisted || eraseNow) {
                BlacklistLeadDelegate.blacklist(leads, suppressions, leadId, erasePersonalData, clock.nowUtc());
            }
        }
        return stopped;
    }
}
