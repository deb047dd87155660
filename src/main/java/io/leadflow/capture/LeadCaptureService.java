package io.leadflow.capture;

import java.util.Optional;
import java.util.UUID;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.LeadVariables;
import io.leadflow.lead.NewLead;
import io.leadflow.nurture.EngagementService;
import io.leadflow.sla.EngineClock;

/**
 * Captures a validated lead: a new email creates the lead record and starts its lifecycle in one
 * transaction; a known email is recorded as an engagement on the existing lead.
 */
@Service
public class LeadCaptureService {

    private final LeadRepository leads;
    private final RuntimeService runtime;
    private final EngagementService engagements;
    private final EngineClock clock;

    public LeadCaptureService(LeadRepository leads, RuntimeService runtime, EngagementService engagements, EngineClock clock) {
        this.leads = leads;
        this.runtime = runtime;
        this.engagements = engagements;
        this.clock = clock;
    }

    @Transactional
    public CapturedLead capture(NewLead lead) {
        Optional<String> existing = leads.findIdByEmail(lead.email());
        if (existing.isPresent()) {
            engagements.record(existing.get(), "formFill", null,
                    "submitted again" + (lead.source() == null ? "" : " via " + lead.source()));
            return new CapturedLead(existing.get(), false, null);
        }
        String leadId = UUID.randomUUID().toString();
        leads.insert(leadId, lead, LeadStage.INQUIRY, clock.nowUtc());
        ProcessInstance instance = runtime.createProcessInstanceByKey(LeadVariables.PROCESS_LEAD_LIFECYCLE)
                .businessKey(leadId)
                .setVariable(LeadVariables.LEAD_ID, leadId)
                .execute();
        return new CapturedLead(leadId, true, instance.getId());
    }
}
