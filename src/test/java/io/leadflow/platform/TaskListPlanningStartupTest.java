package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.http.ResponseEntity;

import io.leadflow.SpringIntegrationTest;

/**
 * The running app puts its task lists' planning in front of both engine APIs (what it does on
 * PostgreSQL: {@link TaskListPlanningTest}); on the tests' H2 the lists pass through unchanged.
 */
class TaskListPlanningStartupTest extends SpringIntegrationTest {

    @Autowired
    Map<String, FilterRegistrationBean<?>> registrations;

    @Test
    void theFilterStandsBeforeBothEngineApis_andTheListsAnswerThroughIt() {
        FilterRegistrationBean<?> registration = registrations.get("taskListPlanningFilter");
        assertThat(registration).isNotNull();
        assertThat(registration.getFilter()).isInstanceOf(TaskListPlanning.Filter.class);
        assertThat(registration.getUrlPatterns()).containsExactlyInAnyOrder("/engine-rest/*", "/camunda/api/engine/*");

        ResponseEntity<String> count = http.get().uri("/engine-rest/task/count").retrieve().toEntity(String.class);
        assertThat(count.getStatusCode().value()).isEqualTo(200);
        assertThat(count.getBody()).contains("\"count\":");
        ResponseEntity<String> filters = http.get().uri("/engine-rest/filter?itemCount=true&firstResult=0&maxResults=50").retrieve().toEntity(String.class);
        assertThat(filters.getStatusCode().value()).as(filters.getBody()).isEqualTo(200);
        assertThat(filters.getBody()).contains("\"itemCount\":");
    }
}
