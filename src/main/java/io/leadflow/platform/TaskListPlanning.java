package io.leadflow.platform;

import java.io.IOException;
import java.sql.SQLException;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Task lists (Tasklist's filters and counts, the engine REST API's task queries) on PostgreSQL run
 * in one transaction that tells the planner two things for that transaction only, so that a list
 * costs in proportion to the team's open tasks instead of their square.
 *
 * <p>With authorizations on, the engine's task query joins every task with the authorizations of the
 * user and their groups on {@code AUTH.RESOURCE_ID_ in (RES.ID_, D.KEY_, '*')}. Those authorizations
 * are rows per task (the engine's grant to each candidate group, {@code TeamTaskGrants}' to the
 * managers), so there are about as many as the team has open tasks. The planner underestimates them
 * (it cannot estimate {@code PERMS_ & ? = ?}; in the generic plan of a prepared statement never) and
 * compares every task with every authorization, held in memory: the work grows with the square of the
 * team's open tasks. Without materializing, the only cheaper way left to it is Camunda's index on
 * {@code RESOURCE_ID_}: three lookups per task. JIT compilation is off as well: the honest cost of that
 * plan is above PostgreSQL's JIT threshold, and compiling takes longer than the query. A Tasklist page
 * (a count and a list) of a team with 2,000 open tasks: 568 ms of PostgreSQL without, 92 ms with
 * (docs/BENCHMARKS.md, "CSV import and reads", fifteenth run).
 *
 * <p>The engine's commands join the transaction (the engine runs on Spring's transaction manager), so
 * the settings reach its queries; {@code set local} ends with the transaction, and the pool's
 * connection goes back as it was. H2 (the demo) has no such planner: nothing is done there.
 * {@code leadflow.task-lists.linear-plans=false} turns it off.
 */
@Configuration
@ConditionalOnProperty(name = "leadflow.task-lists.linear-plans", havingValue = "true", matchIfMissing = true)
public class TaskListPlanning {

    /** The settings, for this transaction only. */
    static final String SETTINGS = "set local enable_material = off; set local jit = off";

    /**
     * The task lists: filters with their counts ({@code GET /filter?itemCount=true}, Tasklist's side
     * bar), a filter's list and count, and the task query with its count, under {@code /engine-rest}
     * and under the webapps' {@code /camunda/api/engine/engine/<name>}.
     */
    static final Pattern TASK_LISTS =
            Pattern.compile("/(engine-rest|camunda/api/engine/engine/[^/]+)/(filter(/[^/]+/(list|count))?|task(/count)?)/?");

    @Bean
    FilterRegistrationBean<Filter> taskListPlanningFilter(DataSource dataSource, PlatformTransactionManager transactions)
            throws SQLException {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new Filter(dataSource, transactions));
        registration.setName("leadflow-task-list-planning");
        registration.addUrlPatterns("/engine-rest/*", "/camunda/api/engine/*");
        // its place among the engine APIs' filters does not matter: it only opens the transaction that the
        // engine's commands join (a request a login turns away holds a connection for that moment, as the login's own lookup does)
        registration.setOrder(Ordered.LOWEST_PRECEDENCE);
        return registration;
    }

    static boolean isTaskList(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String method = request.getMethod();
        return ("GET".equals(method) || "POST".equals(method)) && TASK_LISTS.matcher(path).matches();
    }

    /** The filter itself, for one data source and its transaction manager. */
    public static class Filter extends OncePerRequestFilter {

        private final PlatformTransactionManager transactions;
        private final JdbcTemplate jdbc;
        private final boolean postgres;

        public Filter(DataSource dataSource, PlatformTransactionManager transactions) throws SQLException {
            this.transactions = transactions;
            this.jdbc = new JdbcTemplate(dataSource);
            this.postgres = EngineSchema.isPostgres(dataSource);
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !postgres || !isTaskList(request);
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            TransactionStatus transaction = transactions.getTransaction(new DefaultTransactionDefinition());
            try {
                jdbc.execute(SETTINGS);
                chain.doFilter(request, response);
            } catch (Throwable e) {
                transactions.rollback(transaction);
                throw e;
            }
            // a command that failed inside (an answer such as 403 or 404) marked it rollback-only: nothing to keep
            if (transaction.isRollbackOnly()) {
                transactions.rollback(transaction);
            } else {
                transactions.commit(transaction);
            }
        }
    }
}
