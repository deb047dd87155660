package io.leadflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.apache.ibatis.exceptions.PersistenceException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures are "the database is out of reach" (503 + Retry-After), however they are wrapped. */
class DatabaseOutOfReachTest {

    @Test
    void givenNoConnectionWithinTheTimeout_whenAnyLayerWrapsIt_thenItIsOutOfReach() {
        SQLTransientConnectionException hikari = new SQLTransientConnectionException("Connection is not available, request timed out after 3000ms");

        assertThat(ApiProblemHandler.databaseOutOfReach(new CannotGetJdbcConnectionException("no connection", hikari))).isTrue();
        assertThat(ApiProblemHandler.databaseOutOfReach(new CannotCreateTransactionException("no connection", hikari))).isTrue();
        assertThat(ApiProblemHandler.databaseOutOfReach(new ProcessEngineException("ENGINE-03083", new PersistenceException(hikari)))).isTrue();
        // and said to be the pool's, which an operator sizes, not an outage
        assertThat(ApiProblemHandler.poolExhausted(new ProcessEngineException("ENGINE-03083", new PersistenceException(hikari)))).isTrue();
        assertThat(ApiProblemHandler.poolExhausted(new ProcessEngineException("io", new SQLException("I/O error", "08006")))).isFalse();
    }

    @Test
    void givenAServerThatShutsDown_whenTheEngineAndTheRollbackFail_thenItIsOutOfReach() {
        SQLException terminated = new SQLException("FATAL: terminating connection due to administrator command", "57P01");
        ProcessEngineException engine = new ProcessEngineException("flush failed", new PersistenceException(terminated));
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        rollback.initApplicationException(engine);

        assertThat(ApiProblemHandler.databaseOutOfReach(engine)).isTrue();
        assertThat(ApiProblemHandler.databaseOutOfReach(new ProcessEngineException("io", new SQLException("I/O error", "08006")))).isTrue();
        assertThat(ApiProblemHandler.databaseOutOfReach(rollback)).isTrue();
        // a rollback failure that carries no SQLException itself is judged by the statement's failure inside it
        TransactionSystemException withoutCause = new TransactionSystemException("rollback failed");
        withoutCause.initApplicationException(engine);
        assertThat(ApiProblemHandler.databaseOutOfReach(withoutCause)).isTrue();
        TransactionSystemException afterABug = new TransactionSystemException("rollback failed");
        afterABug.initApplicationException(new IllegalStateException("bug"));
        assertThat(ApiProblemHandler.databaseOutOfReach(afterABug)).isFalse();
    }

    @Test
    void givenAServerThatShutsDownAtTheCommit_whenTheRollbackAfterItFails_thenItIsOutOfReach() {
        // Spring logs the commit's failure ("Commit exception overridden by rollback exception") and throws the
        // rollback's, on the connection the pool closed: seen in DatabaseRestartIT as one 500 among 224 answers
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));

        assertThat(ApiProblemHandler.databaseOutOfReach(rollback)).isTrue();
    }

    @Test
    void givenABugOrABadStatement_whenItFails_thenItIsNotOutOfReach() {
        assertThat(ApiProblemHandler.databaseOutOfReach(new IllegalStateException("bug"))).isFalse();
        assertThat(ApiProblemHandler.databaseOutOfReach(new ProcessEngineException("syntax", new SQLException("syntax error", "42601")))).isFalse();
        assertThat(ApiProblemHandler.databaseOutOfReach(new TransactionSystemException("rollback failed"))).isFalse();
    }
}
