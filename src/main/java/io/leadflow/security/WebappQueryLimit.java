package io.leadflow.security;

import java.util.function.Supplier;

import org.camunda.bpm.BpmPlatform;
import org.camunda.bpm.engine.ProcessEngine;

import io.leadflow.platform.CamundaInternals;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.UriBuilder;

/**
 * The engine refuses an authenticated query without {@code maxResults} ({@code queryMaxResultsLimit},
 * so an API client pages instead of reading a whole table), and Camunda's webapps ask some of theirs
 * without one: Cockpit's list of a process's versions answered 400 "An unbound number of results is
 * forbidden!" and showed no versions to choose from. A GET to the engine API behind the webapps
 * ({@code …/api/engine/…}) without {@code maxResults} gets the limit as {@code maxResults}; a
 * resource that is no list ignores it. {@code /engine-rest} keeps the refusal.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class WebappQueryLimit implements ContainerRequestFilter {

    static final String MAX_RESULTS = "maxResults";

    private final Supplier<ProcessEngine> engine;

    public WebappQueryLimit() {
        this(() -> BpmPlatform.getProcessEngineService().getDefaultProcessEngine());
    }

    WebappQueryLimit(Supplier<ProcessEngine> engine) {
        this.engine = engine;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!"GET".equals(request.getMethod()) || !request.getUriInfo().getBaseUri().getPath().endsWith("/api/engine/")
                || request.getUriInfo().getQueryParameters().containsKey(MAX_RESULTS)) {
            return;
        }
        int limit = CamundaInternals.queryMaxResultsLimit(engine.get());
        if (limit == Integer.MAX_VALUE) {
            return; // no limit: nothing to add
        }
        request.setRequestUri(request.getUriInfo().getBaseUri(),
                UriBuilder.fromUri(request.getUriInfo().getRequestUri()).queryParam(MAX_RESULTS, limit).build());
    }
}
