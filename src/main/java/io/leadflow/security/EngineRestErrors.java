package io.leadflow.security;

import org.camunda.bpm.engine.rest.dto.ExceptionDto;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * The engine's REST APIs ({@code /engine-rest}, the one behind Tasklist) answer a lost race with
 * 500 and the engine's text ({@code ENGINE-03005 … updated by another transaction concurrently}):
 * two reps claiming one task, two tabs submitting one form, a rep completing a task a manager has
 * just reassigned ({@link OnlyTheAssigneeCompletes}). Nothing is broken and nothing was changed; the
 * caller's view is out of date. Those answers become 409 Conflict with a message saying so, in the
 * REST API's own error shape (Tasklist shows its {@code message}). And a value a form's step refuses
 * ({@link io.leadflow.lead.InvalidTaskInputException}: Fix lead data with an address another lead
 * has) is the caller's mistake: 400 with the step's own words, not 500 "Cannot submit task form".
 */
public class EngineRestErrors implements ContainerResponseFilter {

    /** The engine's exception code of a lost optimistic lock ({@code BuiltinExceptionCode.OPTIMISTIC_LOCKING}). */
    static final int OPTIMISTIC_LOCKING = 1;
    static final int CONFLICT = 409;
    static final String CHANGED_MEANWHILE = "Someone changed this at the same moment (another tab, a colleague or a manager):"
            + " nothing was changed. Reload and try again";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() != 500 || !(response.getEntity() instanceof ExceptionDto error)) {
            return;
        }
        String message = error.getMessage() == null ? "" : error.getMessage();
        int taken = message.indexOf(OnlyTheAssigneeCompletes.MARKER);
        if (taken >= 0) {
            // the engine quotes a listener's message: "… Exception while invoking TaskListener: '[task-taken] Task …'"
            String refusal = message.substring(taken + OnlyTheAssigneeCompletes.MARKER.length()).strip();
            error.setMessage(refusal.endsWith("'") ? refusal.substring(0, refusal.length() - 1) : refusal);
        } else if (error.getCode() != null && error.getCode() == OPTIMISTIC_LOCKING) {
            error.setMessage(CHANGED_MEANWHILE);
        } else if (error.getCode() != null && error.getCode() == io.leadflow.lead.InvalidTaskInputException.CODE) {
            // "Cannot submit task form <id>: Email (email): another lead …": the step's words, without the REST API's prefix
            int words = message.indexOf(": ");
            error.setMessage(message.startsWith("Cannot ") && words >= 0 ? message.substring(words + 2) : message);
            error.setType("InvalidTaskInput");
            response.setStatus(400);
            return;
        } else {
            return;
        }
        error.setType("Conflict");
        response.setStatus(CONFLICT);
    }
}
