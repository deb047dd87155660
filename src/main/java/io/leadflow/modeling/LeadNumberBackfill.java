package io.leadflow.modeling;

import java.util.List;
import java.util.Optional;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadNumbers;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;

/**
 * Leads in flight from before lead numbers: at start-up, every running lifecycle, nurture and
 * follow-up instance whose business key is still the lead id gets variable {@code leadNumber}, so
 * Tasklist and the notifications show the number at once. The business key itself cannot be
 * changed from outside a running instance through Camunda 7's public API (there is no
 * {@code RuntimeService} call for it); a lifecycle takes the number as business key the next time
 * it enters a stage ({@link io.leadflow.lead.LeadStages}), and until then leadflow finds its
 * instances by either key ({@link LeadNumbers#businessKeys}). Instances that ended before keep the
 * id in their history.
 * <p>
 * Idempotent (an instance that has the variable is left alone) and safe on several nodes starting
 * at once: each instance is one engine command, and a conflict with another node or a running job
 * only leaves that instance for the next start. Once a start-up finds nothing left to do, it says so
 * in the engine's properties ({@link #DONE_PROPERTY}) and later start-ups skip the scan: every
 * instance started since lead numbers has its number, so there is never anything new to backfill,
 * and a start-up with 100,000 open leads must not read them all.
 */
@Component
public class LeadNumberBackfill {

    static final int PAGE = 500;

    /** Engine property set once no instance is left without its number. */
    public static final String DONE_PROPERTY = "leadflow.lead-number-backfill";

    private static final Logger log = LoggerFactory.getLogger(LeadNumberBackfill.class);

    private final RuntimeService runtime;
    private final ManagementService management;
    private final LeadRepository leads;

    public LeadNumberBackfill(RuntimeService runtime, ManagementService management, LeadRepository leads) {
        this.runtime = runtime;
        this.management = management;
        this.leads = leads;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void atStartUp() {
        if (done()) {
            return;
        }
        try {
            int given = run();
            if (given > 0) {
                log.info("Lead numbers given to {} running process instance(s) started before lead numbers", given);
            }
        } catch (RuntimeException e) {
            log.warn("Lead number backfill stopped; it continues at the next start", e);
        }
    }

    /** Whether an earlier run left no instance without its number. */
    public boolean done() {
        return "done".equals(management.getProperties().get(DONE_PROPERTY));
    }

    /** @return how many instances got the variable now; when none is left without it, {@link #done()} from now on */
    public int run() {
        int given = 0;
        int left = 0;
        for (int first = 0; ; first += PAGE) {
            List<ProcessInstance> page = runtime.createProcessInstanceQuery()
                    .processDefinitionKeyIn(LeadVariables.PROCESS_LEAD_LIFECYCLE, LeadVariables.PROCESS_NURTURE,
                            LeadVariables.PROCESS_FOLLOW_UP)
                    .orderByProcessInstanceId().asc()
                    .listPage(first, PAGE);
            for (ProcessInstance instance : page) {
                if (!LeadNumbers.isLeadNumber(instance.getBusinessKey())) {
                    switch (give(instance)) {
                        case GIVEN -> given++;
                        case LEFT -> left++;
                        case HAD_IT -> { }
                    }
                }
            }
            if (page.size() < PAGE) {
                if (left == 0) {
                    management.setProperty(DONE_PROPERTY, "done");
                }
                return given;
            }
        }
    }

    private enum Outcome { GIVEN, HAD_IT, LEFT }

    private Outcome give(ProcessInstance instance) {
        try {
            if (runtime.getVariable(instance.getId(), LeadVariables.LEAD_NUMBER) != null) {
                return Outcome.HAD_IT;
            }
            Object leadId = runtime.getVariable(instance.getId(), LeadVariables.LEAD_ID);
            Optional<String> number = leadId instanceof String id ? leads.findNumber(id) : Optional.empty();
            if (number.isEmpty()) {
                return Outcome.LEFT;
            }
            runtime.setVariable(instance.getId(), LeadVariables.LEAD_NUMBER, number.get());
            return Outcome.GIVEN;
        } catch (ProcessEngineException endedOrConflict) {
            log.debug("Lead number for instance {} left for the next start: {}", instance.getId(), endedOrConflict.toString());
            return Outcome.LEFT;
        }
    }
}
