package io.leadflow.platform;

import java.time.Duration;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * A start-up that fails on a setting leadflow refuses ends with that refusal, which names the key
 * ({@code leadflow.notifications.batch-size must be 1 to 1000, was -5}), instead of a hundred lines
 * of bean-creation stack trace with the message in the last of them.
 */
public class SettingFailureAnalyzer implements FailureAnalyzer {

    static final String ACTION = "Correct the setting named above (application*.yaml, --key=value or its environment variable)"
            + " and start again; README lists every setting";

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException && cause.getMessage() != null && cause.getMessage().startsWith("leadflow.")) {
                return new FailureAnalysis("Invalid setting: " + cause.getMessage(), ACTION, cause);
            }
        }
        return null;
    }

    /**
     * A time between scheduled runs, read as Spring reads it ({@code PT30S}, {@code 30s}): longer than
     * nothing, or refused naming its key. The scheduler's own refusal of "abc" or "-PT1S" named neither
     * ("Invalid initialDelayString value", "IllegalArgumentException: null").
     */
    public static Duration interval(String key, String text) {
        Duration interval;
        try {
            interval = DurationStyle.detectAndParse(text);
        } catch (IllegalArgumentException unreadable) {
            throw new IllegalArgumentException(key + " must be a time such as PT30S or 30s, was '" + text + "'");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(key + " must be a time longer than zero, was '" + text + "'");
        }
        return interval;
    }
}
