package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.leadflow.SpringIntegrationTest;

/** The running app has made its index on the engine's job table (here on the tests' H2; on PostgreSQL: {@link EngineIndexesTest}). */
class EngineIndexesStartupTest extends SpringIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void theStartedApp_hasTheJobTablesDueDateIndex() throws Exception {
        boolean found = false;
        try (Connection c = dataSource.getConnection();
             ResultSet indexes = c.getMetaData().getIndexInfo(c.getCatalog(), c.getSchema(), "ACT_RU_JOB", false, false)) {
            while (indexes.next()) {
                String name = indexes.getString("INDEX_NAME");
                if ("LEADFLOW_IDX_JOB_DUEDATE".equalsIgnoreCase(name)) {
                    found = true;
                    assertThat(indexes.getString("COLUMN_NAME")).isEqualToIgnoringCase("DUEDATE_");
                }
            }
        }
        assertThat(found).as("LEADFLOW_IDX_JOB_DUEDATE on ACT_RU_JOB").isTrue();
    }
}
