package io.leadflow.followup;

import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;
import io.leadflow.sla.SlaProperties;

/** "Plan next attempt": counts the attempt and shows the rep what was tried so far. */
@Component("planAttemptDelegate")
public class PlanAttemptDelegate implements JavaDelegate {

    private final LeadRepository leads;
    private final EngineClock clock;
    private final SlaProperties sla;

    public PlanAttemptDelegate(LeadRepository leads, EngineClock clock, SlaProperties sla) {
        this.leads = leads;
        this.clock = clock;
        this.sla = sla;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Integer previous = LeadContext.integer(execution, LeadVariables.ATTEMPT_NUMBER);
        int attempt = previous == null ? 1 : previous + 1;
        execution.setVariable(LeadVariables.ATTEMPT_NUMBER, attempt);
        if (attempt == 1) {
            execution.setVariable(LeadVariables.FIRST_ATTEMPT_AT, Date.from(clock.now()));
        }
        execution.setVariable(LeadVariables.ATTEMPT_HISTORY,
                LeadContext.describeAttempts(leads.attempts(LeadContext.leadId(execution, leads)), sla.zone()));
        execution.setVariable(LeadVariables.CONTACT_OUTCOME, null);
        execution.setVariable(LeadVariables.CONTACT_CHANNEL, null);
        execution.setVariable(LeadVariables.CONTACT_NOTE, null);
    }
}
