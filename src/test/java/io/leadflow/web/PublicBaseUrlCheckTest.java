package io.leadflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The start-up warning about links to this machine: outside the demo profile only, and only for a local address. */
class PublicBaseUrlCheckTest {

    static MockEnvironment profile(String... profiles) {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles(profiles);
        return environment;
    }

    @Test
    void aProductionNodeWithTheLocalDefault_isWarnedAbout_aDemoOrARealAddressIsNot() {
        PublicBaseUrl local = new PublicBaseUrl(URI.create("http://localhost:8080"));

        assertThat(new PublicBaseUrlCheck(local, profile("postgres")).problem()).hasValueSatisfying(warning ->
                assertThat(warning).startsWith("leadflow.public-base-url is http://localhost:8080 (LEADFLOW_PUBLIC_BASE_URL not set)"));
        MockEnvironment setLocally = profile("postgres").withProperty("LEADFLOW_PUBLIC_BASE_URL", "http://localhost:8080");
        assertThat(new PublicBaseUrlCheck(local, setLocally).problem()).as("set, to a local address").hasValueSatisfying(warning ->
                assertThat(warning).startsWith("leadflow.public-base-url is http://localhost:8080 (a local address)"));
        assertThat(new PublicBaseUrlCheck(new PublicBaseUrl(URI.create("http://localhost:8081")), profile("postgres")).problem())
                .as("compose's local default").hasValueSatisfying(warning ->
                        assertThat(warning).startsWith("leadflow.public-base-url is http://localhost:8081 (a local address)"));
        assertThat(new PublicBaseUrlCheck(local, profile("demo")).problem()).isEmpty();
        assertThat(new PublicBaseUrlCheck(new PublicBaseUrl(URI.create("https://leads.example.com")), profile("postgres")).problem()).isEmpty();
    }
}
