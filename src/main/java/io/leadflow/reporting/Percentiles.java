package io.leadflow.reporting;

import java.util.Arrays;

/**
 * Percentiles computed in Java from a bounded query (the same on H2 and PostgreSQL): linear
 * interpolation between the closest ranks, as PostgreSQL's {@code percentile_cont}.
 */
final class Percentiles {

    private Percentiles() {
    }

    /** The p-th percentile (0..1) of the values, or null when there are none. */
    static Double of(double[] values, double p) {
        if (values.length == 0) {
            return null;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double rank = p * (sorted.length - 1);
        int lower = (int) Math.floor(rank);
        int upper = (int) Math.ceil(rank);
        return sorted[lower] + (rank - lower) * (sorted[upper] - sorted[lower]);
    }
}
