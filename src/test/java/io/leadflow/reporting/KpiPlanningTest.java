package io.leadflow.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariDataSource;

import io.leadflow.process.PostgresDatabase;

/**
 * The KPIs' planner setting on PostgreSQL ({@link KpiPlanning}): a month's opportunities among
 * 100,000 leads are joined with their leads by key, not by reading the lead table; the setting holds
 * for the KPI's transaction only; H2 is left alone. Skipped with a message when no server runs
 * locally, never in CI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KpiPlanningTest {

    static final KpiFilter OCTOBER = KpiFilter.period(OffsetDateTime.parse("2026-10-01T00:00:00Z"),
            OffsetDateTime.parse("2026-11-01T00:00:00Z"));

    private PostgresDatabase.Empty database;
    private HikariDataSource pool;
    private DataSourceTransactionManager transactions;
    private JdbcClient jdbc;

    @BeforeAll
    void database() throws SQLException {
        database = PostgresDatabase.empty("kpi_planning");
        Flyway.configure().dataSource(new DriverManagerDataSource(database.url(), "postgres", ""))
                .locations("classpath:db/migration").load().migrate();
        pool = database.pool(1); // one connection: what a KPI set on it is what the next one gets
        transactions = new DataSourceTransactionManager(pool);
        jdbc = JdbcClient.create(pool);
        // 100,000 leads over a year (in the order they were created), one in 16 with an opportunity
        // three days later: October has 531 opportunities
        jdbc.sql("""
                insert into lead (id, email, email_normalized, source, campaign, stage, created_at, updated_at, lead_number)
                select lpad(i::text, 36, '0'), 'l' || i || '@x.example', 'l' || i || '@x.example',
                       (array['webForm', 'import', 'api', 'event'])[1 + i % 4], 'campaign-' || (i % 10), 'MQL',
                       timestamptz '2025-11-01 00:00:00+00' + i * interval '315 seconds', now(), 'L-' || i
                from generate_series(0, 99999) i""").update();
        jdbc.sql("""
                insert into opportunity (lead_id, sales_rep, amount, created_at)
                select id, 'sam', 1000, created_at + interval '3 days' from lead where right(id, 4)::int % 16 = 0""").update();
        // the planner statistics autovacuum keeps in production
        jdbc.sql("analyze").update();
    }

    @AfterAll
    void drop() throws SQLException {
        if (pool != null) {
            pool.close();
        }
        if (database != null) {
            database.drop();
        }
    }

    @Test
    void givenAMonthsOpportunitiesAmong100000Leads_whenTheClosedLoopIsAsked_thenEachLeadIsLookedUpByKey_notTheTableRead() throws SQLException {
        KpiPlanning planning = new KpiPlanning(pool, transactions, 1.1);

        ClosedLoop planned = closedLoop(new KpiQueries(jdbc, planning));
        // PostgreSQL's default, whatever this server is set to
        ClosedLoop postgresDefault = closedLoop(new KpiQueries(jdbc, new KpiPlanning(pool, transactions, 4)));

        assertThat(planned.rows()).as("the same figures either way").isEqualTo(postgresDefault.rows());
        assertThat(planned.inquiries()).isEqualTo(count("select count(*) from lead where created_at >= :from and created_at < :to"));
        assertThat(planned.opportunities()).isEqualTo(count("select count(*) from opportunity where created_at >= :from and created_at < :to"))
                .isEqualTo(531L);
        // PostgreSQL's default random_page_cost (4) prices 531 lookups above reading 100,000 leads
        assertThat(postgresDefault.sequentialScans()).as("lead read sequentially, PostgreSQL's default").isPositive();
        assertThat(planned.sequentialScans()).as("lead read sequentially, KPI planning").isZero();
        assertThat(planned.indexScans()).as("lead looked up by index, KPI planning").isGreaterThanOrEqualTo(531L);
    }

    /** The closed loop of October, and how its transaction read the lead table. */
    record ClosedLoop(List<Map<String, Object>> rows, long inquiries, long opportunities, long sequentialScans, long indexScans) {
    }

    /**
     * The closed loop of October in a transaction of the test's, and the transaction's scans of the
     * lead table, read before and after (a backend reports them once it is idle).
     */
    private ClosedLoop closedLoop(KpiQueries kpis) {
        return new TransactionTemplate(transactions).execute(status -> {
            Map<String, Object> before = leadScansSoFar();
            List<Map<String, Object>> rows = kpis.closedLoop(OCTOBER).rows();
            Map<String, Object> after = leadScansSoFar();
            return new ClosedLoop(rows,
                    rows.stream().mapToLong(row -> (Long) row.get("inquiries")).sum(),
                    rows.stream().mapToLong(row -> (Long) row.get("opportunities")).sum(),
                    (Long) after.get("seq_scan") - (Long) before.get("seq_scan"),
                    (Long) after.get("idx_scan") - (Long) before.get("idx_scan"));
        });
    }

    private Map<String, Object> leadScansSoFar() {
        return jdbc.sql("select seq_scan, idx_scan from pg_stat_xact_user_tables where relname = 'lead'").query().singleRow();
    }

    @Test
    void theSettingHoldsForTheKpisTransactionOnly_andThePooledConnectionGoesBackAsItWas() throws SQLException {
        KpiPlanning planning = new KpiPlanning(pool, transactions, 1.25);
        String serverSetting = pageCost();

        String during = planning.run(() -> {
            assertThat(TransactionSynchronizationManager.isCurrentTransactionReadOnly()).as("read-only").isTrue();
            return pageCost();
        });

        assertThat(during).isEqualTo("1.25");
        assertThat(serverSetting).isNotEqualTo("1.25");
        assertThat(pageCost()).as("after the KPI, on the pool's one connection").isEqualTo(serverSetting);
        assertThat(new KpiPlanning(pool, transactions, 0).run(this::pageCost)).as("0: the server's setting").isEqualTo(serverSetting);
    }

    @Test
    void aNegativeCostIsRefusedAtStartWithTheSettingsName() {
        assertThatThrownBy(() -> new KpiPlanning(pool, transactions, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leadflow.kpis.random-page-cost").hasMessageContaining("-1");
        assertThatThrownBy(() -> new KpiPlanning(pool, transactions, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @Test
    void onH2NothingIsSetAndNoTransactionOpened() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:kpi-planning-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=LEGACY");
        h2.setUser("sa");
        KpiPlanning planning = new KpiPlanning(h2, new DataSourceTransactionManager(h2), 1.1);

        assertThat(planning.settings()).isNull();
        assertThat(planning.run(TransactionSynchronizationManager::isActualTransactionActive)).isFalse();
    }

    private long count(String sql) {
        return jdbc.sql(sql).param("from", OffsetDateTime.parse("2026-10-01T00:00:00Z"))
                .param("to", OffsetDateTime.parse("2026-11-01T00:00:00Z")).query(Long.class).single();
    }

    private String pageCost() {
        return jdbc.sql("select current_setting('random_page_cost')").query(String.class).single();
    }
}
