package io.leadflow.process;

import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The capacity-weighted rotation under concurrent approvals, decided by PostgreSQL's row locks as in production. */
class PostgresWeightedRotationConcurrencyTest extends WeightedRotationChecks {

    static PostgresDatabase db;

    @BeforeAll
    static void database() throws Exception {
        db = PostgresDatabase.create("weighted");
        Bursts.threeRepsEverywhere(db.t);
    }

    @AfterAll
    static void drop() throws Exception {
        if (db != null) {
            db.drop();
        }
    }

    @Override
    ProcessTestEngine t() {
        return db.t;
    }

    @Override
    ProcessEngine engine() {
        return db.engine;
    }
}
