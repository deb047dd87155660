package io.leadflow.sla;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.leadflow.assignment.RepAvailability;
import io.leadflow.lead.InvalidTaskInputException;
import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;
import io.leadflow.security.Groups;

/**
 * "Record manual assignment": after "Assign lead by hand" (no rep of the territory was left, so the
 * SLA escalation ended with a sales manager), the rep the manager chose becomes the lead's rep and
 * gets "Accept lead". The choice must be a member of the sales group who is not deactivated or out
 * of office now; anything else is refused and the manager's task stays open.
 */
@Component("recordManualAssignmentDelegate")
public class RecordManualAssignmentDelegate implements JavaDelegate {

    private static final Logger LOG = LoggerFactory.getLogger(RecordManualAssignmentDelegate.class);
    /** The field's label in the form, for the line Tasklist shows. */
    private static final String LABEL = "Sales rep who gets the lead";

    private final LeadRepository leads;
    private final RepAvailability availability;
    private final EngineClock clock;

    public RecordManualAssignmentDelegate(LeadRepository leads, RepAvailability availability, EngineClock clock) {
        this.leads = leads;
        this.availability = availability;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String leadId = LeadContext.leadId(execution, leads);
        String chosen = LeadContext.text(execution, LeadVariables.ASSIGN_TO);
        String rep = chosen == null ? "" : chosen.trim();
        if (rep.isEmpty()) {
            throw new InvalidTaskInputException(LABEL, LeadVariables.ASSIGN_TO, "must name the rep who gets the lead");
        }
        long member = execution.getProcessEngineServices().getIdentityService().createUserQuery()
                .userId(rep).memberOfGroup(Groups.SALES).count();
        if (member == 0) {
            throw new InvalidTaskInputException(LABEL, LeadVariables.ASSIGN_TO, "must be a user of the group '" + Groups.SALES + "', was '" + rep + "'");
        }
        availability.unavailableAt(rep, clock.nowUtc()).ifPresent(why -> {
            throw new InvalidTaskInputException(LABEL, LeadVariables.ASSIGN_TO, "'" + rep + "' " + why + ": choose another rep");
        });
        execution.setVariable(LeadVariables.SALES_REP, rep);
        leads.assignSalesRep(leadId, rep, clock.nowUtc());
        LOG.info("Lead {} assigned by hand to {}", leadId, rep);
    }
}
