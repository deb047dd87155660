package io.leadflow.platform;

import java.sql.SQLException;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/**
 * A start that cannot reach or log in to its database (a wrong host or port, a server that is down, an
 * unknown role, a wrong password, a database that does not exist) ends with one line naming the URL,
 * the user and what the server said, instead of the first bean that happened to need a connection
 * (130 lines of "Error creating bean with name 'taskListPlanningFilter'", the cause at the bottom).
 */
public class DatabaseConnectionFailureAnalyzer implements FailureAnalyzer {

    static final String ACTION = "Check LEADFLOW_DB_URL (host, port, database name), LEADFLOW_DB_USER and LEADFLOW_DB_PASSWORD,"
            + " and that the database server runs and lets this host in (README \"Production on PostgreSQL\")";

    private final Environment environment;

    public DatabaseConnectionFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && unreachable(sql.getSQLState())) {
                String url = environment.getProperty("spring.datasource.url", "(no spring.datasource.url)");
                int parameters = url.indexOf('?');
                return new FailureAnalysis("The database could not be reached or refused the login at "
                        + (parameters < 0 ? url : url.substring(0, parameters)) + " as user "
                        + environment.getProperty("spring.datasource.username", "(none)") + ": " + sql.getMessage()
                        + " (SQL state " + sql.getSQLState() + ")", ACTION, sql);
            }
        }
        return null;
    }

    /** Connection exceptions (08…), a refused login (28…), a database that does not exist (3D000). */
    static boolean unreachable(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("28") || "3D000".equals(state));
    }
}
