package io.leadflow.recycling;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.leadflow.lead.Lead;
import io.leadflow.lead.LeadRepository;
import io.leadflow.sla.EngineClock;
import io.leadflow.web.NotFoundException;

/**
 * Erasure on request (GDPR Art. 17): stops the lead's lifecycle ("Do not contact"), remembers its
 * address only as a salted hash, and removes its personal data from the lead record, the free
 * text of its record tables and the engine (runtime and history, notifications included), all in
 * one transaction. Running it again for an erased lead erases what may have been written since and
 * changes nothing else. A race with the job executor or a second request (optimistic locking,
 * duplicate key) is retried in a new transaction, like a capture.
 */
@Service
public class LeadErasure {

    static final int MAX_ATTEMPTS = 5;

    /** What is kept of an erased lead, and why it is no personal data (shown in every report). */
    static final List<String> KEPT = List.of(
            "lead row without personal data: id, company, industry, company size, country, role, source, campaign, stage, scores",
            "stage entries with dates and their system notes (reasons as codes)",
            "score reasons (rules of the scoring tables), attempts (channel, outcome, rep), rejection and recycle reasons as codes, SLA breaches, the opportunity's amount and BANT answers",
            "the engine's process, activity and task instances of the lead (which step, when, by which employee), without variables",
            "a salted hash of the normalized email, so the address is never captured again");
    /** What is kept for an address that is no lead: only what keeps it from being captured. */
    static final List<String> KEPT_OF_AN_ADDRESS = List.of(KEPT.get(KEPT.size() - 1));

    private static final Logger log = LoggerFactory.getLogger(LeadErasure.class);

    private final LeadRepository leads;
    private final DoNotContactService doNotContact;
    private final Suppressions suppressions;
    private final LeadRecordEraser records;
    private final EngineErasure engine;
    private final TransactionTemplate transactions;
    private final EngineClock clock;

    LeadErasure(LeadRepository leads, DoNotContactService doNotContact, Suppressions suppressions, LeadRecordEraser records,
                EngineErasure engine, TransactionTemplate transactions, EngineClock clock) {
        this.leads = leads;
        this.doNotContact = doNotContact;
        this.suppressions = suppressions;
        this.records = records;
        this.engine = engine;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** @throws NotFoundException if there is no such lead (nothing changes) */
    public ErasureReport erase(String leadId) {
        for (int attempt = 1; ; attempt++) {
            try {
                ErasureReport report = transactions.execute(status -> eraseOnce(leadId));
                log.info("Lead {} erased on request: {}", leadId, report.erased());
                return report;
            } catch (DuplicateKeyException | OptimisticLockingException raceLost) {
                if (attempt == MAX_ATTEMPTS) {
                    throw raceLost;
                }
            }
        }
    }

    /**
     * Erasure by address, for a request that names no lead id: the lead with this address is erased
     * as above; an address that is no lead (or no longer one) is only suppressed, so it is never
     * captured (report without lead id, nothing erased).
     * <p>
     * A capture of the same, so far unknown, address in the very same moment may still create its
     * lead (neither transaction sees the other's uncommitted row); that lead's address is suppressed
     * from then on, and a second request erases it.
     */
    public ErasureReport eraseByEmail(String email) {
        Optional<String> leadId = leads.findIdByEmail(email);
        if (leadId.isPresent()) {
            return erase(leadId.get());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                transactions.executeWithoutResult(status -> suppressions.suppress(email, null, clock.nowUtc()));
                log.info("Erasure request for an address that is no lead: suppressed");
                return new ErasureReport(null, clock.nowUtc(), false, Map.of(), KEPT_OF_AN_ADDRESS);
            } catch (DuplicateKeyException raceLost) {
                if (attempt == MAX_ATTEMPTS) {
                    throw raceLost;
                }
            }
        }
    }

    private ErasureReport eraseOnce(String leadId) {
        // the lead's row first, as a revival takes it before it starts a lifecycle: one that is under way
        // commits before this reads the running lifecycles (and is stopped), or waits and finds the lead blacklisted
        leads.lockStage(leadId).orElseThrow(() -> new NotFoundException("lead", leadId));
        Lead lead = leads.findById(leadId).orElseThrow(() -> new NotFoundException("lead", leadId));
        PersonalData personal = PersonalData.of(lead);
        OffsetDateTime now = clock.nowUtc();
        Map<String, Integer> erased = new LinkedHashMap<>();
        if (lead.erasedAt() == null) {
            suppressions.suppress(lead.email(), leadId, now);
        }
        records.eraseFreeText(leadId, personal, erased);
        boolean stopped = doNotContact.request(leadId, true);
        erased.put("leadRecord", records.eraseLeadRow(leadId));
        engine.erase(leadId, personal, erased);
        return new ErasureReport(leadId, leads.get(leadId).erasedAt(), stopped, erased, KEPT);
    }

    /**
     * The answer to an erasure: which lead, when, whether a running lifecycle was stopped, how many
     * entries were erased per place, and what is kept.
     */
    public record ErasureReport(String leadId, OffsetDateTime erasedAt, boolean stoppedLifecycle,
                                Map<String, Integer> erased, List<String> kept) {
    }
}
