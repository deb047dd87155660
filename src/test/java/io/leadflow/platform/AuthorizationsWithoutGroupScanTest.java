package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.AuthorizationManager;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadflow.platform.CamundaInternals.AuthorizationsWithoutGroupScan;

/**
 * The authorization checks without the engine's scan of the authorization table for group ids: two
 * engines on one database, the engine's own and one with {@link AuthorizationsWithoutGroupScan}, give
 * every user the same answers — a group with grants, one without any, a global grant and a group's
 * revoke of it, no groups at all.
 */
class AuthorizationsWithoutGroupScanTest {

    static final String TEAM = "sales";
    static final String MANAGERS = "salesManagers";
    static final String NO_GRANTS = "newsletter";
    static final String REVOKED = "onLeave";

    static ProcessEngine enginesOwn;
    static ProcessEngine withoutScan;
    static List<String> taskIds;

    @BeforeAll
    static void twoEnginesOnOneDatabase() {
        String url = "jdbc:h2:mem:group-scan-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        enginesOwn = configuration("own", url).buildProcessEngine();
        ProcessEngineConfigurationImpl changed = configuration("without-scan", url);
        AuthorizationsWithoutGroupScan.register(changed);
        withoutScan = changed.buildProcessEngine();

        enginesOwn.getRepositoryService().createDeployment().addModelInstance("probe.bpmn", Bpmn.createExecutableProcess("probe")
                .camundaHistoryTimeToLive(1).startEvent().userTask("work").camundaCandidateGroups(TEAM).endEvent().done()).deploy();
        for (int i = 0; i < 3; i++) {
            enginesOwn.getRuntimeService().startProcessInstanceByKey("probe");
        }
        taskIds = enginesOwn.getTaskService().createTaskQuery().orderByTaskId().asc().list().stream().map(Task::getId).toList();

        AuthorizationService authorizations = enginesOwn.getAuthorizationService();
        save(authorizations, Authorization.AUTH_TYPE_GRANT, MANAGERS, Resources.TASK, "*", Permissions.READ);
        save(authorizations, Authorization.AUTH_TYPE_GRANT, TEAM, Resources.PROCESS_DEFINITION, "probe", Permissions.READ);
        // everyone reads the first task, except the members of one group
        save(authorizations, Authorization.AUTH_TYPE_GLOBAL, null, Resources.TASK, taskIds.get(0), Permissions.READ);
        save(authorizations, Authorization.AUTH_TYPE_REVOKE, REVOKED, Resources.TASK, taskIds.get(0), Permissions.READ);
    }

    @AfterAll
    static void close() {
        withoutScan.close();
        enginesOwn.close();
    }

    @Test
    void theUsersGroups_reachTheChecksAsTheyAre_withoutReadingTheDatabase() {
        // the engine's own needs a command and its database to narrow the groups; this one needs neither
        assertThat(new AuthorizationsWithoutGroupScan.Manager().filterAuthenticatedGroupIds(
                Arrays.asList(TEAM, NO_GRANTS, TEAM, null))).containsExactly(TEAM, NO_GRANTS);
        assertThat(new AuthorizationsWithoutGroupScan.Manager().filterAuthenticatedGroupIds(List.of())).isEmpty();
        assertThatThrownBy(() -> new AuthorizationManager().filterAuthenticatedGroupIds(List.of(TEAM)))
                .as("the engine's own reads the authorization table's group ids")
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void theEngineWithIt_opensItsManager_whereTheEnginesOwnNarrowsTheGroupsToThoseWithGrants() {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) withoutScan.getProcessEngineConfiguration();
        assertThat(configuration.getSessionFactories().get(AuthorizationManager.class))
                .isInstanceOf(AuthorizationsWithoutGroupScan.Factory.class);

        List<String> groups = List.of(TEAM, NO_GRANTS);
        assertThat(inCommand(withoutScan, groups)).containsExactly(TEAM, NO_GRANTS);
        assertThat(inCommand(enginesOwn, groups)).containsExactly(TEAM);
    }

    @Test
    void everyUser_getsTheSameAnswers_fromBothEngines() {
        Map<String, List<String>> users = new LinkedHashMap<>();
        users.put("sam", List.of(TEAM));
        users.put("nina", List.of(NO_GRANTS));
        users.put("sara", List.of(TEAM, NO_GRANTS, TEAM));
        users.put("bob", List.of(REVOKED, NO_GRANTS));
        users.put("max", List.of(MANAGERS, NO_GRANTS));
        users.put("eve", List.of());

        Map<String, List<String>> own = new LinkedHashMap<>();
        Map<String, List<String>> changed = new LinkedHashMap<>();
        users.forEach((user, groups) -> {
            own.put(user, answers(enginesOwn, user, groups));
            changed.put(user, answers(withoutScan, user, groups));
        });

        assertThat(changed).isEqualTo(own);
        // and the answers are the ones the grants call for, so equal cannot mean equally wrong
        String first = "tasks " + taskIds.subList(0, 1);
        assertThat(own.get("sam")).startsWith("tasks " + taskIds, "definitions 1", "read first task true", "variables allowed");
        assertThat(own.get("sara")).isEqualTo(own.get("sam"));
        assertThat(own.get("nina")).startsWith(first, "definitions 0", "read first task true", "variables allowed");
        assertThat(own.get("bob")).startsWith("tasks []", "definitions 0", "read first task false", "variables denied");
        assertThat(own.get("max")).startsWith("tasks " + taskIds, "definitions 0", "read first task true", "variables allowed");
        assertThat(own.get("eve")).startsWith(first, "definitions 0", "read first task true", "variables allowed");
    }

    private static List<String> answers(ProcessEngine engine, String user, List<String> groups) {
        List<String> answers = new ArrayList<>();
        engine.getIdentityService().setAuthentication(user, groups);
        try {
            answers.add("tasks " + engine.getTaskService().createTaskQuery().orderByTaskId().asc().list().stream().map(Task::getId).toList());
            answers.add("definitions " + engine.getRepositoryService().createProcessDefinitionQuery().count());
            answers.add("read first task " + engine.getAuthorizationService().isUserAuthorized(user, groups, Permissions.READ,
                    Resources.TASK, taskIds.get(0)));
            answers.add("variables " + variables(engine, taskIds.get(0)));
            answers.add("task count " + engine.getTaskService().createTaskQuery().count());
            answers.add("historic tasks " + engine.getHistoryService().createHistoricTaskInstanceQuery().count());
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
        return answers;
    }

    private static String variables(ProcessEngine engine, String taskId) {
        try {
            engine.getTaskService().getVariables(taskId);
            return "allowed";
        } catch (AuthorizationException e) {
            return "denied";
        }
    }

    private static List<String> inCommand(ProcessEngine engine, List<String> groups) {
        return ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getCommandExecutorTxRequired()
                .execute(context -> context.getAuthorizationManager().filterAuthenticatedGroupIds(groups));
    }

    private static void save(AuthorizationService authorizations, int type, String group, Resource resource, String resourceId,
                             Permissions permission) {
        Authorization authorization = authorizations.createNewAuthorization(type);
        if (group != null) {
            authorization.setGroupId(group);
        }
        authorization.setResource(resource);
        authorization.setResourceId(resourceId);
        if (type == Authorization.AUTH_TYPE_REVOKE) {
            authorization.removePermission(permission);
        } else {
            authorization.addPermission(permission);
        }
        authorizations.saveAuthorization(authorization);
    }

    private static ProcessEngineConfigurationImpl configuration(String name, String url) {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
                .createStandaloneInMemProcessEngineConfiguration()
                .setProcessEngineName("group-scan-" + name + "-" + UUID.randomUUID())
                .setJdbcUrl(url)
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
                .setJobExecutorActivate(false)
                .setAuthorizationEnabled(true)
                .setHistory(ProcessEngineConfiguration.HISTORY_FULL);
        configuration.setEnableHistoricInstancePermissions(true);
        return configuration;
    }
}
