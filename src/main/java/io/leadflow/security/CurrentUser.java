package io.leadflow.security;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Who did something: the user whose request runs this step (the rep completing a task over
 * Tasklist or {@code /engine-rest}), from the engine's authentication, never from a process
 * variable. Null when the engine runs the step on its own (a timer, the job executor).
 */
public final class CurrentUser {

    private CurrentUser() {
    }

    public static String id(DelegateExecution execution) {
        var authentication = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        return authentication == null ? null : authentication.getUserId();
    }
}
