package io.leadflow.capture;

import java.util.Optional;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.leadflow.lead.LeadVariables;
import io.leadflow.lead.NewLead;

/**
 * Captures a validated lead: a new email creates the lead record and starts its lifecycle in one
 * transaction; a known email is recorded as an engagement on the existing lead.
 */
@Service
public class LeadCaptureService {

    private final LeadRegistration registration;
    private final RuntimeService runtime;

    public LeadCaptureService(LeadRegistration registration, RuntimeService runtime) {
        this.registration = registration;
        this.runtime = runtime;
    }

    @Transactional
    public CapturedLead capture(NewLead lead) {
        Optional<String> existing = registration.attachIfKnown(lead, lead.source() == null ? "api" : lead.source());
        if (existing.isPresent()) {
            return new CapturedLead(existing.get(), false, null);
        }
        String leadId = registration.register(lead);
        ProcessInstance instance = runtime.createProcessInstanceByKey(LeadVariables.PROCESS_LEAD_LIFECYCLE)
                .businessKey(leadId)
                .setVariable(LeadVariables.LEAD_ID, leadId)
                .execute();
        return new CapturedLead(leadId, true, instance.getId());
    }
}
