package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.leadflow.SpringIntegrationTest;

/** The running app has made its indexes on the engine's job table (here on the tests' H2; on PostgreSQL: {@link EngineIndexesTest}). */
class EngineIndexesStartupTest extends SpringIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void theStartedApp_hasTheJobTablesDueDateAndLockIndexes() throws Exception {
        Map<String, String> columns = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             ResultSet indexes = c.getMetaData().getIndexInfo(c.getCatalog(), c.getSchema(), "ACT_RU_JOB", false, false)) {
            while (indexes.next()) {
                String name = indexes.getString("INDEX_NAME");
                if (name != null && name.toUpperCase().startsWith("LEADFLOW_")) {
                    columns.merge(name.toUpperCase(), indexes.getString("COLUMN_NAME").toUpperCase(), (a, b) -> a + "," + b);
                }
            }
        }
        assertThat(columns).containsExactlyInAnyOrderEntriesOf(Map.of(
                "LEADFLOW_IDX_JOB_DUEDATE", "DUEDATE_",
                "LEADFLOW_IDX_JOB_LOCK_EXP", "LOCK_EXP_TIME_"));
    }
}
