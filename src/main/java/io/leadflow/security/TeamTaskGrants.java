package io.leadflow.security;

import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

import java.util.Set;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.authorization.TaskPermissions;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Managers see and reassign their team's tasks: when a user task is created for a team (its
 * candidate group), the team's manager group gets READ and TASK_ASSIGN on that task. The engine
 * deletes a task's authorizations with the task. With {@code enableHistoricInstancePermissions} the
 * engine gives the candidate groups and the assignee READ on the task's history (Tasklist reads it
 * to show and add comments and the History tab). The managers read it through READ_HISTORY on their
 * teams' process definitions ({@link GroupGrants}), so they need no grant per task: a per-task
 * history grant would only add a row per task to the authorization table, kept for the history's 365
 * days, and an insert to every task's creation (docs/BENCHMARKS.md). Runs in the engine's
 * transaction (the Spring eventing bridge of the Camunda starter publishes every task event).
 */
@Component
public class TeamTaskGrants {

    @EventListener
    public void grantManagers(DelegateTask task) {
        // a check in Java, not a condition on the annotation: Spring evaluates such a SpEL condition for
        // every task event (each update of a priority or a task variable too), 2 % of an SLA timer
        // wave's CPU (docs/BENCHMARKS.md, SLA timer wave, thirteenth run)
        if (!TaskListener.EVENTNAME_CREATE.equals(task.getEventName())) {
            return;
        }
        AuthorizationService authorizations = task.getProcessEngineServices().getAuthorizationService();
        Set<String> candidateGroups = task.getCandidates().stream()
                .filter(link -> link.getGroupId() != null && IdentityLinkType.CANDIDATE.equals(link.getType()))
                .map(IdentityLink::getGroupId).collect(Collectors.toSet());
        grantManagers(authorizations, task.getId(), candidateGroups, false);
    }

    /**
     * The managers of each team among the task's candidate groups get READ and TASK_ASSIGN on it (a
     * migration that moves an open task to another team calls this too, {@code granted} true: a team's
     * managers who have their grant already are left; a new task has none, and is spared the query).
     */
    public static void grantManagers(AuthorizationService authorizations, String taskId, Set<String> candidateGroups, boolean granted) {
        for (String team : candidateGroups) {
            String managers = GroupGrants.TEAM_MANAGERS.get(team);
            // a manager group that is itself a candidate already has its grant on this task
            if (managers != null && !candidateGroups.contains(managers)) {
                if (granted && authorizations.createAuthorizationQuery().resourceType(Resources.TASK).resourceId(taskId).groupIdIn(managers)
                        .count() > 0) {
                    continue; // granted already
                }
                Authorization grant = authorizations.createNewAuthorization(AUTH_TYPE_GRANT);
                grant.setGroupId(managers);
                grant.setResource(Resources.TASK);
                grant.setResourceId(taskId);
                grant.addPermission(TaskPermissions.READ);
                grant.addPermission(TaskPermissions.TASK_ASSIGN);
                authorizations.saveAuthorization(grant);
            }
        }
    }

    /** The managers of a team the task no longer goes to lose their grant on it. */
    public static void revokeManagers(AuthorizationService authorizations, String taskId, String team) {
        String managers = GroupGrants.TEAM_MANAGERS.get(team);
        if (managers == null) {
            return;
        }
        authorizations.createAuthorizationQuery().resourceType(Resources.TASK).resourceId(taskId).groupIdIn(managers).list()
                .forEach(grant -> authorizations.deleteAuthorization(grant.getId()));
    }
}
