package io.leadflow.reporting;

import java.sql.SQLException;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.leadflow.platform.EngineSchema;

/**
 * How PostgreSQL plans the KPI queries: each KPI runs in one read-only transaction that sets the
 * planner's {@code random_page_cost} for that transaction only ({@code leadflow.kpis.random-page-cost},
 * 1.1; {@code 0} leaves the server's setting).
 *
 * <p>A KPI reads a period's rows through a time index and joins each with its lead by primary key.
 * At PostgreSQL's default cost of a random page read (4, a spinning disk's) the planner prices a
 * month's 5,400 lookups of {@code lead} by key above reading the whole table, and reads a million
 * leads to join 5,400 opportunities. At a million leads the closed loop took 100–108 ms, SLA attainment
 * 442–445 ms and speed to lead 211–220 ms, against 31–36, 201–225 and 124–133 ms at 1.1, the value
 * commonly set where the data is in memory or on SSD, as the lead tables a KPI reads are
 * (docs/BENCHMARKS.md, "KPI queries", twenty-fourth run). The plan that a KPI request gets is the one made with its values: the JDBC driver prepares
 * a statement on the server only from its fifth execution on a connection, and PostgreSQL plans it
 * with the values five times more before it may keep a generic plan, so a pool of 20 connections
 * rarely gets there. {@code set local} ends with the transaction; the pool's connection goes back as
 * it was, and the engine's statements never see the setting. H2 (the demo) has no such planner:
 * nothing is done there.
 */
@Component
public class KpiPlanning {

    /** The transaction and its setting; null: the server's settings, no transaction of its own. */
    private final Setting setting;

    private record Setting(TransactionTemplate transaction, JdbcTemplate jdbc, String sql) {
    }

    @Autowired
    public KpiPlanning(DataSource dataSource, PlatformTransactionManager transactions,
                       @Value("${leadflow.kpis.random-page-cost:1.1}") double randomPageCost) throws SQLException {
        if (!(randomPageCost >= 0) || Double.isInfinite(randomPageCost)) {
            throw new IllegalArgumentException("leadflow.kpis.random-page-cost must be 0 (the server's setting) or a"
                    + " positive number, was " + randomPageCost);
        }
        if (randomPageCost > 0 && EngineSchema.isPostgres(dataSource)) {
            TransactionTemplate transaction = new TransactionTemplate(transactions);
            transaction.setReadOnly(true);
            this.setting = new Setting(transaction, new JdbcTemplate(dataSource), "set local random_page_cost = " + randomPageCost);
        } else {
            this.setting = null;
        }
    }

    private KpiPlanning() {
        this.setting = null;
    }

    /** The server's settings, no transaction of its own (H2, and the comparison). */
    public static KpiPlanning none() {
        return new KpiPlanning();
    }

    /** The setting for this transaction, or null when the server's are used. */
    String settings() {
        return setting == null ? null : setting.sql();
    }

    /** Runs one KPI's statements, on PostgreSQL in one read-only transaction with the setting. */
    public <T> T run(Supplier<T> kpi) {
        if (setting == null) {
            return kpi.get();
        }
        return setting.transaction().execute(status -> {
            setting.jdbc().execute(setting.sql());
            return kpi.get();
        });
    }
}
