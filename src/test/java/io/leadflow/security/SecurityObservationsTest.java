package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.leadflow.SpringIntegrationTest;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * An API request is timed as a request, but Spring Security's filters, authentication and authorization
 * are not observed one by one (ApiSecurity#noSecurityObservations: they cost 5 % of a capture's CPU).
 */
class SecurityObservationsTest extends SpringIntegrationTest {

    @Autowired
    MeterRegistry meters;

    @Test
    void anApiRequest_isTimed_butNotEachOfItsSecurityFilters() {
        int status = http.get().uri("/api/leads/00000000-0000-0000-0000-000000000000").retrieve().toBodilessEntity()
                .getStatusCode().value();
        int refused = anonymous.get().uri("/api/leads/00000000-0000-0000-0000-000000000000").retrieve().toBodilessEntity()
                .getStatusCode().value();

        assertThat(status).as("logged in: no such lead").isEqualTo(404);
        assertThat(refused).as("no credentials").isEqualTo(401);
        assertThat(meters.find("http.server.requests").tag("status", "404").timers()).as("the request is timed").isNotEmpty();
        assertThat(meters.getMeters()).extracting(Meter::getId).extracting(Meter.Id::getName)
                .noneMatch(name -> name.startsWith("spring.security"));
    }
}
