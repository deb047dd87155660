package io.leadflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The KPI benchmark's leads: written in the order they were created unless asked to shuffle them. */
class KpiBenchmarkTest {

    @Test
    void leadsAreCreatedOldestFirst_andShuffledOnlyWhenAsked() {
        long span = 365L * 24 * 3600;
        long[] ordered = KpiBenchmark.ages(10_000, span, false);
        long[] shuffled = KpiBenchmark.ages(10_000, span, true);

        for (int i = 1; i < ordered.length; i++) {
            assertThat(ordered[i]).as("lead %d is no older than lead %d", i, i - 1).isLessThanOrEqualTo(ordered[i - 1]);
        }
        assertThat(ordered[0]).isGreaterThan(span * 99 / 100);
        assertThat(ordered[ordered.length - 1]).isLessThan(span / 100);
        long[] sorted = shuffled.clone();
        Arrays.sort(sorted);
        assertThat(shuffled).as("in the order drawn").isNotEqualTo(sorted);
        long[] reordered = ordered.clone();
        Arrays.sort(reordered);
        assertThat(reordered).as("the same creation times in either layout").isEqualTo(sorted);
    }

    @Test
    void slowestRunsAreNamedByTheirNumberInTheOrderTheyRan() {
        double[] inOrder = {40.0, 812.0, 41.5, 39.0, 590.25, 42.0};

        assertThat(KpiBenchmark.slowest(inOrder, 3)).isEqualTo("#2 812.0, #5 590.3, #6 42.0");
        assertThat(KpiBenchmark.slowest(inOrder, 10)).startsWith("#2 812.0").endsWith("#4 39.0");
    }
}
