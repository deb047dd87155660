package io.leadflow.followup;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;

/** "Plan next attempt": counts the attempt and shows the rep what was tried so far. */
@Component("planAttemptDelegate")
public class PlanAttemptDelegate implements JavaDelegate {

    private final LeadRepository leads;

    public PlanAttemptDelegate(LeadRepository leads) {
        this.leads = leads;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Integer previous = LeadContext.integer(execution, LeadVariables.ATTEMPT_NUMBER);
        execution.setVariable(LeadVariables.ATTEMPT_NUMBER, previous == null ? 1 : previous + 1);
        execution.setVariable(LeadVariables.ATTEMPT_HISTORY,
                LeadContext.describeAttempts(leads.attempts(LeadContext.text(execution, LeadVariables.LEAD_ID))));
        execution.setVariable(LeadVariables.CONTACT_OUTCOME, null);
        execution.setVariable(LeadVariables.CONTACT_CHANNEL, null);
        execution.setVariable(LeadVariables.CONTACT_NOTE, null);
    }
}
