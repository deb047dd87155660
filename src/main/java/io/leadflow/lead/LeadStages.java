package io.leadflow.lead;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

import io.leadflow.sla.EngineClock;

/**
 * Records stage entries from the models: {@code ${leadStages.enter(execution, 'SAL')}} on the flow
 * or element where the lead enters the stage. A lifecycle that still carries the lead id as
 * business key (started before lead numbers) takes the lead's number here.
 */
@Component("leadStages")
public class LeadStages {

    private final LeadRepository leads;
    private final EngineClock clock;

    public LeadStages(LeadRepository leads, EngineClock clock) {
        this.leads = leads;
        this.clock = clock;
    }

    public void enter(DelegateExecution execution, String stage) {
        enter(execution, stage, "entered at " + execution.getCurrentActivityName());
    }

    public void enter(DelegateExecution execution, String stage, String note) {
        String leadId = (String) execution.getVariable(LeadVariables.LEAD_ID);
        leads.enterStage(leadId, LeadStage.valueOf(stage), note, clock.nowUtc());
        if (!LeadNumbers.isLeadNumber(execution.getProcessBusinessKey())) {
            // a lifecycle started before lead numbers: it takes its number now
            leads.findNumber(leadId).ifPresent(number -> LeadNumbers.adopt(execution, number));
        }
    }
}
