package io.leadflow.process;

import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The capacity-weighted rotation under concurrent approvals on H2 (the embedded default); PostgreSQL: PostgresWeightedRotationConcurrencyTest. */
class WeightedRotationConcurrencyTest extends WeightedRotationChecks {

    static ProcessTestEngine t;
    static ProcessEngine engine;

    @BeforeAll
    static void startEngine() {
        t = ProcessTestEngine.onH2ForRaces("weighted-rotation");
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
