package io.leadflow.scoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

import io.leadflow.lead.Lead;
import io.leadflow.lead.LeadRepository.EngagementRow;
import io.leadflow.lead.LeadRepository.ScoreReasonRow;
import io.leadflow.sla.SlaProperties;

/**
 * Fit from the ideal-customer-profile tables ({@code leadFit}, {@code leadFitGrade}), engagement
 * from behaviour events ({@code engagementPoints}) with exponential time decay. The rules live in
 * DMN; the decay is mechanics and lives here.
 */
@Component
public class LeadScorer {

    private final SlaProperties sla;

    public LeadScorer(SlaProperties sla) {
        this.sla = sla;
    }

    public ScoreCard score(Lead lead, List<EngagementRow> engagements, DecisionService decisions, Instant now) {
        List<ScoreReasonRow> reasons = new ArrayList<>();

        Map<String, Object> profile = new HashMap<>();
        profile.put("industry", lower(lead.industry()));
        profile.put("companySize", lead.companySize());
        profile.put("role", lower(lead.role()));
        profile.put("country", lead.country() == null ? null : lead.country().toUpperCase());
        DmnDecisionResult fitRules = decisions.evaluateDecisionByKey("leadFit").variables(profile).evaluate();
        int fit = 0;
        for (DmnDecisionResultEntries rule : fitRules) {
            int points = ((Number) rule.getEntry("points")).intValue();
            fit += points;
            reasons.add(new ScoreReasonRow("fit", points, rule.getEntry("reason")));
        }
        fit = Math.min(ScoreCard.MAX_FIT, fit);
        String grade = decisions.evaluateDecisionByKey("leadFitGrade")
                .variables(Variables.createVariables().putValue("fitScore", fit))
                .evaluate().getSingleEntry();

        double engagement = 0;
        for (EngagementRow event : engagements) {
            Object base = decisions.evaluateDecisionByKey("engagementPoints")
                    .variables(Variables.createVariables().putValue("engagementType", event.type()))
                    .evaluate().getSingleEntry();
            if (base == null) {
                continue;
            }
            double factor = decayFactor(event.occurredAt().toInstant(), now);
            double points = ((Number) base).intValue() * factor;
            engagement += points;
            int rounded = (int) Math.round(points);
            if (rounded > 0) {
                reasons.add(new ScoreReasonRow("engagement", rounded, event.type() + " on " + event.occurredAt().toLocalDate()
                        + " (" + base + " points" + (factor < 0.995 ? String.format(java.util.Locale.ROOT, ", decayed to %.0f%%", factor * 100) : "") + ")"));
            }
        }
        int engagementScore = (int) Math.min(ScoreCard.MAX_ENGAGEMENT, Math.round(engagement));
        return new ScoreCard(fit, grade, engagementScore, reasons);
    }

    /** Half the weight per half-life of age; events from the future count in full. */
    double decayFactor(Instant occurredAt, Instant now) {
        Duration age = Duration.between(occurredAt, now);
        if (age.isNegative() || age.isZero()) {
            return 1.0;
        }
        double halfLives = (double) age.toMillis() / sla.engagementHalfLife().toMillis();
        return Math.pow(0.5, halfLives);
    }

    private static String lower(String value) {
        return value == null ? null : value.trim().toLowerCase(java.util.Locale.ROOT);
    }
}
