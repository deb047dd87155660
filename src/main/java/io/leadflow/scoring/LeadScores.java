package io.leadflow.scoring;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;

/**
 * What the nurture asks about a lead's score: {@code ${leadScores.engagedSinceLastScoring(execution)}}
 * when it starts. An engagement stored while no nurture waited for it (Review MQL open, the lead
 * recycled until its revisit date) woke nothing; the nurture that starts afterwards re-scores with it
 * at once instead of at the next event or the weekly re-score. Without a new event it does not
 * re-score: a lead marketing sent back with a score above the threshold would come straight back.
 */
@Component("leadScores")
public class LeadScores {

    private final LeadRepository leads;

    public LeadScores(LeadRepository leads) {
        this.leads = leads;
    }

    public boolean engagedSinceLastScoring(DelegateExecution execution) {
        String leadId = LeadContext.leadId(execution, leads);
        return leadId != null && leads.engagedSinceScored(leadId);
    }
}
