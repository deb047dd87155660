package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

/** A database out of reach at start: one line with the URL, the user and the server's words. */
class DatabaseConnectionFailureAnalyzerTest {

    final MockEnvironment environment = new MockEnvironment()
            .withProperty("spring.datasource.url", "jdbc:postgresql://127.0.0.1:5499/leadflow?sslmode=disable")
            .withProperty("spring.datasource.username", "nosuchrole");

    @Test
    void aRefusedConnectionOrLogin_deepInABeansCreation_isNamedWithTheUrlAndTheUser() {
        for (SQLException refused : new SQLException[] {
                new SQLException("Connection to 127.0.0.1:5499 refused. Check that the hostname and port are correct", "08001"),
                new SQLException("FATAL: role \"nosuchrole\" does not exist", "28000"),
                new SQLException("FATAL: password authentication failed for user \"leadflow\"", "28P01"),
                new SQLException("FATAL: database \"leadflow\" does not exist", "3D000") }) {
            FailureAnalysis analysis = new DatabaseConnectionFailureAnalyzer(environment).analyze(new BeanCreationException(
                    "taskListPlanningFilter", "Error creating bean", new IllegalStateException("pool", refused)));

            assertThat(analysis).as(refused.getMessage()).isNotNull();
            assertThat(analysis.getDescription()).startsWith("The database could not be reached or refused the login at "
                    + "jdbc:postgresql://127.0.0.1:5499/leadflow as user nosuchrole: " + refused.getMessage());
            assertThat(analysis.getAction()).contains("LEADFLOW_DB_URL");
        }
    }

    @Test
    void aStatementsError_isLeftToTheOtherAnalyzers() {
        assertThat(new DatabaseConnectionFailureAnalyzer(environment).analyze(new SQLException("syntax error", "42601"))).isNull();
        assertThat(new DatabaseConnectionFailureAnalyzer(environment).analyze(new IllegalStateException("bug"))).isNull();
    }
}
