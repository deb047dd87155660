package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.impl.persistence.StrongUuidGenerator;
import org.camunda.bpm.engine.spring.SpringProcessEngineConfiguration;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.task.TaskQuery;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariDataSource;

import io.leadflow.process.PostgresDatabase;

/**
 * Task lists on PostgreSQL check each task's authorizations by index instead of comparing every task
 * with every authorization of the user's groups. A Spring-managed engine with authorizations on, as
 * in the application, on a database of its own; the filter is called as the servlet container calls
 * it, and its chain runs the query Tasklist's "My team's tasks" runs.
 */
class TaskListPlanningTest {

    static final int TASKS = 400;
    static final String TEAM_LIST = "/camunda/api/engine/engine/default/filter/f1/list";

    static PostgresDatabase.Empty database;
    static HikariDataSource dataSource;
    static DataSourceTransactionManager transactions;
    static ProcessEngine engine;
    static TaskListPlanning.Filter filter;

    @BeforeAll
    static void teamWithOpenTasks() throws Exception {
        database = PostgresDatabase.empty("tasklists");
        dataSource = database.pool(4);
        new EngineSchema(dataSource, true).ensure();
        transactions = new DataSourceTransactionManager(dataSource);
        SpringProcessEngineConfiguration configuration = new SpringProcessEngineConfiguration();
        configuration.setProcessEngineName("task-list-planning");
        configuration.setDataSource(dataSource);
        configuration.setTransactionManager(transactions);
        configuration.setDatabaseSchemaUpdate("false");
        configuration.setJobExecutorActivate(false);
        configuration.setIdGenerator(new StrongUuidGenerator());
        configuration.setAuthorizationEnabled(true);
        configuration.setBeans(new HashMap<>()); // no application context: expressions see no beans
        engine = configuration.buildProcessEngine();

        engine.getRepositoryService().createDeployment().addModelInstance("team.bpmn", Bpmn.createExecutableProcess("team")
                .camundaHistoryTimeToLive(1).startEvent().userTask("work").camundaCandidateGroups("sales").endEvent().done()).deploy();
        AuthorizationService authorizations = engine.getAuthorizationService();
        for (int i = 0; i < TASKS; i++) {
            // the engine grants the candidate group each task; the managers get theirs as TeamTaskGrants gives them
            String instance = engine.getRuntimeService().startProcessInstanceByKey("team").getId();
            Task task = engine.getTaskService().createTaskQuery().processInstanceId(instance).singleResult();
            Authorization managers = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
            managers.setGroupId("sales-managers");
            managers.setResource(Resources.TASK);
            managers.setResourceId(task.getId());
            managers.addPermission(Permissions.READ);
            authorizations.saveAuthorization(managers);
        }
        new JdbcTemplate(dataSource).execute("analyze");
        filter = new TaskListPlanning.Filter(dataSource, transactions);
    }

    @AfterAll
    static void drop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (dataSource != null) {
            dataSource.close();
            database.drop();
        }
    }

    @Test
    void aTeamList_looksUpEachTasksAuthorizationsByIndex_andFindsWhatItFoundBefore() throws Exception {
        Map<String, Long> before = authorizationReads();
        List<Long> counts = new ArrayList<>();
        AtomicReference<List<Task>> page = new AtomicReference<>();
        request("POST", TEAM_LIST, () -> {
            counts.add(asTeamMember("sam", "sales", TaskQuery::count));
            page.set(asTeamMember("sam", "sales", query -> query.listPage(0, 15)));
        });
        Map<String, Long> after = authorizationReads();

        assertThat(counts).containsExactly((long) TASKS);
        assertThat(page.get()).hasSize(15);
        // a count and a page: each task's grants looked up by index (three lookups: the task, its process, '*'),
        // and the authorizations never read from start to end once per task
        assertThat(after.get("idx_scan") - before.get("idx_scan")).isGreaterThanOrEqualTo(2L * TASKS);
        assertThat(after.get("seq_scan") - before.get("seq_scan")).isLessThanOrEqualTo(10L);
    }

    @Test
    void withoutTheFilter_theEngineComparesEveryTaskWithEveryGrant() throws Exception {
        // what the filter is for: the same query on its own uses no index on the authorizations
        Map<String, Long> before = authorizationReads();
        long count = new TransactionTemplate(transactions).execute(status -> {
            long found = asTeamMember("max", "sales-managers", TaskQuery::count);
            new JdbcTemplate(dataSource).queryForList("select pg_stat_force_next_flush()");
            return found;
        });
        Map<String, Long> after = authorizationReads();

        assertThat(count).isEqualTo(TASKS);
        assertThat(after.get("idx_scan") - before.get("idx_scan")).isLessThan(TASKS);
    }

    @Test
    void aUserOutsideTheTeam_stillSeesNone() throws Exception {
        List<Long> counts = new ArrayList<>();
        request("GET", "/engine-rest/task/count", () -> counts.add(asTeamMember("mia", "marketing", TaskQuery::count)));
        assertThat(counts).containsExactly(0L);
    }

    @Test
    void theSettingsEndWithTheRequest() throws Exception {
        String server = setting("enable_material") + " " + setting("jit");
        List<String> inside = new ArrayList<>();
        request("GET", "/engine-rest/filter", () -> inside.add(setting("enable_material") + " " + setting("jit")));
        assertThat(inside).containsExactly("off off");
        // every connection of the pool is back to the server's settings
        List<Connection> all = new ArrayList<>();
        try {
            for (int i = 0; i < dataSource.getMaximumPoolSize(); i++) {
                all.add(dataSource.getConnection());
            }
            for (Connection connection : all) {
                try (Statement sql = connection.createStatement();
                     ResultSet row = sql.executeQuery("select current_setting('enable_material'), current_setting('jit')")) {
                    row.next();
                    assertThat(row.getString(1) + " " + row.getString(2)).isEqualTo(server);
                }
            }
        } finally {
            for (Connection connection : all) {
                connection.close();
            }
        }
    }

    @Test
    void otherEngineRequests_andOtherDatabases_areLeftAlone() throws Exception {
        for (String path : List.of("/engine-rest/task/abc/variables", "/engine-rest/process-instance", "/camunda/api/engine/engine/default/task/abc/form",
                "/camunda/api/cockpit/plugin/base/default/process-definition/statistics")) {
            List<String> inside = new ArrayList<>();
            request("GET", path, () -> inside.add(setting("enable_material")));
            assertThat(inside).as(path).containsExactly("on");
        }
        List<String> put = new ArrayList<>();
        request("PUT", "/engine-rest/task/count", () -> put.add(setting("enable_material")));
        assertThat(put).containsExactly("on");
        for (String path : List.of("/engine-rest/filter", "/engine-rest/filter/f1/count", "/engine-rest/filter/f1/list/", "/engine-rest/task",
                "/engine-rest/task/count", "/camunda/api/engine/engine/default/filter/f1/list")) {
            assertThat(TaskListPlanning.isTaskList(new MockHttpServletRequest("GET", path))).as(path).isTrue();
        }
    }

    @Test
    void aFailedCommandInside_isAnAnswer_notAnError() throws Exception {
        // Tasklist asking for a task that is gone: the REST API answers 404 and the engine marked the transaction
        List<String> caught = new ArrayList<>();
        request("POST", TEAM_LIST, () -> {
            TaskService tasks = engine.getTaskService();
            try {
                tasks.complete("no-such-task");
            } catch (RuntimeException e) {
                caught.add(e.getClass().getSimpleName());
            }
        });
        assertThat(caught).hasSize(1);
        assertThatThrownBy(() -> request("POST", TEAM_LIST, () -> {
            throw new IllegalStateException("broken");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(setting("enable_material")).isEqualTo("on");
    }

    private static <T> T asTeamMember(String user, String group, Function<TaskQuery, T> query) {
        engine.getIdentityService().setAuthentication(user, List.of(group));
        try {
            return query.apply(engine.getTaskService().createTaskQuery().taskCandidateGroupIn(List.of("sales", "sales-managers"))
                    .includeAssignedTasks().orderByDueDate().asc());
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
    }

    /** The filter called as the servlet container calls it; the chain stands for the REST resource. */
    private static void request(String method, String path, Runnable resource) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
            resource.run();
            // the statistics of this connection reach the server's counters when its transaction ends
            new JdbcTemplate(dataSource).queryForList("select pg_stat_force_next_flush()");
        });
    }

    private static String setting(String name) {
        return new JdbcTemplate(dataSource).queryForObject("select current_setting('" + name + "')", String.class);
    }

    private static Map<String, Long> authorizationReads() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("select pg_stat_clear_snapshot()");
            try (ResultSet row = sql.executeQuery(
                    "select seq_scan, idx_scan from pg_stat_user_tables where relname = 'act_ru_authorization'")) {
                row.next();
                return Map.of("seq_scan", row.getLong(1), "idx_scan", row.getLong(2));
            }
        }
    }
}
