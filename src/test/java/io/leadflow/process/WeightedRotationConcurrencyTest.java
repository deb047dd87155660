package io.leadflow.process;

import java.util.UUID;

import org.camunda.bpm.engine.ProcessEngine;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The capacity-weighted rotation under concurrent approvals on H2 (the embedded default); PostgreSQL: PostgresWeightedRotationConcurrencyTest. */
class WeightedRotationConcurrencyTest extends WeightedRotationChecks {

    static ProcessTestEngine t;
    static ProcessEngine engine;

    @BeforeAll
    static void startEngine() {
        JdbcDataSource h2 = new JdbcDataSource();
        // as application.yaml: a lock is waited for up to 10 s (PostgreSQL waits as long as it takes)
        h2.setURL("jdbc:h2:mem:weighted-rotation-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        h2.setUser("sa");
        t = new ProcessTestEngine("weighted-rotation", h2);
        engine = t.startWithAllModels();
        Bursts.threeRepsEverywhere(t);
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Override
    ProcessTestEngine t() {
        return t;
    }

    @Override
    ProcessEngine engine() {
        return engine;
    }
}
