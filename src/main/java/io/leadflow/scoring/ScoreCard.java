package io.leadflow.scoring;

import java.util.List;
import java.util.stream.Collectors;

import io.leadflow.lead.LeadRepository.ScoreReasonRow;

/** The result of scoring a lead, with the reason behind every point. */
public record ScoreCard(int fitScore, String fitGrade, int engagementScore, List<ScoreReasonRow> reasons, String tables) {

    /** Scored by tables whose versions are not known. */
    public ScoreCard(int fitScore, String fitGrade, int engagementScore, List<ScoreReasonRow> reasons) {
        this(fitScore, fitGrade, engagementScore, reasons, null);
    }

    public static final int MAX_FIT = 50;
    public static final int MAX_ENGAGEMENT = 50;

    /** Combined score 0–100: fit and engagement both count, each capped at 50. */
    public int leadScore() {
        return Math.min(MAX_FIT, fitScore) + Math.min(MAX_ENGAGEMENT, engagementScore);
    }

    /**
     * What a rep reads in the forms: why the lead scored as it did. One line per matching fit rule
     * and one per engagement type (count, points, latest date), so it stays short however many
     * events the lead has.
     */
    public String explanation() {
        int engagementPoints = reasons.stream().filter(r -> r.component().equals("engagement")).mapToInt(ScoreReasonRow::points).sum();
        String fit = reasons.stream().filter(r -> r.component().equals("fit"))
                .map(r -> "  +" + r.points() + " " + r.reason()).collect(Collectors.joining("\n"));
        String engagement = reasons.stream().filter(r -> r.component().equals("engagement"))
                .map(r -> "  +" + r.points() + " " + r.reason()).collect(Collectors.joining("\n"));
        return "Score " + leadScore() + "/100\n"
                + "Fit " + Math.min(MAX_FIT, fitScore) + "/" + MAX_FIT + " (grade " + fitGrade + ")"
                + (fit.isEmpty() ? ": no profile rule matched" : ":\n" + fit) + "\n"
                + "Engagement " + Math.min(MAX_ENGAGEMENT, engagementScore) + "/" + MAX_ENGAGEMENT
                + (engagementPoints > MAX_ENGAGEMENT ? " (capped, " + engagementPoints + " before the cap)" : "")
                + (engagement.isEmpty() ? ": no engagement yet" : ":\n" + engagement)
                + (tables == null ? "" : "\nRules: " + tables);
    }
}
