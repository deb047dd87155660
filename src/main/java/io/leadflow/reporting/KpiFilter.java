package io.leadflow.reporting;

import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which leads and which time a KPI counts: events in [{@code from}, {@code to}) of leads with the
 * given source and campaign whose sales rep is one of {@code reps} (a rep, or the reps of a team) —
 * for rejections, contact attempts and missed deadlines, the rep who rejected, attempted or held the
 * task; null = any. The same filter narrows every KPI, so the numbers add up across views.
 */
public record KpiFilter(OffsetDateTime from, OffsetDateTime to, String source, String campaign, List<String> reps) {

    public KpiFilter {
        reps = reps == null ? null : List.copyOf(reps);
    }

    public static KpiFilter period(OffsetDateTime from, OffsetDateTime to) {
        return new KpiFilter(from, to, null, null, null);
    }

    public KpiFilter withSource(String value) {
        return new KpiFilter(from, to, value, campaign, reps);
    }

    public KpiFilter withCampaign(String value) {
        return new KpiFilter(from, to, source, value, reps);
    }

    public KpiFilter withReps(List<String> value) {
        return new KpiFilter(from, to, source, campaign, value);
    }

    /** True when the filter narrows the leads (a query may skip joining the lead table otherwise). */
    boolean narrowsLeads() {
        return source != null || campaign != null || reps != null;
    }

    /** The SQL condition on the lead (alias {@code l}) and its parameters; reps are the lead's sales rep. */
    String leadCondition(Map<String, Object> params) {
        return leadCondition(params, "l.sales_rep");
    }

    /**
     * The SQL condition on the lead (alias {@code l}) and its parameters, the reps matched against
     * {@code repColumn}: for what a rep did (a rejection, an attempt, a deadline missed) the rep who did
     * it, not the one who holds the lead now (a lead sam rejected or let lapse went to sara, and his
     * rejection and his miss were counted for her).
     */
    String leadCondition(Map<String, Object> params, String repColumn) {
        List<String> parts = new ArrayList<>();
        if (source != null) {
            parts.add("l.source = :source");
            params.put("source", source);
        }
        if (campaign != null) {
            parts.add("l.campaign = :campaign");
            params.put("campaign", campaign);
        }
        if (reps != null) {
            // an empty team matches nobody
            parts.add(reps.isEmpty() ? "1 = 0" : repColumn + " in (:reps)");
            if (!reps.isEmpty()) {
                params.put("reps", reps);
            }
        }
        return parts.isEmpty() ? "" : " and " + String.join(" and ", parts);
    }

    /** The condition "{@code column} in the period" and its parameters. */
    String inPeriod(String column, Map<String, Object> params) {
        params.put("from", from);
        params.put("to", to);
        return column + " >= :from and " + column + " < :to";
    }

    /**
     * The filter as an answer shows it: a period of whole days (as {@code /api/kpis} asks) as its first
     * and last day, both included, as the request named them; any other period as its two instants,
     * the second one excluded ({@code before}).
     */
    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        if (from.toLocalTime().equals(LocalTime.MIDNIGHT) && to.toLocalTime().equals(LocalTime.MIDNIGHT)) {
            d.put("from", from.toLocalDate());
            d.put("to", to.toLocalDate().minusDays(1));
        } else {
            d.put("from", from);
            d.put("before", to);
        }
        if (source != null) {
            d.put("source", source);
        }
        if (campaign != null) {
            d.put("campaign", campaign);
        }
        if (reps != null) {
            d.put("reps", reps);
        }
        return d;
    }
}
