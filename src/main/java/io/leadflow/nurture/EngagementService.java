package io.leadflow.nurture;

import java.time.OffsetDateTime;
import java.util.Set;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.leadflow.lead.LeadNumbers;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;
import io.leadflow.web.NotFoundException;

/**
 * Records a behaviour event on the lead and wakes its nurture process (message correlation by
 * business key: the lead's number, or its id for an instance started before lead numbers). An event for a lead that is not in nurture is still recorded: the next
 * scoring counts it. An archived lead is revived: it enters a new lifecycle as an inquiry.
 * <p>
 * The database decides races. Events of one lead queue on the lead's row lock, so each one is
 * recorded and correlated after the one before has committed, and the nurture re-scores with every
 * event stored so far; a race lost anyway (the engine's optimistic lock, a lock wait timed out) is
 * retried in a new transaction. Only one event can revive an archived lead: the stage changes from
 * Archived to Inquiry by a conditional update, which one transaction wins.
 */
@Service
public class EngagementService {

    public static final Set<String> TYPES = Set.of("pageVisit", "download", "emailClick", "webinar", "formFill");

    static final int MAX_ATTEMPTS = 10;

    private final LeadRepository leads;
    private final RuntimeService runtime;
    private final TransactionTemplate transactions;
    private final EngineClock clock;

    public EngagementService(LeadRepository leads, RuntimeService runtime, TransactionTemplate transactions, EngineClock clock) {
        this.leads = leads;
        this.runtime = runtime;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Records the event in its own transaction, retried when it loses a race. Called inside a
     * running transaction (a capture of a known email, the Tasklist start form) it joins that
     * transaction, and the caller retries.
     *
     * @throws NotFoundException if there is no such lead (nothing is recorded)
     * @return whether the lead's lifecycle moved (a waiting nurture was woken up, or an archived lead
     *         gone cold or recycled too often was revived with a new lifecycle), or that nothing was
     *         recorded because the lead asked not to be contacted or was erased
     */
    public Outcome record(String leadId, String type, OffsetDateTime occurredAt, String detail) {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("Unknown engagement type '" + type + "', expected one of " + TYPES);
        }
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return recordOnce(leadId, type, occurredAt, detail);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(status -> recordOnce(leadId, type, occurredAt, detail));
            } catch (OptimisticLockingException | PessimisticLockingFailureException raceLost) {
                if (attempt == MAX_ATTEMPTS) {
                    throw raceLost;
                }
            }
        }
    }

    /**
     * Takes the lead's row lock first, in the caller's transaction too: events of one lead (an API
     * event, a known email captured again) then wake or revive it one after the other. Without the
     * lock in a capture, eight resubmissions of an archived lead at once correlated the message while
     * another one was starting the revived lifecycle, and the engine read that half-committed
     * instance tree (a NullPointerException, answered 500).
     */
    private Outcome recordOnce(String leadId, String type, OffsetDateTime occurredAt, String detail) {
        LeadRepository.Locked lead = leads.lock(leadId).orElseThrow(() -> new NotFoundException("lead", leadId));
        if (lead.doNotContact()) {
            // an erasure or a do-not-contact that came first while this event waited for the lock: the
            // caller checked before, this is what decides (an event stored now kept the erased person's text)
            return Outcome.SUPPRESSED;
        }
        LeadStage stage = lead.stage();
        OffsetDateTime now = clock.nowUtc();
        leads.insertEngagement(leadId, type, occurredAt == null ? now : occurredAt, detail, now);
        String number = leads.findNumber(leadId).orElse(null);
        boolean woken = false;
        for (String businessKey : LeadNumbers.businessKeys(leadId, number)) {
            woken |= !runtime.createMessageCorrelation(LeadVariables.MESSAGE_ENGAGEMENT_RECORDED)
                    .processInstanceBusinessKey(businessKey)
                    .correlateAllWithResult()
                    .isEmpty();
        }
        return woken || (stage == LeadStage.ARCHIVED && revive(leadId, number, type, now)) ? Outcome.WOKE_LIFECYCLE : Outcome.RECORDED;
    }

    /** What became of an event. */
    public enum Outcome {
        /** stored on the lead; its lifecycle did not wait for it */
        RECORDED,
        /** stored, and it woke the lead's nurture or revived the archived lead */
        WOKE_LIFECYCLE,
        /** not stored: the lead asked not to be contacted, or was erased */
        SUPPRESSED
    }

    /** Starts a new lifecycle for an archived lead, unless another event revived it first. */
    private boolean revive(String leadId, String number, String type, OffsetDateTime now) {
        if (!leads.enterStageIf(leadId, LeadStage.ARCHIVED, LeadStage.INQUIRY, "revived by new engagement: " + type, now)) {
            return false;
        }
        runtime.createProcessInstanceByKey(LeadVariables.PROCESS_LEAD_LIFECYCLE)
                .businessKey(number)
                .setVariable(LeadVariables.LEAD_ID, leadId)
                .setVariable(LeadVariables.LEAD_NUMBER, number)
                .execute();
        return true;
    }
}
