package io.leadflow.reporting;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The demo-data month ({@code leadflow.demo-data.*}): how many leads over how many days, where they
 * come from, and how the simulated reps behave (probabilities 0..1). Weights need not add up to 1.
 */
@ConfigurationProperties("leadflow.demo-data")
public record DemoDataProperties(
        /* true: fill an empty database with a simulated month at start-up */
        @DefaultValue("false") boolean month,
        @DefaultValue("150") int leads,
        @DefaultValue("30") int days,
        /* the same seed gives the same month */
        @DefaultValue("42") long seed,
        /* share of leads that fit the ideal customer profile (MQL at capture); the others are nurtured */
        @DefaultValue("0.6") double strongShare,
        /* share of nurtured leads that engage again (webinar, download) within ten days */
        @DefaultValue("0.4") double reEngageShare,
        /* weights; default webForm 5, import 2, api 2, event 1 */
        Map<String, Double> sources,
        /* weights; "none" = no campaign; default black-friday 3, sla-webinar 2, contact-us-page 3, none 2 */
        Map<String, Double> campaigns,
        @DefaultValue Reps reps) {

    /** The simulated reps' behaviour. */
    public record Reps(
            /* share of tasks done after their SLA deadline */
            @DefaultValue("0.15") double late,
            @DefaultValue("0.85") double approveMql,
            @DefaultValue("0.75") double accept,
            /* weights; default procedural 3, clerical 3, definitional 4 */
            Map<String, Double> rejectReasons,
            /* chance that one contact attempt reaches the lead */
            @DefaultValue("0.35") double connect,
            @DefaultValue("0.02") double doNotContact,
            @DefaultValue("0.6") double qualify,
            /* weights; default noBudget 2, noNeed 2, timing 3 (recycled with a revisit date), competitor 1 */
            Map<String, Double> disqualifyReasons) {

        public Reps {
            rejectReasons = orDefault(rejectReasons, Map.of("procedural", 3.0, "clerical", 3.0, "definitional", 4.0));
            disqualifyReasons = orDefault(disqualifyReasons, Map.of("noBudget", 2.0, "noNeed", 2.0, "timing", 3.0, "competitor", 1.0));
        }
    }

    public DemoDataProperties {
        sources = orDefault(sources, Map.of("webForm", 5.0, "import", 2.0, "api", 2.0, "event", 1.0));
        campaigns = orDefault(campaigns, Map.of("black-friday", 3.0, "sla-webinar", 2.0, "contact-us-page", 3.0, "none", 2.0));
        reps = reps == null ? new Reps(0.15, 0.85, 0.75, null, 0.35, 0.02, 0.6, null) : reps;
    }

    static Map<String, Double> orDefault(Map<String, Double> weights, Map<String, Double> defaults) {
        return weights == null || weights.isEmpty() ? new java.util.TreeMap<>(defaults) : new java.util.TreeMap<>(weights);
    }
}
