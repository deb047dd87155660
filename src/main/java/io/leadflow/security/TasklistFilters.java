package io.leadflow.security;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.task.TaskQuery;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Tasklist filters every rep needs, created once by name (process owners may change them in
 * Tasklist afterwards) and readable by the groups. Stored queries may not hold expressions
 * ({@code enableExpressionsInStoredQueries=false}: a stored expression is code), so there is no
 * shared "assigned to ${currentUser()}" filter: the shared filters list a team's tasks (the engine
 * shows each user only the tasks they may see), and every member of a group gets a personal
 * "My tasks" filter with their own id. Users may create further filters of their own.
 */
@Component
public class TasklistFilters {

    public static final String MY_TASKS = "My tasks";
    public static final String OPEN_TASKS = "Open tasks to claim";
    public static final String MARKETING_TASKS = "Marketing tasks";
    public static final String SALES_TASKS = "Sales tasks";
    /** Shared filters of earlier versions whose queries held expressions: they cannot run any more. */
    static final List<String> EXPRESSION_FILTERS = List.of(MY_TASKS, "My team's tasks");

    private final FilterService filters;
    private final TaskService tasks;
    private final IdentityService identity;
    private final EngineGrants grants;

    public TasklistFilters(FilterService filters, TaskService tasks, IdentityService identity, AuthorizationService authorizations) {
        this.filters = filters;
        this.tasks = tasks;
        this.identity = identity;
        this.grants = new EngineGrants(authorizations);
    }

    @Order(1)
    @EventListener(ApplicationReadyEvent.class)
    public void createFilters() {
        for (String legacy : EXPRESSION_FILTERS) {
            filters.createFilterQuery().filterName(legacy).listPage(0, 10).stream()
                    .filter(f -> f.getOwner() == null)
                    .forEach(f -> filters.deleteFilter(f.getId()));
        }
        share(create(OPEN_TASKS, -8, "Unassigned tasks I may claim, most urgent first",
                tasks.createTaskQuery().taskUnassigned().orderByDueDate().asc(), null), GroupGrants.TASKLIST_GROUPS);
        share(create(MARKETING_TASKS, -5, "Open tasks of marketing (Review MQL, Fix lead data)",
                tasks.createTaskQuery().taskCandidateGroup(Groups.MARKETING).includeAssignedTasks().orderByDueDate().asc(), null),
                List.of(Groups.MARKETING, Groups.MARKETING_MANAGERS, Groups.PROCESS_OWNERS));
        share(create(SALES_TASKS, -5, "Open tasks of sales (Accept lead, Contact lead, Qualify lead)",
                tasks.createTaskQuery().taskCandidateGroup(Groups.SALES).includeAssignedTasks().orderByDueDate().asc(), null),
                List.of(Groups.SALES, Groups.SALES_MANAGERS, Groups.PROCESS_OWNERS));
        filters.createFilterQuery().filterName("All tasks").listPage(0, 10).forEach(f -> share(f, GroupGrants.TASKLIST_GROUPS));
        for (String group : GroupGrants.TASKLIST_GROUPS) {
            grants.toGroup(group, Resources.FILTER, GroupGrants.ANY, Permissions.CREATE);
            for (User user : identity.createUserQuery().memberOfGroup(group).listPage(0, 1000)) {
                create(MY_TASKS, -10, "Tasks assigned to me, most urgent first",
                        tasks.createTaskQuery().taskAssignee(user.getId()).orderByDueDate().asc(), user.getId());
            }
        }
    }

    /** Creates the filter unless one of that name (and owner) exists; the engine grants an owner all permissions on it. */
    private Filter create(String name, int priority, String description, TaskQuery query, String owner) {
        var existing = filters.createFilterQuery().filterName(name);
        List<Filter> found = (owner == null ? existing : existing.filterOwner(owner)).listPage(0, 10).stream()
                .filter(f -> owner != null || f.getOwner() == null).toList();
        if (!found.isEmpty()) {
            return found.get(0);
        }
        Filter filter = filters.newTaskFilter(name).setOwner(owner).setQuery(query)
                .setProperties(Map.of("priority", priority, "description", description, "refresh", true));
        return filters.saveFilter(filter);
    }

    private void share(Filter filter, List<String> groups) {
        for (String group : groups) {
            grants.toGroup(group, Resources.FILTER, filter.getId(), Permissions.READ);
        }
    }
}
