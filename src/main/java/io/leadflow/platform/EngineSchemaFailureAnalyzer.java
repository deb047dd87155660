package io.leadflow.platform;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * A start-up that fails on the engine's schema ends with one clear line instead of a stack trace:
 * our own check's message, or the engine's ENGINE-03057 ("There are no Camunda tables in the
 * database") translated into what to run.
 */
public class EngineSchemaFailureAnalyzer implements FailureAnalyzer {

    static final String ACTION = "Create the engine schema once with --" + EngineSchema.CREATE_OPTION
            + "=true (README \"Production on PostgreSQL\"), or upgrade it with Camunda's upgrade scripts";

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AppSchemaCheck.AppSchemaException newer) {
                return new FailureAnalysis(newer.getMessage(), "Start the release that migrated the database, or a newer one"
                        + " (a demo database under ./data may be deleted instead)", newer);
            }
            if (cause instanceof EngineSchemaException schema) {
                return new FailureAnalysis(schema.getMessage(), ACTION, schema);
            }
            if (cause.getMessage() != null && cause.getMessage().contains("ENGINE-03057")) {
                return new FailureAnalysis("The Camunda engine schema is missing (ENGINE-03057 There are no Camunda tables in the database)",
                        ACTION, cause);
            }
        }
        return null;
    }
}
