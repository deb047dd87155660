package io.leadflow.qualification;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.leadflow.assignment.ExcludedReps;
import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;

/**
 * "Record rejection": every rejection is kept with its SiriusDecisions reason and comment, so
 * marketing sees the feedback. A wrongly routed lead must not go back to the rep who rejected it.
 */
@Component("recordRejectionDelegate")
public class RecordRejectionDelegate implements JavaDelegate {

    private final LeadRepository leads;
    private final EngineClock clock;

    public RecordRejectionDelegate(LeadRepository leads, EngineClock clock) {
        this.leads = leads;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String leadId = LeadContext.text(execution, LeadVariables.LEAD_ID);
        RejectReason reason = RejectReason.of(LeadContext.text(execution, LeadVariables.REJECT_REASON));
        String comment = LeadContext.text(execution, LeadVariables.REJECT_COMMENT);
        if (comment == null || comment.isBlank()) {
            throw new IllegalArgumentException("A rejection needs a comment: marketing reads it");
        }
        String rep = io.leadflow.security.CurrentUser.id(execution);
        leads.insertRejection(leadId, reason.value(), comment, rep, clock.nowUtc());
        if (reason == RejectReason.PROCEDURAL && rep != null) {
            ExcludedReps.add(execution, rep);
        }
    }
}
