package io.leadflow.followup;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;

/** "Record attempt": channel and outcome of every attempt go to the lead record. */
@Component("recordAttemptDelegate")
public class RecordAttemptDelegate implements JavaDelegate {

    private final LeadRepository leads;
    private final EngineClock clock;

    public RecordAttemptDelegate(LeadRepository leads, EngineClock clock) {
        this.leads = leads;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String outcome = LeadContext.text(execution, LeadVariables.CONTACT_OUTCOME);
        if (!ContactOutcome.ALL.contains(outcome)) {
            throw new IllegalArgumentException("contactOutcome must be one of " + ContactOutcome.ALL + ", was '" + outcome + "'");
        }
        String channel = LeadContext.text(execution, LeadVariables.CONTACT_CHANNEL);
        if (!ContactOutcome.CHANNELS.contains(channel)) {
            throw new IllegalArgumentException("contactChannel must be one of " + ContactOutcome.CHANNELS + ", was '" + channel + "'");
        }
        leads.insertAttempt(LeadContext.text(execution, LeadVariables.LEAD_ID),
                LeadContext.integer(execution, LeadVariables.ATTEMPT_NUMBER), channel, outcome,
                LeadContext.text(execution, LeadVariables.CONTACT_NOTE),
                io.leadflow.security.CurrentUser.id(execution), clock.nowUtc());
    }
}
