package io.leadflow.qualification;

import java.util.Arrays;
import java.util.List;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.leadflow.assignment.ExcludedReps;
import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;
import io.leadflow.lead.TaskInput;
import io.leadflow.security.CurrentUser;
import io.leadflow.sla.EngineClock;
import io.leadflow.sla.SlaProperties;

/**
 * "Record rejection": every rejection is kept with its SiriusDecisions reason and comment, so
 * marketing sees the feedback. A wrongly routed lead must not go back to the rep who rejected it.
 * Runs in the transaction that completes "Accept lead": a missing reason or a blank comment keeps
 * the task open with a message naming the field.
 */
@Component("recordRejectionDelegate")
public class RecordRejectionDelegate implements JavaDelegate {

    /** Column lead_rejection.comment; forms/accept-lead.form has the same limit. */
    public static final int MAX_COMMENT = 2000;
    static final List<String> REASONS = Arrays.stream(RejectReason.values()).map(RejectReason::value).toList();

    private final LeadRepository leads;
    private final EngineClock clock;
    private final SlaProperties sla;

    public RecordRejectionDelegate(LeadRepository leads, EngineClock clock, SlaProperties sla) {
        this.leads = leads;
        this.clock = clock;
        this.sla = sla;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String leadId = LeadContext.leadId(execution, leads);
        RejectReason reason = RejectReason.of(
                TaskInput.oneOf(execution, LeadVariables.REJECT_REASON, "Reason for rejecting", REASONS));
        String comment = TaskInput.requiredText(execution, LeadVariables.REJECT_COMMENT, "Comment",
                MAX_COMMENT);
        String rep = CurrentUser.id(execution);
        var now = clock.nowUtc();
        leads.insertRejection(leadId, reason.value(), comment, rep, now);
        execution.setVariable(LeadVariables.LAST_REJECTION, describe(reason, rep, now.atZoneSameInstant(sla.zone()).toLocalDate(), comment));
        if (reason == RejectReason.PROCEDURAL && rep != null) {
            ExcludedReps.add(execution, rep);
        }
    }

    /** "Clerical — by sam on 2026-11-26: the phone number is missing", for the next person's form (the day in the agreement's zone). */
    static String describe(RejectReason reason, String rep, java.time.LocalDate day, String comment) {
        return reason.label() + " — by " + (rep == null ? "someone" : rep) + " on " + day + ": " + comment;
    }
}
