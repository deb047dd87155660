package io.leadflow.nurture;

import java.time.OffsetDateTime;
import java.util.Set;

import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;

/**
 * Records a behaviour event on the lead and wakes its nurture process (message correlation by
 * lead id = business key). An event for a lead that is not in nurture is still recorded: the next
 * scoring counts it.
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

    /** @return whether a waiting nurture process was woken up */
    @Transactional
    public boolean record(String leadId, String type, OffsetDateTime occurredAt, String detail) {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("Unknown engagement type '" + type + "', expected one of " + TYPES);
        }
        OffsetDateTime now = clock.nowUtc();
        leads.insertEngagement(leadId, type, occurredAt == null ? now : occurredAt, detail, now);
        return !runtime.createMessageCorrelation(LeadVariables.MESSAGE_ENGAGEMENT_RECORDED)
                .processInstanceBusinessKey(leadId)
                .correlateAllWithResult()
                .isEmpty();
    }
}
