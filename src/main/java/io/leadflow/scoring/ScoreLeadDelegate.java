package io.leadflow.scoring;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.Date;
import java.util.List;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.leadflow.lead.Lead;
import io.leadflow.lead.LeadContext;
import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadRepository.EngagementSummary;
import io.leadflow.lead.LeadVariables;
import io.leadflow.sla.EngineClock;
import io.leadflow.sla.SlaProperties;

/**
 * "Score lead" and "Re-score lead": stores the scores with their reasons on the lead record. The
 * tables are the latest deployed, except in work that pinned its own (an import: {@link PinnedScoring}).
 */
@Component("scoreLeadDelegate")
public class ScoreLeadDelegate implements JavaDelegate {

    private final LeadRepository leads;
    private final LeadScorer scorer;
    private final SlaProperties sla;
    private final EngineClock clock;
    private final ScoringTables tables;

    public ScoreLeadDelegate(LeadRepository leads, LeadScorer scorer, SlaProperties sla, EngineClock clock, ScoringTables tables) {
        this.leads = leads;
        this.tables = tables;
        this.scorer = scorer;
        this.sla = sla;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Lead lead = LeadContext.lead(execution, leads)
                .orElseThrow(() -> new IllegalStateException("No lead with id " + execution.getVariable(LeadVariables.LEAD_ID)));
        String leadId = lead.id();
        OffsetDateTime now = clock.nowUtc();
        List<EngagementSummary> engagements = leads.engagementSummary(leadId, now, scorer.halfLife());
        ScoreCard card = scorer.score(lead, engagements, PinnedScoring.orLatest(tables));
        leads.updateScores(leadId, card.fitScore(), card.fitGrade(), card.engagementScore(), card.leadScore(),
                card.explanation(), card.reasons(), now);

        execution.setVariable(LeadVariables.FIT_SCORE, card.fitScore());
        execution.setVariable(LeadVariables.FIT_GRADE, card.fitGrade());
        execution.setVariable(LeadVariables.ENGAGEMENT_SCORE, card.engagementScore());
        execution.setVariable(LeadVariables.LEAD_SCORE, card.leadScore());
        execution.setVariable(LeadVariables.MQL_THRESHOLD, sla.mqlThreshold());
        OffsetDateTime lastEngagement = engagements.stream().map(EngagementSummary::latestAt)
                .max(Comparator.naturalOrder()).orElse(lead.createdAt());
        execution.setVariable(LeadVariables.LAST_ENGAGEMENT_AT, Date.from(lastEngagement.toInstant()));
    }
}
