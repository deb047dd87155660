package io.leadflow.qualification;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadStage;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;

/** "Disqualify lead": the lead leaves the funnel with the reason sales gave. */
@Component("disqualifyLeadDelegate")
public class DisqualifyLeadDelegate implements JavaDelegate {

    private final LeadRepository leads;
    private final EngineClock clock;

    public DisqualifyLeadDelegate(LeadRepository leads, EngineClock clock) {
        this.leads = leads;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String reason = LeadContext.text(execution, LeadVariables.DISQUALIFY_REASON);
        String note = LeadContext.text(execution, LeadVariables.QUALIFICATION_NOTE);
        leads.enterStage(LeadContext.leadId(execution, leads), LeadStage.DISQUALIFIED,
                "reason: " + reason + (note == null || note.isBlank() ? "" : " — " + note), clock.nowUtc());
    }
}
