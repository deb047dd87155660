package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.security.TasklistFilters;

/**
 * A client that starts calling the moment the server opens finds the start-up's set-up done: the
 * demo key works and mia (demo user) logs in to her Tasklist filters. Before, the set-up ran on
 * {@code ApplicationReadyEvent}, a tenth of a second after the server opened, and both first requests
 * got 401.
 */
class BeforeServingTest extends SpringIntegrationTest {

    @Autowired
    FirstRequests firstRequests;

    @Test
    void theFirstRequests_findTheDemoKey_theDemoUsers_andTheirFilters() {
        HttpResponse<String> lead = firstRequests.answers().get("demo key reads a lead");
        assertThat(lead.statusCode()).as(lead.body()).isEqualTo(404);
        assertThat(lead.body()).contains(FirstRequests.UNKNOWN_LEAD);

        HttpResponse<String> filters = firstRequests.answers().get("mia lists her Tasklist filters");
        assertThat(filters.statusCode()).as(filters.body()).isEqualTo(200);
        assertThat(filters.body()).contains("\"" + TasklistFilters.MY_TASKS + "\"", "\"" + TasklistFilters.MARKETING_TASKS + "\"");
    }
}
