package io.leadflow.security;

import static org.camunda.bpm.engine.authorization.Resources.APPLICATION;
import static org.camunda.bpm.engine.authorization.Resources.DECISION_DEFINITION;
import static org.camunda.bpm.engine.authorization.Resources.DECISION_REQUIREMENTS_DEFINITION;
import static org.camunda.bpm.engine.authorization.Resources.DEPLOYMENT;
import static org.camunda.bpm.engine.authorization.Resources.PROCESS_DEFINITION;
import static org.camunda.bpm.engine.authorization.Resources.PROCESS_INSTANCE;
import static org.camunda.bpm.engine.authorization.Resources.USER;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.ProcessInstancePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.leadflow.platform.BeforeServing;

/**
 * Who may do what, as engine authorizations of the groups (every profile; README "Who may do
 * what"). Task work itself is not granted here: the engine grants a task's candidate groups and
 * assignee READ and TASK_WORK on that task ({@code defaultUserPermissionNameForTask}),
 * {@link TeamTaskGrants} adds the team managers, {@link TaskWorkGuard} keeps a rep off a
 * colleague's task and limits what a completion may set. Administrators ({@code camunda-admin})
 * get every permission from the admin user set-up.
 */
@Component
public class GroupGrants {

    public static final String LIFECYCLE = "leadLifecycle";
    public static final String FOLLOW_UP = "leadFollowUp";
    public static final String NURTURE = "leadNurture";
    public static final String REP_AVAILABILITY = "repAvailability";
    public static final String ANY = "*";

    /** The manager group of each team: they see and reassign the team's tasks. */
    public static final Map<String, String> TEAM_MANAGERS = Map.of(
            Groups.MARKETING, Groups.MARKETING_MANAGERS,
            Groups.SALES, Groups.SALES_MANAGERS);

    /** The groups that use Tasklist, and so its shared filters. */
    public static final List<String> TASKLIST_GROUPS = List.of(Groups.MARKETING, Groups.MARKETING_MANAGERS,
            Groups.SALES, Groups.SALES_MANAGERS, Groups.PROCESS_OWNERS);

    /** The teams' groups by id, with the names Admin shows: created in every profile, so people are put in them. */
    public static final Map<String, String> TEAM_GROUPS = new java.util.LinkedHashMap<>(Map.of(
            Groups.MARKETING, "Marketing", Groups.MARKETING_MANAGERS, "Marketing managers", Groups.SALES, "Sales",
            Groups.SALES_MANAGERS, "Sales managers", Groups.PROCESS_OWNERS, "Process owners"));

    private static final Logger LOG = LoggerFactory.getLogger(GroupGrants.class);

    private final EngineGrants grants;
    private final org.camunda.bpm.engine.IdentityService identity;

    public GroupGrants(AuthorizationService authorizations, org.camunda.bpm.engine.IdentityService identity) {
        this.grants = new EngineGrants(authorizations);
        this.identity = identity;
    }

    /**
     * The groups the models, grants and filters name, created where missing (a production install has
     * only {@code camunda-admin}: an administrator puts people in them in Admin → Groups). Two nodes
     * starting together: the one that loses the race on the group's id finds it made.
     */
    @Order(-2)
    @EventListener(BeforeServing.Event.class)
    public void createTeamGroups() {
        List<String> created = new java.util.ArrayList<>();
        TEAM_GROUPS.forEach((id, name) -> {
            if (identity.createGroupQuery().groupId(id).count() > 0) {
                return;
            }
            org.camunda.bpm.engine.identity.Group group = identity.newGroup(id);
            group.setName(name);
            group.setType("WORKFLOW");
            try {
                identity.saveGroup(group);
                created.add(id);
            } catch (org.camunda.bpm.engine.ProcessEngineException lost) {
                if (identity.createGroupQuery().groupId(id).count() == 0) {
                    throw lost;
                }
            }
        });
        if (!created.isEmpty()) {
            LOG.info("Created the teams' groups {}: put people in them in Admin → Groups", created);
        }
    }

    @Order(0)
    @EventListener(BeforeServing.Event.class)
    public void grant() {
        for (String group : TASKLIST_GROUPS) {
            grants.toGroup(group, APPLICATION, "tasklist", Permissions.ACCESS);
        }
        // READ_INSTANCE: Tasklist's lists show the lead's variables (number, name, company, score, grade)
        // beside each task, and those are the instance's, not the task's; a rep reads any lead's record
        // through /api (scope read) already, so this shows nothing new
        grants.toGroup(Groups.MARKETING, PROCESS_DEFINITION, LIFECYCLE, ProcessDefinitionPermissions.READ,
                ProcessDefinitionPermissions.READ_INSTANCE);
        for (String process : List.of(LIFECYCLE, FOLLOW_UP)) {
            grants.toGroup(Groups.SALES, PROCESS_DEFINITION, process, ProcessDefinitionPermissions.READ,
                    ProcessDefinitionPermissions.READ_INSTANCE);
        }

        // managers watch their team's leads in Cockpit
        for (String managers : List.of(Groups.MARKETING_MANAGERS, Groups.SALES_MANAGERS)) {
            grants.toGroup(managers, APPLICATION, "cockpit", Permissions.ACCESS);
            // Tasklist's "Set assignee" looks the user up before it takes the name: without READ it
            // stays red and sets nobody (whom a task may go to is TaskWorkGuard's team rule)
            grants.toGroup(managers, USER, ANY, Permissions.READ);
        }
        for (String process : List.of(LIFECYCLE, NURTURE)) {
            grants.toGroup(Groups.MARKETING_MANAGERS, PROCESS_DEFINITION, process, ProcessDefinitionPermissions.READ,
                    ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY);
        }
        for (String process : List.of(LIFECYCLE, FOLLOW_UP)) {
            grants.toGroup(Groups.SALES_MANAGERS, PROCESS_DEFINITION, process, ProcessDefinitionPermissions.READ,
                    ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY);
        }

        // sales managers mark reps out of office, deactivate them and set their capacity: Tasklist's start form "Manage rep availability"
        grants.toGroup(Groups.SALES_MANAGERS, PROCESS_DEFINITION, REP_AVAILABILITY, ProcessDefinitionPermissions.READ,
                ProcessDefinitionPermissions.CREATE_INSTANCE, ProcessDefinitionPermissions.READ_INSTANCE,
                ProcessDefinitionPermissions.READ_HISTORY);
        grants.toGroup(Groups.SALES_MANAGERS, PROCESS_INSTANCE, ANY, ProcessInstancePermissions.CREATE);

        // process owners deploy from Camunda Modeler, read every model and start leads by hand
        grants.toGroup(Groups.PROCESS_OWNERS, APPLICATION, "cockpit", Permissions.ACCESS);
        grants.toGroup(Groups.PROCESS_OWNERS, DEPLOYMENT, ANY, Permissions.CREATE, Permissions.READ);
        grants.toGroup(Groups.PROCESS_OWNERS, PROCESS_DEFINITION, ANY, ProcessDefinitionPermissions.READ,
                ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY);
        grants.toGroup(Groups.PROCESS_OWNERS, PROCESS_DEFINITION, LIFECYCLE, ProcessDefinitionPermissions.CREATE_INSTANCE);
        grants.toGroup(Groups.PROCESS_OWNERS, PROCESS_INSTANCE, ANY, ProcessInstancePermissions.CREATE);
        grants.toGroup(Groups.PROCESS_OWNERS, DECISION_DEFINITION, ANY, Permissions.READ);
        grants.toGroup(Groups.PROCESS_OWNERS, DECISION_REQUIREMENTS_DEFINITION, ANY, Permissions.READ);
        LOG.info("Engine authorizations of the groups {} are in place", TASKLIST_GROUPS);
    }
}
