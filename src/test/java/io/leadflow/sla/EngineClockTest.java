package io.leadflow.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineClockTest {

    final EngineClock clock = new EngineClock();

    @AfterEach
    void reset() {
        ClockUtil.reset();
    }

    @Test
    void readsTheEngineClock_soMovedTimeMovesEveryDeadline() {
        Instant moved = Instant.parse("2030-01-02T03:04:05Z");
        ClockUtil.setCurrentTime(Date.from(moved));

        assertThat(clock.now()).isEqualTo(moved);
        assertThat(clock.nowUtc().toString()).isEqualTo("2030-01-02T03:04:05Z");
    }

    @Test
    void movesAndResetsTheEngineClock_theTimersGoBy() {
        Instant moved = Instant.parse("2030-01-02T03:04:05Z");
        clock.moveTo(moved);
        assertThat(ClockUtil.getCurrentTime()).isEqualTo(Date.from(moved));

        clock.reset();
        assertThat(Duration.between(ClockUtil.getCurrentTime().toInstant(), Instant.now()).abs()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void followsTheWallClock_whenTheEngineClockIsNotMoved() {
        assertThat(Duration.between(clock.now(), Instant.now()).abs()).isLessThan(Duration.ofSeconds(5));
    }
}
