package io.leadflow.conversion;

import java.math.BigDecimal;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;

/**
 * "Hand over opportunity to CRM" (async, retried by the job executor). For now the opportunity
 * is written to leadflow's own store; idempotent by lead id, so a retry never creates a second one.
 */
@Component("handOverOpportunityDelegate")
public class HandOverOpportunityDelegate implements JavaDelegate {

    private final OpportunityRepository opportunities;
    private final LeadRepository leads;
    private final EngineClock clock;

    public HandOverOpportunityDelegate(OpportunityRepository opportunities, LeadRepository leads, EngineClock clock) {
        this.opportunities = opportunities;
        this.leads = leads;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Object amount = execution.getVariable(LeadVariables.OPPORTUNITY_AMOUNT);
        opportunities.createOnce(new Opportunity(
                LeadContext.leadId(execution, leads),
                LeadContext.text(execution, LeadVariables.SALES_REP),
                amount == null || amount.toString().isBlank() ? null : new BigDecimal(amount.toString()),
                LeadContext.text(execution, LeadVariables.TIMELINE),
                LeadContext.flag(execution, LeadVariables.BUDGET_CONFIRMED),
                LeadContext.flag(execution, LeadVariables.AUTHORITY_CONFIRMED),
                LeadContext.flag(execution, LeadVariables.NEED_CONFIRMED),
                LeadContext.text(execution, LeadVariables.QUALIFICATION_NOTE),
                clock.nowUtc()));
    }
}
