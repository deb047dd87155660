package io.leadflow.security;

import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;

/**
 * A person completes only a task assigned to them or to nobody, checked by the engine in the
 * completing transaction on every user task of every model. {@link TaskWorkGuard} refuses the REST
 * call before it reaches the engine, but it reads the task in a query of its own: a manager's
 * reassignment committed between that read and the engine's complete let the former assignee book
 * his decision on the new assignee's task (the history then named the new one). Here the engine reads
 * the task it completes: a reassignment that came first is seen, one that comes later loses on the
 * task's version. Steps the engine runs on its own (no authenticated user) are not concerned.
 */
public class OnlyTheAssigneeCompletes implements TaskListener {

    /** In the refusal's text: {@code EngineRestErrors} answers it 409 instead of the REST API's 500. */
    public static final String MARKER = "[task-taken]";

    @Override
    public void notify(DelegateTask task) {
        var authentication = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        String user = authentication == null ? null : authentication.getUserId();
        String assignee = task.getAssignee();
        if (user != null && assignee != null && !assignee.equals(user)) {
            throw new ProcessEngineException(MARKER + " Task '" + task.getName() + "' is assigned to " + assignee
                    + " now: only " + assignee + " may complete it; nothing was changed. Reload the task list");
        }
    }
}
