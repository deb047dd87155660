package io.leadflow.sla;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.stereotype.Component;

import io.leadflow.platform.CamundaInternals;

/**
 * The engine's notion of "now". Timers are due by the engine clock, so every deadline, stage
 * timestamp and breach record reads the same clock; tests move it with {@code ClockUtil}. The engine
 * has no public API for its clock: {@link CamundaInternals} reads and moves it.
 */
@Component
public class EngineClock {

    public Instant now() {
        return CamundaInternals.engineNow();
    }

    /**
     * Moves the engine clock to {@code time} (the demo-data month: timers fall due as simulated time
     * passes). Never on a running application that serves real leads.
     */
    public void moveTo(Instant time) {
        CamundaInternals.moveEngineClock(time);
    }

    /** Back to the wall clock. */
    public void reset() {
        CamundaInternals.resetEngineClock();
    }

    public OffsetDateTime nowUtc() {
        return OffsetDateTime.ofInstant(now(), ZoneOffset.UTC);
    }
}
