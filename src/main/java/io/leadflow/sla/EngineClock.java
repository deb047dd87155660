package io.leadflow.sla;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * The engine's notion of "now". Timers are due by the engine clock, so every deadline, stage
 * timestamp and breach record reads the same clock; tests move it with {@code ClockUtil}.
 *
 * <p>This is the one class that touches the engine's {@code impl} package (there is no public API
 * for the engine clock); it has its own test.
 */
@Component
public class EngineClock {

    public Instant now() {
        return ClockUtil.getCurrentTime().toInstant();
    }

    /**
     * Moves the engine clock to {@code time} (the demo-data month: timers fall due as simulated time
     * passes). Never on a running application that serves real leads.
     */
    public void moveTo(Instant time) {
        ClockUtil.setCurrentTime(java.util.Date.from(time));
    }

    /** Back to the wall clock. */
    public void reset() {
        ClockUtil.reset();
    }

    public OffsetDateTime nowUtc() {
        return OffsetDateTime.ofInstant(now(), ZoneOffset.UTC);
    }
}
