package io.leadflow.assignment;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;

/**
 * "Assign sales rep": the chosen rep becomes the assignee of "Accept lead"; the sales group stays
 * candidate. With nobody left (salesRep null) the model sends the lead to the sales managers' task
 * "Assign lead by hand".
 */
@Component("assignSalesRepDelegate")
public class AssignSalesRepDelegate implements JavaDelegate {

    private static final Logger LOG = LoggerFactory.getLogger(AssignSalesRepDelegate.class);

    private final RepRotation rotation;
    private final LeadRepository leads;
    private final EngineClock clock;

    public AssignSalesRepDelegate(RepRotation rotation, LeadRepository leads, EngineClock clock) {
        this.rotation = rotation;
        this.leads = leads;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String leadId = LeadContext.leadId(execution, leads);
        String territory = LeadContext.text(execution, LeadVariables.TERRITORY);
        Set<String> excluded = ExcludedReps.of(execution);
        OffsetDateTime now = clock.nowUtc();
        Optional<String> rep = rotation.assignNext(territory, excluded, now);
        if (rep.isEmpty()) {
            LOG.warn("No sales rep available for lead {} in territory {} (excluded: {}); it goes to the sales managers to assign by hand",
                    leadId, territory, excluded);
        }
        execution.setVariable(LeadVariables.SALES_REP, rep.orElse(null));
        leads.assignSalesRep(leadId, rep.orElse(null), now);
    }
}
