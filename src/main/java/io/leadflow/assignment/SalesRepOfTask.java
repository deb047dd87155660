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
 * Task listener on "Accept lead", "Contact lead" and "Qualify lead" (assignment): the rep the task is
 * assigned to is the lead's rep. When a manager moves the task to another rep in Tasklist (Set
 * assignee), or releases an "Accept lead" (a released Contact lead or Qualify lead keeps the lead's rep),
 * that becomes the lead's rep: the next contact attempts, Qualify lead, the
 * way back after Fix lead data, the opportunity and the reps' open-lead counts follow the task, not the
 * rep the rotation chose first (a Contact lead moved to a colleague came back to the first rep at the
 * next attempt). A rep given "Accept lead" by a manager gets the agreed time to accept it from then
 * ({@link AcceptanceSla}), as after an absence; contact and qualification deadlines stay the lead's.
 * {@code ${salesRepOfTask.follow(task)}}
 */
@Component("salesRepOfTask")
public class SalesRepOfTask {

    private static final Logger LOG = LoggerFactory.getLogger(SalesRepOfTask.class);
    /** The task whose agreed time restarts for a rep a manager gives it to; contact and qualification deadlines are the lead's. */
    static final String ACCEPT_LEAD = "Task_AcceptLead";

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
        if (assignee == null && !ACCEPT_LEAD.equals(task.getTaskDefinitionKey())) {
            return; // a Contact lead or Qualify lead released: the lead keeps its rep until someone takes the task
        }
        String leadId = LeadContext.leadId(task.getExecution(), leads);
        task.setVariable(LeadVariables.SALES_REP, assignee); // the process's variable: the task has none of its own
        var lifecycle = task.getExecution().getProcessInstance().getSuperExecution();
        if (lifecycle != null) {
            // a task of the follow-up (Contact lead): its next attempts follow its own variable, Qualify lead the lifecycle's
            lifecycle.setVariable(LeadVariables.SALES_REP, assignee);
        }
        leads.assignSalesRep(leadId, assignee, clock.nowUtc());
        if (rep != null && assignee != null && ACCEPT_LEAD.equals(task.getTaskDefinitionKey())) {
            // moved from one rep to another (only a manager may): the new rep gets the agreed time. Not on a
            // release and claim, or a rep could restart his own clock by releasing the task and claiming it again
            task.setDueDate(acceptance.restartTimers(task.getProcessEngineServices().getManagementService(), task.getProcessInstanceId()));
            task.setVariableLocal(SlaTimers.SLA_STATUS, SlaStatus.ON_TIME.name());
        }
        LOG.info("Lead {}: sales rep {} -> {} ({} reassigned)", leadId, rep, assignee, task.getTaskDefinitionKey());
    }
}
