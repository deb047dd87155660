package io.leadflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;

/**
 * An API key that cannot be checked because the database is out of reach is reported as the
 * login's failure to be read (which the API answers 503 with Retry-After, as for HTTP Basic),
 * not as an unknown key (401) nor as an error that escapes the filter (500).
 */
class ApiKeyDatabaseOutOfReachTest {

    @Test
    void aKeyWhileTheDatabaseIsOutOfReach_goesToTheEntryPointAsTheLoginNotBeingReadable() throws Exception {
        // a database nobody listens for: every connection is refused at once
        DriverManagerDataSource nowhere = new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "postgres", "");
        ApiKeys keys = new ApiKeys(JdbcClient.create(nowhere), 600, "");
        List<AuthenticationException> reported = new ArrayList<>();
        ApiKeyAuthentication.Filter filter = new ApiKeyAuthentication.Filter(keys, (request, response, e) -> reported.add(e));
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/leads");
        request.addHeader(ApiKeys.HEADER, "lf_some-key-of-an-integrating-system");
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, new MockHttpServletResponse(), chain);

        assertThat(reported).singleElement().isInstanceOf(InternalAuthenticationServiceException.class);
        assertThat(chain.getRequest()).as("the request goes no further").isNull();
    }

    @Test
    void aDefaultLimitBelowOneRequestAMinute_isRefusedAtStartNamingTheKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ApiKeys(JdbcClient.create(new DriverManagerDataSource()), 0, ""))
                .hasMessage("leadflow.api-keys.requests-per-minute must be at least 1, was 0");
    }
}
