package io.leadflow.platform;

/** The engine's schema is missing, of another version, or out of reach: the one line says what to run. */
public class EngineSchemaException extends IllegalStateException {

    public EngineSchemaException(String message) {
        super(message);
    }

    public EngineSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
