package io.leadflow.platform;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Set-up a request may need, done before the web server takes its first one: listeners of
 * {@link Event} (ordered with {@code @Order}) run once per start, after the engine is built and before
 * the server accepts connections. Set-up used to run on {@code ApplicationReadyEvent}, which comes
 * after the server is open: a script that waited for {@code /actuator/health} and then captured a lead
 * with the demo key at once got 401, the key being created a tenth of a second later; a user who
 * logged in to Tasklist on a first start could find no grant and no filter.
 * <p>
 * A listener that throws stops the start, as it did on {@code ApplicationReadyEvent}. Long work that
 * requests do not need (a backfill over every running instance) stays on {@code ApplicationReadyEvent}
 * so that it does not hold the server closed.
 */
@Component
public class BeforeServing implements SmartLifecycle {

    /** Published once per start, before the web server opens. */
    public static final class Event extends ApplicationEvent {
        Event(Object source) {
            super(source);
        }
    }

    /** Below the phase in which Spring Boot starts the web server ({@code Integer.MAX_VALUE - 2048} in Spring Boot 3.5). */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final ApplicationEventPublisher events;
    private volatile boolean running;

    public BeforeServing(ApplicationEventPublisher events) {
        this.events = events;
    }

    @Override
    public void start() {
        events.publishEvent(new Event(this));
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
