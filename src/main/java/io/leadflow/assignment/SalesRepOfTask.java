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
import io.leadflow.sla.SlaStatus;
import io.leadflow.sla.SlaTimers;

/**
 * Task listener on "Accept lead" (assignment): the rep the task is assigned to is the lead's rep.
 * When a manager moves the task to another rep in Tasklist (Set assignee), or releases it, that
 * becomes the lead's rep: the follow-up's Contact lead and Qualify lead tasks, the way back after
 * Fix lead data, the opportunity and the reps' open-lead counts follow the task, not the rep the
 * rotation chose first. A rep given the task by a manager gets the agreed time to accept it from then
 * ({@link AcceptanceSla}), as after an absence. {@code ${salesRepOfTask.follow(task)}}
 */
@Component("salesRepOfTask")
public class SalesRepOfTask {

    private static final Logger LOG = LoggerFactory.getLogger(SalesRepOfTask.class);

    private final LeadRepository leads;
    private final EngineClock clock;
    private final AcceptanceSla acceptance;

    public SalesRepOfTask(LeadRepository leads, EngineClock clock, AcceptanceSla acceptance) {
        this.leads = leads;
        this.clock = clock;
        this.acceptance = acceptance;
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
        if (rep != null && assignee != null) {
            // moved from one rep to another (only a manager may): the new rep gets the agreed time. Not on a
            // release and claim, or a rep could restart his own clock by releasing the task and claiming it again
            task.setDueDate(acceptance.restartTimers(task.getProcessEngineServices().getManagementService(), task.getProcessInstanceId()));
            task.setVariableLocal(SlaTimers.SLA_STATUS, SlaStatus.ON_TIME.name());
        }
        LOG.info("Lead {}: sales rep {} -> {} ({} reassigned)", leadId, rep, assignee, task.getTaskDefinitionKey());
    }
}
