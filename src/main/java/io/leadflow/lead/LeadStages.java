package io.leadflow.lead;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.springframework.stereotype.Component;

import io.leadflow.sla.EngineClock;

/**
 * Records stage entries from the models: {@code ${leadStages.enter(execution, 'SAL')}} on the flow
 * or element where the lead enters the stage. A lifecycle that still carries the lead id as
 * business key (started before lead numbers) takes the lead's number here.
 */
@Component("leadStages")
public class LeadStages {

    private final LeadRepository leads;
    private final EngineClock clock;

    public LeadStages(LeadRepository leads, EngineClock clock) {
        this.leads = leads;
        this.clock = clock;
    }

    public void enter(DelegateExecution execution, String stage) {
        enter(execution, stage, note(execution));
    }

    /**
     * What the lead record says about an entry people did not write a note for: on a sequence flow
     * (a gateway's answer) its name, "entered: accepted"; on an element its name, "entered at Review
     * MQL". The gateway a flow leaves ("Lead accepted?") would read as a question nobody answered.
     */
    static String note(DelegateExecution execution) {
        if (execution.getBpmnModelElementInstance() instanceof SequenceFlow flow && flow.getName() != null && !flow.getName().isBlank()) {
            return "entered: " + flow.getName().strip();
        }
        return "entered at " + execution.getCurrentActivityName();
    }

    public void enter(DelegateExecution execution, String stage, String note) {
        String leadId = LeadContext.leadId(execution, leads);
        leads.enterStage(leadId, LeadStage.valueOf(stage), note, clock.nowUtc());
        if (!LeadNumbers.isLeadNumber(execution.getProcessBusinessKey())) {
            // a lifecycle started before lead numbers: it takes its number now
            leads.findNumber(leadId).ifPresent(number -> LeadNumbers.adopt(execution, number));
        }
    }
}
