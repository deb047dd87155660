package io.leadflow.capture;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.NewLead;
import io.leadflow.nurture.EngagementService;
import io.leadflow.sla.EngineClock;

/**
 * Creates the lead record of a new lead, or attaches a known email to its existing lead. Shared by
 * the API and the Tasklist start form, so both capture the same way.
 */
@Component
public class LeadRegistration {

    /** List imports are not hand-raisers; every other capture counts as a form fill. */
    static final String NO_ENGAGEMENT_SOURCE = "import";

    private final LeadRepository leads;
    private final EngagementService engagements;
    private final EngineClock clock;

    public LeadRegistration(LeadRepository leads, EngagementService engagements, EngineClock clock) {
        this.leads = leads;
        this.engagements = engagements;
        this.clock = clock;
    }

    /**
     * A known email is recorded as a form fill on its lead (waking a nurtured lead), unless it comes
     * from a list import, which is no sign of interest; returns that lead's id.
     */
    public Optional<String> attachIfKnown(NewLead lead, String via) {
        Optional<String> existing = leads.findIdByEmail(lead.email());
        if (!NO_ENGAGEMENT_SOURCE.equals(via)) {
            existing.ifPresent(id -> engagements.record(id, "formFill", null, "submitted again via " + via));
        }
        return existing;
    }

    /** Creates the lead record (stage Inquiry) and returns its id. */
    public String register(NewLead lead) {
        String leadId = UUID.randomUUID().toString();
        OffsetDateTime now = clock.nowUtc();
        leads.insert(leadId, lead, LeadStage.INQUIRY, now);
        if (!NO_ENGAGEMENT_SOURCE.equals(lead.source())) {
            leads.insertEngagement(leadId, "formFill", now, "captured via " + (lead.source() == null ? "api" : lead.source()), now);
        }
        return leadId;
    }
}
