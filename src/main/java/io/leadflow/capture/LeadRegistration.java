package io.leadflow.capture;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.NewLead;
import io.leadflow.nurture.EngagementService;
import io.leadflow.recycling.Suppressions;
import io.leadflow.sla.EngineClock;

/**
 * Creates the lead record of a new lead, or attaches a known email to its existing lead. Shared by
 * the API and the Tasklist start form, so both capture the same way.
 */
@Component
public class LeadRegistration {

    /** List imports are not hand-raisers; every other capture counts as a form fill. */
    static final String NO_ENGAGEMENT_SOURCE = "import";

    private static final Logger log = LoggerFactory.getLogger(LeadRegistration.class);

    private final LeadRepository leads;
    private final EngagementService engagements;
    private final Suppressions suppressions;
    private final EngineClock clock;

    public LeadRegistration(LeadRepository leads, EngagementService engagements, Suppressions suppressions,
                            EngineClock clock) {
        this.leads = leads;
        this.engagements = engagements;
        this.suppressions = suppressions;
        this.clock = clock;
    }

    /** What capture found for an address: a known lead, a new one, or an address that must not be captured. */
    public record Match(Optional<String> knownLeadId, boolean suppressed) {
    }

    /**
     * Whether the address asked not to be contacted (erased or not), else {@link #attachIfKnown}.
     * A suppressed address touches nothing and is counted ({@value Suppressions#REFUSED_METRIC}).
     * <p>
     * The lead is looked up before the suppression list: a do-not-contact request blacklists the
     * lead (and an erasure replaces its address) and suppresses the address in one transaction, so
     * when it commits between the two reads, the second one sees it; no new lead is created for an
     * address that was just erased.
     */
    public Match match(NewLead lead, String via) {
        Optional<String> existing = leads.findIdByEmail(lead.email());
        if (suppressions.isSuppressed(lead.email())) {
            Suppressions.countRefused(via);
            log.info("Capture via {} refused: the address asked not to be contacted{}", via,
                    existing.map(id -> " (lead " + id + ")").orElse(""));
            return new Match(Optional.empty(), true);
        }
        return new Match(attach(existing, via), false);
    }

    /**
     * A known email is recorded as a form fill on its lead (waking a nurtured lead), unless it comes
     * from a list import, which is no sign of interest; returns that lead's id.
     */
    public Optional<String> attachIfKnown(NewLead lead, String via) {
        return attach(leads.findIdByEmail(lead.email()), via);
    }

    private Optional<String> attach(Optional<String> existing, String via) {
        if (!NO_ENGAGEMENT_SOURCE.equals(via)) {
            existing.ifPresent(id -> engagements.record(id, "formFill", null, "submitted again via " + via));
        }
        return existing;
    }

    /** A new lead: its id (for systems) and its readable number (for people, the business key). */
    public record Registered(String leadId, String number) {
    }

    /** Creates the lead record (stage Inquiry, with its number) and returns its id and number. */
    public Registered register(NewLead lead) {
        String leadId = UUID.randomUUID().toString();
        OffsetDateTime now = clock.nowUtc();
        String number = leads.insert(leadId, lead, LeadStage.INQUIRY, now);
        if (!NO_ENGAGEMENT_SOURCE.equals(lead.source())) {
            leads.insertEngagement(leadId, "formFill", now, "captured via " + (lead.source() == null ? "api" : lead.source()), now);
        }
        return new Registered(leadId, number);
    }

    /** The number of a known lead. */
    public String numberOf(String leadId) {
        return leads.findNumber(leadId).orElseThrow(() -> new IllegalStateException("No lead with id " + leadId));
    }
}
