package io.leadflow.process;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the process tests without Spring. Each subclass owns its engine and its coverage
 * extension (static, one per class, so each class asserts the coverage of its own model); this
 * base gives every test the engine, the scenarios and a clock at Monday 09:00, reset afterwards.
 */
abstract class ProcessTest {

    ProcessEngine engine;
    LeadScenarios s;

    abstract ProcessTestEngine testEngine();

    abstract ProcessEngineCoverageExtension coverage();

    @BeforeEach
    void beginScenario() {
        engine = coverage().getProcessEngine();
        s = LeadScenarios.begin(testEngine(), engine);
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }
}
