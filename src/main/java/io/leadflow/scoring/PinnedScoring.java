package io.leadflow.scoring;

import java.util.function.Supplier;

/**
 * Scoring tables pinned for the work of the current thread: every scoring that work causes (an
 * import's capture of one row, with whatever it sets off in the same transaction) uses them instead
 * of the latest tables. A thread-local, as the engine's command context and Spring's transactions
 * are: the delegates that score run inside the engine's command, which cannot carry a Java object
 * in a variable without serializing it.
 */
public final class PinnedScoring {

    private static final ThreadLocal<ScoringTables> TABLES = new ThreadLocal<>();

    private PinnedScoring() {
    }

    /** Runs {@code work} with {@code tables} pinned on this thread, and restores what was pinned before. */
    public static <T> T during(ScoringTables tables, Supplier<T> work) {
        ScoringTables outer = TABLES.get();
        TABLES.set(tables);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                TABLES.remove();
            } else {
                TABLES.set(outer);
            }
        }
    }

    /** The tables pinned on this thread, or {@code latest} when none are. */
    static ScoringTables orLatest(ScoringTables latest) {
        ScoringTables pinned = TABLES.get();
        return pinned != null ? pinned : latest;
    }
}
