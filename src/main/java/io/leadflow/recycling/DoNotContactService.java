package io.leadflow.recycling;

import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.leadflow.lead.LeadVariables;

/** Stops every contact with a lead, wherever its lifecycle is waiting ("Do not contact" event sub-process). */
@Service
public class DoNotContactService {

    private final RuntimeService runtime;

    public DoNotContactService(RuntimeService runtime) {
        this.runtime = runtime;
    }

    /** @return whether a running lifecycle was stopped */
    @Transactional
    public boolean request(String leadId, boolean erasePersonalData) {
        return !runtime.createMessageCorrelation(LeadVariables.MESSAGE_DO_NOT_CONTACT)
                .processInstanceBusinessKey(leadId)
                .setVariable(LeadVariables.ERASE_PERSONAL_DATA, erasePersonalData)
                .correlateAllWithResult()
                .isEmpty();
    }
}
