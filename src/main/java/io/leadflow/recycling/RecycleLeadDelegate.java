package io.leadflow.recycling;

import java.time.OffsetDateTime;
import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;
import io.leadflow.sla.SlaTimers;

/**
 * "Recycle lead": records the reason (unreachable, timing), counts the recycle and, for timing,
 * the revisit date the lead waits for before it is nurtured again.
 */
@Component("recycleLeadDelegate")
public class RecycleLeadDelegate implements JavaDelegate {

    private final LeadRepository leads;
    private final SlaTimers sla;
    private final EngineClock clock;

    public RecycleLeadDelegate(LeadRepository leads, SlaTimers sla, EngineClock clock) {
        this.leads = leads;
        this.sla = sla;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String leadId = LeadContext.leadId(execution, leads);
        String reason = LeadContext.text(execution, LeadVariables.RECYCLE_REASON);
        Integer previous = LeadContext.integer(execution, LeadVariables.RECYCLE_COUNT);
        int count = (previous == null ? 0 : previous) + 1;
        OffsetDateTime revisitAt = "timing".equals(reason)
                ? sla.revisitDateTime(execution.getVariable(LeadVariables.REVISIT_DATE)) : null;
        OffsetDateTime now = clock.nowUtc();
        leads.recordRecycle(leadId, count, reason, revisitAt, now);
        leads.enterStage(leadId, LeadStage.RECYCLED, "recycle " + count + ", reason: " + reason
                + (revisitAt == null ? "" : ", revisit on " + revisitAt.toLocalDate()), now);
        execution.setVariable(LeadVariables.RECYCLE_COUNT, count);
        execution.setVariable(LeadVariables.REVISIT_AT, revisitAt == null ? null : Date.from(revisitAt.toInstant()));
    }
}
