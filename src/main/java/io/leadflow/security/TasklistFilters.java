package io.leadflow.security;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.task.TaskQuery;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.leadflow.lead.LeadVariables;
import io.leadflow.platform.BeforeServing;
import io.leadflow.sla.EngineClock;
import io.leadflow.sla.SlaProperties;
import io.leadflow.sla.SlaStatus;
import io.leadflow.sla.SlaTimers;

/**
 * The Tasklist filters reps work from, created at start-up (and again every midnight) through the
 * engine's filter API. Every row shows the lead's name, company, score and grade (filter property
 * {@code variables}); Tasklist shows the due date of each row itself. Sorted by due date.
 *
 * <p>Stored queries may not hold expressions ({@code enableExpressionsInStoredQueries=false}: a stored
 * expression is code), so "assigned to ${currentUser()}" or "due before ${now()}" cannot be shared:
 * every member of a Tasklist group gets their own filters, owned by them, with their id and their
 * teams written in:
 * <ul>
 * <li><b>My team's tasks</b> (the default: lowest priority number) — open tasks of the user's teams,
 *     assigned or not;</li>
 * <li><b>My tasks</b> — tasks assigned to the user;</li>
 * <li><b>Due today</b> — the teams' tasks due before the end of today in the SLA's zone (the date is
 *     written into the query and rewritten every midnight);</li>
 * <li><b>At risk or breached</b> — the teams' tasks whose task-local SLA status is not on time. The
 *     SLA's own timers set that status (the reminder, at the agreed share of the deadline's business
 *     time, sets AT_RISK; the deadline sets BREACHED), so the filter agrees with the reminders and
 *     escalations and counts business time, which a due-date range cannot.</li>
 * </ul>
 * The shared filters (open tasks to claim, marketing's and sales' tasks) serve users created after the start.
 * Every filter is created once by name and owner, under a row lock ({@code setup_lock}), so two nodes
 * starting together create no duplicates; process owners may change them in Tasklist afterwards.
 */
@Component
public class TasklistFilters {

    public static final String MY_TEAMS_TASKS = "My team's tasks";
    public static final String MY_TASKS = "My tasks";
    public static final String DUE_TODAY = "Due today";
    public static final String AT_RISK_OR_BREACHED = "At risk or breached";
    public static final String OPEN_TASKS = "Open tasks to claim";
    public static final String MARKETING_TASKS = "Marketing tasks";
    public static final String SALES_TASKS = "Sales tasks";
    /** Shared filters of earlier versions whose queries held expressions: they cannot run any more. */
    static final List<String> EXPRESSION_FILTERS = List.of(MY_TASKS, MY_TEAMS_TASKS);

    /** The columns of every row: {@code properties.variables} of each filter. */
    // score and grade first: Tasklist shows the first two under each task (the task name carries the lead and company)
    public static final List<Map<String, String>> LIST_VARIABLES = List.of(
            Map.of("name", LeadVariables.LEAD_SCORE, "label", "Score"),
            Map.of("name", LeadVariables.FIT_GRADE, "label", "Grade"),
            Map.of("name", LeadVariables.LEAD_NUMBER, "label", "No."),
            Map.of("name", LeadVariables.CONTACT_NAME, "label", "Lead"),
            Map.of("name", LeadVariables.COMPANY_NAME, "label", "Company"));

    /** The candidate groups whose tasks a member of a Tasklist group works on or watches. */
    static final Map<String, List<String>> TEAMS = Map.of(
            Groups.MARKETING, List.of(Groups.MARKETING),
            Groups.MARKETING_MANAGERS, List.of(Groups.MARKETING, Groups.MARKETING_MANAGERS),
            Groups.SALES, List.of(Groups.SALES),
            Groups.SALES_MANAGERS, List.of(Groups.SALES, Groups.SALES_MANAGERS),
            Groups.PROCESS_OWNERS, List.of(Groups.MARKETING, Groups.MARKETING_MANAGERS, Groups.SALES, Groups.SALES_MANAGERS));

    private final FilterService filters;
    private final TaskService tasks;
    private final IdentityService identity;
    private final EngineGrants grants;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final EngineClock clock;
    private final SlaProperties sla;

    public TasklistFilters(FilterService filters, TaskService tasks, IdentityService identity, AuthorizationService authorizations,
                           JdbcClient jdbc, PlatformTransactionManager transactionManager, EngineClock clock, SlaProperties sla) {
        this.filters = filters;
        this.tasks = tasks;
        this.identity = identity;
        this.grants = new EngineGrants(authorizations);
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.sla = sla;
    }

    @Order(1)
    @EventListener(BeforeServing.Event.class)
    public void createFilters() {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("select name from setup_lock where name = 'tasklistFilters' for update").query(String.class).list();
            createUnderLock();
        });
    }

    /** "Due today" holds the date: rewritten when the day changes in the SLA's zone (and new users get their filters). */
    @Scheduled(cron = "0 0 0 * * *", zone = "${leadflow.sla.zone:Europe/Berlin}")
    public void newDay() {
        createFilters();
    }

    private void createUnderLock() {
        for (String legacy : EXPRESSION_FILTERS) {
            filters.createFilterQuery().filterName(legacy).listPage(0, 100).stream()
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
        for (Filter all : filters.createFilterQuery().filterName("All tasks").listPage(0, 10)) {
            // Tasklist opens the filter with the lowest priority, but compares a missing one as neither lower nor
            // higher: an "All tasks" without priority listed first would stay the default
            if (all.getProperties() == null || !all.getProperties().containsKey("priority")) {
                Map<String, Object> properties = new HashMap<>(all.getProperties() == null ? Map.of() : all.getProperties());
                properties.put("priority", 10);
                properties.putIfAbsent("variables", LIST_VARIABLES);
                all = filters.saveFilter(all.setProperties(properties));
            }
            share(all, GroupGrants.TASKLIST_GROUPS);
        }
        Map<String, Set<String>> teamsOfUser = new LinkedHashMap<>();
        for (String group : GroupGrants.TASKLIST_GROUPS) {
            grants.toGroup(group, Resources.FILTER, GroupGrants.ANY, Permissions.CREATE);
            for (User user : identity.createUserQuery().memberOfGroup(group).listPage(0, 1000)) {
                teamsOfUser.computeIfAbsent(user.getId(), u -> new LinkedHashSet<>()).addAll(TEAMS.get(group));
            }
        }
        Date endOfToday = Date.from(ZonedDateTime.ofInstant(clock.now(), sla.zone()).toLocalDate().plusDays(1)
                .atStartOfDay(sla.zone()).toInstant());
        teamsOfUser.forEach((user, teams) -> {
            List<String> candidateGroups = new ArrayList<>(teams);
            create(MY_TEAMS_TASKS, -20, "Open tasks of my team (" + String.join(", ", candidateGroups) + "), most urgent first",
                    team(candidateGroups), user);
            create(MY_TASKS, -15, "Tasks assigned to me, most urgent first",
                    tasks.createTaskQuery().taskAssignee(user).orderByDueDate().asc(), user);
            Filter dueToday = create(DUE_TODAY, -12, "My team's tasks due by the end of today (or overdue)",
                    team(candidateGroups).dueBefore(endOfToday), user);
            filters.saveFilter(dueToday.setQuery(team(candidateGroups).dueBefore(endOfToday)));
            create(AT_RISK_OR_BREACHED, -11, "My team's tasks past their SLA reminder (at risk) or their deadline (breached)",
                    team(candidateGroups).taskVariableValueNotEquals(SlaTimers.SLA_STATUS, SlaStatus.ON_TIME.name()), user);
        });
    }

    private TaskQuery team(List<String> candidateGroups) {
        return tasks.createTaskQuery().taskCandidateGroupIn(candidateGroups).includeAssignedTasks().orderByDueDate().asc();
    }

    /**
     * Creates the filter unless one of that name (and owner) exists; the engine grants an owner all
     * permissions on it. A filter of an earlier version without list columns gets them.
     */
    private Filter create(String name, int priority, String description, TaskQuery query, String owner) {
        var existing = filters.createFilterQuery().filterName(name);
        List<Filter> found = (owner == null ? existing : existing.filterOwner(owner)).listPage(0, 10).stream()
                .filter(f -> owner != null || f.getOwner() == null).toList();
        if (!found.isEmpty()) {
            Filter filter = found.get(0);
            if (filter.getProperties() == null || !filter.getProperties().containsKey("variables")) {
                Map<String, Object> properties = new HashMap<>(filter.getProperties() == null ? Map.of() : filter.getProperties());
                properties.put("variables", LIST_VARIABLES);
                filter = filters.saveFilter(filter.setProperties(properties));
            }
            return filter;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("priority", priority);
        properties.put("description", description);
        properties.put("refresh", true);
        properties.put("variables", LIST_VARIABLES);
        Filter filter = filters.newTaskFilter(name).setOwner(owner).setQuery(query).setProperties(properties);
        return filters.saveFilter(filter);
    }

    private void share(Filter filter, List<String> groups) {
        for (String group : groups) {
            grants.toGroup(group, Resources.FILTER, filter.getId(), Permissions.READ);
        }
    }
}
