package io.leadflow.sla;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;

/**
 * A task done after its deadline before the deadline's timer ran (normally a second or two; minutes
 * in a wave of timers) missed its SLA as much as one the timer caught: the breach is recorded when it
 * is completed, dated then and in the assignee's name, and the task's SLA status says BREACHED. Nobody
 * is escalated to: the work is done. Runs on completing every user task; concerns only those whose
 * SLA listener named their SLA ({@code ${sla.track(task, 'acceptLead')}}) and whose status the timer
 * has not set to BREACHED already (one breach per missed deadline).
 */
@Component
public class LateCompletion implements TaskListener {

    private static final Logger LOG = LoggerFactory.getLogger(LateCompletion.class);

    private final SlaBreachRepository breaches;
    private final EngineClock clock;
    private final LeadRepository leads;

    public LateCompletion(SlaBreachRepository breaches, EngineClock clock, LeadRepository leads) {
        this.breaches = breaches;
        this.clock = clock;
        this.leads = leads;
    }

    @Override
    public void notify(DelegateTask task) {
        // the dates first: a task done in time (most of them) reads none of its variables here
        Instant now = clock.now();
        if (task.getDueDate() == null || !now.isAfter(task.getDueDate().toInstant())
                || !(task.getVariableLocal(SlaTimers.SLA_NAME) instanceof String slaName)
                || SlaStatus.BREACHED.name().equals(task.getVariableLocal(SlaTimers.SLA_STATUS))) {
            return;
        }
        Instant due = task.getDueDate().toInstant();
        String leadId = LeadContext.leadId(task.getExecution(), leads);
        if (leadId == null) {
            return;
        }
        String name = SlaTask.modelName(task.getBpmnModelElementInstance(), task.getTaskDefinitionKey());
        breaches.insert(new SlaBreach(leadId, slaName, task.getTaskDefinitionKey(), name,
                OffsetDateTime.ofInstant(due, ZoneOffset.UTC), OffsetDateTime.ofInstant(now, ZoneOffset.UTC), task.getAssignee(),
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC)));
        task.setVariableLocal(SlaTimers.SLA_STATUS, SlaStatus.BREACHED.name());
        LOG.warn("SLA breached: '{}' for lead {} was due at {} and done at {} by {}, before its deadline's timer ran (SLA {})",
                name, leadId, due, now, task.getAssignee(), slaName);
    }

    /** On completing every user task of every model (the engine's plugin). */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class OnEveryUserTask {

        @org.springframework.context.annotation.Bean
        io.leadflow.platform.CamundaInternals.EveryUserTask.Plugin lateCompletionPlugin(LateCompletion lateCompletion) {
            return new io.leadflow.platform.CamundaInternals.EveryUserTask.Plugin(TaskListener.EVENTNAME_COMPLETE, lateCompletion);
        }
    }
}
