package io.leadflow.web;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

import io.swagger.v3.oas.annotations.Hidden;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test-only endpoints under {@code /api/test-failure} that fail the way a bug or a broken
 * database would, so the error answers of a real internal failure can be checked. The messages
 * carry internals (SQL, a secret) that must never reach the client. Only in the test profile: the
 * benchmarks and the cluster tests start the app from the test classpath too, and must not get them.
 */
public final class FailingTestEndpoints {

    /** A message as a failing database or library would write it: internals the client must not see. */
    public static final String INTERNALS = "select secret_column from lead where password_hash = 'hunter2'";

    private FailingTestEndpoints() {
    }

    @RestController
    @Profile("test")
    @Hidden
    public static class FailingController {

        @GetMapping("/api/test-failure")
        public String fail() {
            throw new IllegalStateException("Failed to run " + INTERNALS);
        }

        @GetMapping("/api/test-failure/lock-timeout")
        public String lockTimeout() {
            throw new org.springframework.dao.CannotAcquireLockException("Timeout trying to lock table: " + INTERNALS);
        }

        /** A connection lost at the commit: the rollback that follows fails too, and Spring reports that. */
        @GetMapping("/api/test-failure/commit-lost")
        public String commitLost() {
            throw new org.springframework.transaction.TransactionSystemException("JDBC commit failed",
                    new java.sql.SQLException("An I/O error occurred while sending to the backend.", "08006"));
        }

        @GetMapping("/api/test-failure/illegal-argument")
        public String illegalArgument() {
            throw new IllegalArgumentException("Bug in our code, not the client's: " + INTERNALS);
        }
    }

    /** Fails before any controller is reached, as a broken filter (authentication, logging) would. */
    @Component
    @Profile("test")
    public static class FailingFilter implements Filter {

        public static final String PATH = "/api/test-failure/in-filter";

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (request instanceof HttpServletRequest http && PATH.equals(http.getRequestURI())) {
                throw new IllegalStateException("Filter failed on " + INTERNALS);
            }
            chain.doFilter(request, response);
        }
    }
}
