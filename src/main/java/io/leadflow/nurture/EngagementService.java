package io.leadflow.nurture;

import java.time.OffsetDateTime;
import java.util.Set;

import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;
import io.leadflow.web.NotFoundException;

/**
 * Records a behaviour event on the lead and wakes its nurture process (message correlation by
 * lead id = business key). An event for a lead that is not in nurture is still recorded: the next
 * scoring counts it. An archived lead is revived: it enters a new lifecycle as an inquiry.
 */
@Service
public class EngagementService {

    public static final Set<String> TYPES = Set.of("pageVisit", "download", "emailClick", "webinar", "formFill");

    private final LeadRepository leads;
    private final RuntimeService runtime;
    private final EngineClock clock;

    public EngagementService(LeadRepository leads, RuntimeService runtime, EngineClock clock) {
        this.leads = leads;
        this.runtime = runtime;
        this.clock = clock;
    }

    /**
     * @throws NotFoundException if there is no such lead (nothing is recorded)
     * @return whether the lead's lifecycle moved: a waiting nurture was woken up, or an archived
     *         lead (gone cold or recycled too often) was revived with a new lifecycle
     */
    @Transactional
    public boolean record(String leadId, String type, OffsetDateTime occurredAt, String detail) {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("Unknown engagement type '" + type + "', expected one of " + TYPES);
        }
        LeadStage stage = leads.findById(leadId).orElseThrow(() -> new NotFoundException("lead", leadId)).stage();
        OffsetDateTime now = clock.nowUtc();
        leads.insertEngagement(leadId, type, occurredAt == null ? now : occurredAt, detail, now);
        boolean woken = !runtime.createMessageCorrelation(LeadVariables.MESSAGE_ENGAGEMENT_RECORDED)
                .processInstanceBusinessKey(leadId)
                .correlateAllWithResult()
                .isEmpty();
        return woken || (stage == LeadStage.ARCHIVED && revive(leadId, type, now));
    }

    /** Starts a new lifecycle for an archived lead, unless one is already running. */
    private boolean revive(String leadId, String type, OffsetDateTime now) {
        boolean running = runtime.createProcessInstanceQuery().processInstanceBusinessKey(leadId)
                .processDefinitionKey(LeadVariables.PROCESS_LEAD_LIFECYCLE).count() > 0;
        if (running) {
            return false;
        }
        leads.enterStage(leadId, LeadStage.INQUIRY, "revived by new engagement: " + type, now);
        runtime.createProcessInstanceByKey(LeadVariables.PROCESS_LEAD_LIFECYCLE)
                .businessKey(leadId)
                .setVariable(LeadVariables.LEAD_ID, leadId)
                .execute();
        return true;
    }
}
