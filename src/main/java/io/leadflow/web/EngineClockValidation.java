package io.leadflow.web;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.springframework.boot.autoconfigure.validation.ValidationConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.leadflow.sla.EngineClock;

/**
 * Bean Validation's "now" (for {@code @Past}, {@code @NotInFuture} and the like) is the engine
 * clock, so a request is judged by the same time as the timers and records it leads to.
 */
@Configuration(proxyBeanMethods = false)
public class EngineClockValidation {

    @Bean
    ValidationConfigurationCustomizer engineClockForValidation(EngineClock engineClock) {
        Clock clock = new EngineTimeClock(engineClock, ZoneOffset.UTC);
        return configuration -> configuration.clockProvider(() -> clock);
    }

    /** A {@link Clock} that reads the engine clock. */
    static final class EngineTimeClock extends Clock {

        private final EngineClock engineClock;
        private final ZoneId zone;

        EngineTimeClock(EngineClock engineClock, ZoneId zone) {
            this.engineClock = engineClock;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId newZone) {
            return new EngineTimeClock(engineClock, newZone);
        }

        @Override
        public Instant instant() {
            return engineClock.now();
        }
    }
}
