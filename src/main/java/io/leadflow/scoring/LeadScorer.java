package io.leadflow.scoring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

import io.leadflow.lead.Lead;
import io.leadflow.lead.LeadRepository.EngagementSummary;
import io.leadflow.lead.LeadRepository.ScoreReasonRow;
import io.leadflow.sla.SlaProperties;

/**
 * Fit from the ideal-customer-profile tables ({@code leadFit}, {@code leadFitGrade}), engagement
 * from behaviour events ({@code engagementPoints}) with exponential time decay (half-life
 * {@code leadflow.sla.engagement-half-life}). The rules live in DMN; the decay is mechanics, summed
 * per event type by the database, so a lead with 2,000 events costs as much as one with 2.
 */
@Component
public class LeadScorer {

    private final SlaProperties sla;

    public LeadScorer(SlaProperties sla) {
        this.sla = sla;
    }

    /** An event's weight halves with every half-life of age. */
    public Duration halfLife() {
        return sla.engagementHalfLife();
    }

    /**
     * @param engagements the lead's events summed per type with their decay ({@link
     *        io.leadflow.lead.LeadRepository#engagementSummary}); the engagement table is evaluated
     *        once per type, never once per event
     */
    public ScoreCard score(Lead lead, List<EngagementSummary> engagements, ScoringTables tables) {
        ScoringTables decisions = tables.pinned();
        List<ScoreReasonRow> reasons = new ArrayList<>();

        Map<String, Object> profile = new HashMap<>();
        profile.put("industry", lower(lead.industry()));
        profile.put("companySize", lead.companySize());
        profile.put("role", lower(lead.role()));
        profile.put("country", lead.country() == null ? null : lead.country().toUpperCase());
        DmnDecisionResult fitRules = decisions.evaluate("leadFit", profile);
        int fit = 0;
        for (DmnDecisionResultEntries rule : fitRules) {
            int points = ((Number) rule.getEntry("points")).intValue();
            fit += points;
            reasons.add(new ScoreReasonRow("fit", points, rule.getEntry("reason")));
        }
        fit = Math.max(0, Math.min(ScoreCard.MAX_FIT, fit)); // a rule may take points away, never below none
        String grade = decisions.evaluate("leadFitGrade", Variables.createVariables().putValue("fitScore", fit))
                .getSingleEntry();

        double engagement = 0;
        for (EngagementSummary events : engagements) {
            Object base = decisions.evaluate("engagementPoints",
                    Variables.createVariables().putValue("engagementType", events.type())).getSingleEntry();
            if (base == null) {
                continue;
            }
            int each = ((Number) base).intValue();
            double points = each * events.weight();
            engagement += points;
            reasons.add(new ScoreReasonRow("engagement", (int) Math.round(points), describe(events, each, sla.zone())));
        }
        int engagementScore = (int) Math.min(ScoreCard.MAX_ENGAGEMENT, Math.round(engagement));
        return new ScoreCard(fit, grade, engagementScore, reasons, decisions.versions());
    }

    /** One line per event type, however many events: "pageVisit: 2,000 events, latest 2026-11-20 (2 points each, decayed to 3%)". */
    static String describe(EngagementSummary events, int pointsEach, java.time.ZoneId zone) {
        double factor = events.count() == 0 ? 1.0 : events.weight() / events.count();
        return String.format(Locale.ROOT, "%s: %,d %s, latest %s (%d points each%s)", events.type(), events.count(),
                events.count() == 1 ? "event" : "events", events.latestAt().atZoneSameInstant(zone).toLocalDate(), pointsEach,
                factor < 0.995 ? String.format(Locale.ROOT, ", decayed to %.0f%%", factor * 100) : "");
    }

    private static String lower(String value) {
        return value == null ? null : value.trim().toLowerCase(Locale.ROOT);
    }
}
