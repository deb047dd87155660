package io.leadflow.assignment;

import java.util.Objects;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;

/**
 * Task listener on "Accept lead" (assignment): the rep the task is assigned to is the lead's rep.
 * When a manager moves the task to another rep in Tasklist (Set assignee), or releases it, that
 * becomes the lead's rep: the follow-up's Contact lead and Qualify lead tasks, the way back after
 * Fix lead data, the opportunity and the reps' open-lead counts follow the task, not the rep the
 * rotation chose first. {@code ${salesRepOfTask.follow(task)}}
 */
@Component("salesRepOfTask")
public class SalesRepOfTask {

    private static final Logger LOG = LoggerFactory.getLogger(SalesRepOfTask.class);

    private final LeadRepository leads;
    private final EngineClock clock;

    public SalesRepOfTask(LeadRepository leads, EngineClock clock) {
        this.leads = leads;
        this.clock = clock;
    }

    public void follow(DelegateTask task) {
        String assignee = task.getAssignee();
        Object rep = task.getVariable(LeadVariables.SALES_REP);
        if (Objects.equals(assignee, rep)) {
            return; // the rotation's or the manager's choice, assigned as the task was created
        }
        String leadId = LeadContext.leadId(task.getExecution(), leads);
        task.setVariable(LeadVariables.SALES_REP, assignee); // the lifecycle's variable: the task has none of its own
        leads.assignSalesRep(leadId, assignee, clock.nowUtc());
        LOG.info("Lead {}: sales rep {} -> {} ({} reassigned)", leadId, rep, assignee, task.getTaskDefinitionKey());
    }
}
