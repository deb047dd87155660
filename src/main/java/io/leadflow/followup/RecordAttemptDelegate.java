package io.leadflow.followup;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;
import io.leadflow.lead.TaskInput;
import io.leadflow.security.CurrentUser;
import io.leadflow.sla.EngineClock;

/**
 * "Record attempt": channel and outcome of every attempt go to the lead record. Runs in the
 * transaction that completes "Contact lead", so a refused input keeps the task open (see
 * {@link TaskInput}).
 */
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
        String channel = TaskInput.oneOf(execution, LeadVariables.CONTACT_CHANNEL, "Channel", ContactOutcome.CHANNELS);
        String outcome = TaskInput.oneOf(execution, LeadVariables.CONTACT_OUTCOME, "Outcome", ContactOutcome.ALL);
        String note = TaskInput.optionalText(execution, LeadVariables.CONTACT_NOTE, "Note", TaskInput.MAX_TEXT);
        leads.insertAttempt(LeadContext.leadId(execution, leads),
                LeadContext.integer(execution, LeadVariables.ATTEMPT_NUMBER), channel, outcome, note,
                CurrentUser.id(execution), clock.nowUtc());
    }
}
