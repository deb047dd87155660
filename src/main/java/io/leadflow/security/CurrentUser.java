package io.leadflow.security;

import org.camunda.bpm.engine.ProcessEngineServices;
import org.camunda.bpm.engine.delegate.ProcessEngineServicesAware;

/**
 * Who did something: the user whose request runs this step (the rep completing a task over
 * Tasklist or {@code /engine-rest}), from the engine's authentication, never from a process
 * variable. Null when the engine runs the step on its own (a timer, the job executor).
 */
public final class CurrentUser {

    private CurrentUser() {
    }

    /** For a step of a process ({@code DelegateExecution}) or a task's listener ({@code DelegateTask}). */
    public static String id(ProcessEngineServicesAware step) {
        var authentication = step.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        return authentication == null ? null : authentication.getUserId();
    }

    /** Whether the engine's current authentication is an administrator's (group camunda-admin). */
    public static boolean administrator(ProcessEngineServices engine) {
        var caller = engine.getIdentityService().getCurrentAuthentication();
        return caller != null && caller.getGroupIds() != null && caller.getGroupIds().contains(Groups.CAMUNDA_ADMIN);
    }

    /**
     * Work asked of the engine without the current user's authorizations, which need not cover what is
     * asked (the user directory, another team's task, the forms' table); the login is restored afterwards.
     */
    public static <T> T withoutLogin(ProcessEngineServices engine, java.util.function.Supplier<T> work) {
        var identity = engine.getIdentityService();
        var caller = identity.getCurrentAuthentication();
        identity.clearAuthentication();
        try {
            return work.get();
        } finally {
            if (caller != null) {
                identity.setAuthentication(caller.getUserId(), caller.getGroupIds(), caller.getTenantIds());
            }
        }
    }
}
