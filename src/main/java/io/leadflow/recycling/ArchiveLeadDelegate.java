package io.leadflow.recycling;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;
import io.leadflow.sla.SlaTimers;

/** "Archive lead": the lead went cold in nurture or was recycled more often than agreed. */
@Component("archiveLeadDelegate")
public class ArchiveLeadDelegate implements JavaDelegate {

    private final LeadRepository leads;
    private final SlaTimers sla;
    private final EngineClock clock;

    public ArchiveLeadDelegate(LeadRepository leads, SlaTimers sla, EngineClock clock) {
        this.leads = leads;
        this.sla = sla;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Integer recycles = LeadContext.integer(execution, LeadVariables.RECYCLE_COUNT);
        String why = recycles != null && recycles > sla.getMaxRecycles()
                ? "recycled " + recycles + " times, more than the agreed maximum of " + sla.getMaxRecycles()
                : "went cold: no engagement during the quiet period";
        leads.enterStage(LeadContext.leadId(execution, leads), LeadStage.ARCHIVED, why, clock.nowUtc());
    }
}
