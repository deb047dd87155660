package io.leadflow.capture;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.runtime.ProcessInstantiationBuilder;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.leadflow.lead.LeadVariables;
import io.leadflow.lead.NewLead;
import io.leadflow.scoring.PinnedScoring;
import io.leadflow.scoring.ScoringTables;
import io.leadflow.sla.EngineClock;

/**
 * Captures a validated lead: a new email creates the lead record (with its number) and starts its
 * lifecycle, the number as business key, in one transaction; a known email is recorded as an engagement on the existing lead. The database
 * decides races: when two nodes or threads capture the same email (or use the same idempotency
 * key) at once, the unique constraint lets one win and the other retries and finds the winner; a
 * lock wait that timed out or a deadlock (a capture of a known email meeting an engagement event on
 * the same lead) is retried the same way.
 */
@Service
public class LeadCaptureService {

    static final int MAX_ATTEMPTS = 5;

    private final LeadRegistration registration;
    private final RuntimeService runtime;
    private final RepositoryService repository;
    private final ScoringTables scoring;
    private final IdempotencyKeys idempotencyKeys;
    private final TransactionTemplate transactions;
    private final EngineClock clock;

    public LeadCaptureService(LeadRegistration registration, RuntimeService runtime, RepositoryService repository,
                              ScoringTables scoring, IdempotencyKeys idempotencyKeys, TransactionTemplate transactions,
                              EngineClock clock) {
        this.registration = registration;
        this.runtime = runtime;
        this.repository = repository;
        this.scoring = scoring;
        this.idempotencyKeys = idempotencyKeys;
        this.transactions = transactions;
        this.clock = clock;
    }

    public CapturedLead capture(NewLead lead) {
        return capture(lead, null, null, null);
    }

    /**
     * @param idempotencyKey optional: a repeated request of the same caller with the same key and body
     *                       gets the first answer again and changes nothing; the same key with another
     *                       body is refused
     * @param caller         who sends it (the API key's name or the user): each caller has its own keys
     */
    public CapturedLead capture(NewLead lead, String idempotencyKey, String caller) {
        return capture(lead, idempotencyKey, caller, null);
    }

    /** A row of an import: a new lead starts on the import's versions of the lifecycle and the scoring tables. */
    public CapturedLead capture(NewLead lead, LeadModels models) {
        return capture(lead, null, null, models);
    }

    /**
     * The lifecycle and scoring tables deployed now, for an import to use on all its rows.
     *
     * @throws IllegalStateException when no lifecycle is deployed
     */
    public LeadModels currentModels() {
        ProcessDefinition lifecycle = repository.createProcessDefinitionQuery()
                .processDefinitionKey(LeadVariables.PROCESS_LEAD_LIFECYCLE).withoutTenantId().latestVersion().singleResult();
        if (lifecycle == null) {
            throw new IllegalStateException("No process '" + LeadVariables.PROCESS_LEAD_LIFECYCLE + "' is deployed");
        }
        return new LeadModels(lifecycle.getId(), scoring.pinned());
    }

    private CapturedLead capture(NewLead lead, String idempotencyKey, String caller, LeadModels models) {
        String fingerprint = idempotencyKey == null ? null : fingerprint(lead);
        Supplier<CapturedLead> once = () -> transactions.execute(status -> captureOnce(lead, idempotencyKey, caller, fingerprint, models));
        for (int attempt = 1; ; attempt++) {
            try {
                return models == null ? once.get() : PinnedScoring.during(models.scoring(), once);
            } catch (DuplicateKeyException | OptimisticLockingException | PessimisticLockingFailureException raceLost) {
                if (attempt == MAX_ATTEMPTS) {
                    throw raceLost;
                }
            }
        }
    }

    private CapturedLead captureOnce(NewLead lead, String idempotencyKey, String caller, String fingerprint, LeadModels models) {
        if (idempotencyKey != null) {
            Optional<IdempotencyKeys.Entry> earlier = idempotencyKeys.find(caller, idempotencyKey);
            if (earlier.isPresent()) {
                if (!earlier.get().fingerprint().equals(fingerprint)) {
                    throw new IdempotencyKeyReusedException(idempotencyKey);
                }
                String leadId = earlier.get().leadId();
                return new CapturedLead(leadId, registration.numberOf(leadId), earlier.get().createdLead(), null, true);
            }
        }
        CapturedLead captured = captureNew(lead, models);
        if (idempotencyKey != null && !captured.suppressed()) {
            idempotencyKeys.insert(caller, idempotencyKey, fingerprint, captured.leadId(), captured.created(), clock.nowUtc());
        }
        return captured;
    }

    private CapturedLead captureNew(NewLead lead, LeadModels models) {
        LeadRegistration.Match match = registration.match(lead, lead.source() == null ? "api" : lead.source());
        if (match.suppressed()) {
            return CapturedLead.suppressedAddress();
        }
        Optional<String> existing = match.knownLeadId();
        if (existing.isPresent()) {
            return new CapturedLead(existing.get(), registration.numberOf(existing.get()), false, null, false);
        }
        LeadRegistration.Registered registered = registration.register(lead);
        ProcessInstantiationBuilder start = models == null
                ? runtime.createProcessInstanceByKey(LeadVariables.PROCESS_LEAD_LIFECYCLE)
                : runtime.createProcessInstanceById(models.lifecycleDefinitionId());
        ProcessInstance instance = start
                .businessKey(registered.number())
                .setVariable(LeadVariables.LEAD_ID, registered.leadId())
                .setVariable(LeadVariables.LEAD_NUMBER, registered.number())
                .execute();
        return new CapturedLead(registered.leadId(), registered.number(), true, instance.getId(), false);
    }

    private static String fingerprint(NewLead lead) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(lead.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same idempotency key came with a different lead: the client has a bug, nothing is stored. */
    public static class IdempotencyKeyReusedException extends RuntimeException {
        public IdempotencyKeyReusedException(String key) {
            super("Idempotency-Key '" + key + "' was already used for a different lead");
        }
    }
}
