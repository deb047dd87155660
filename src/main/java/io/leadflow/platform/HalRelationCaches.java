package io.leadflow.platform;

import java.time.Duration;

import org.camunda.bpm.engine.rest.cache.Cache;
import org.camunda.bpm.engine.rest.hal.Hal;
import org.camunda.bpm.engine.rest.hal.group.HalGroup;
import org.camunda.bpm.engine.rest.hal.processDefinition.HalProcessDefinition;
import org.camunda.bpm.engine.rest.hal.user.HalUser;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Caches the users, groups and process definitions that Tasklist's task lists embed (the REST API's
 * HAL relations), as Camunda's own web application distributions configure it in their
 * {@code web.xml}; the Spring Boot starter leaves it off. Without it every task list page looks the
 * assignees and the process definition up again: three more statements of the about twenty a page
 * costs, for data that hardly changes.
 *
 * <p>What a cache costs: a user renamed in Admin shows under the old name in task lists for up to
 * {@code leadflow.rest.hal-cache.users-seconds} (900 s, Camunda's documented value), a suspended
 * process definition shows as active for up to {@code definitions-seconds} (600 s). The caches are
 * per node and bounded ({@code capacity} entries each). {@code leadflow.rest.hal-cache.enabled=false}
 * turns them off.
 *
 * <p>The caches are Caffeine's, not Camunda's {@code DefaultHalResourceCache}: that one keeps its
 * entries in a plain {@code HashMap} without locks, and every request thread of Tasklist writes to it.
 */
@Component
@ConditionalOnProperty(name = "leadflow.rest.hal-cache.enabled", havingValue = "true", matchIfMissing = true)
public class HalRelationCaches implements InitializingBean, DisposableBean {

    private final int capacity;
    private final long usersSeconds;
    private final long definitionsSeconds;

    HalRelationCaches(@Value("${leadflow.rest.hal-cache.capacity:500}") int capacity,
            @Value("${leadflow.rest.hal-cache.users-seconds:900}") long usersSeconds,
            @Value("${leadflow.rest.hal-cache.definitions-seconds:600}") long definitionsSeconds) {
        if (capacity < 1 || usersSeconds < 1 || definitionsSeconds < 1) {
            throw new IllegalArgumentException("leadflow.rest.hal-cache: capacity, users-seconds and definitions-seconds must be at least 1,"
                    + " got " + capacity + ", " + usersSeconds + ", " + definitionsSeconds);
        }
        this.capacity = capacity;
        this.usersSeconds = usersSeconds;
        this.definitionsSeconds = definitionsSeconds;
    }

    @Override
    public void afterPropertiesSet() {
        Hal hal = Hal.getInstance();
        hal.registerHalRelationCache(HalUser.class, new BoundedCache(capacity, Duration.ofSeconds(usersSeconds)));
        hal.registerHalRelationCache(HalGroup.class, new BoundedCache(capacity, Duration.ofSeconds(usersSeconds)));
        hal.registerHalRelationCache(HalProcessDefinition.class, new BoundedCache(capacity, Duration.ofSeconds(definitionsSeconds)));
    }

    /** The caches live in a JVM-wide singleton: emptied when this context closes. */
    @Override
    public void destroy() {
        Hal.getInstance().destroyHalRelationCaches();
    }

    /** One relation's cache: at most {@code capacity} entries, each forgotten {@code timeToLive} after it was written. */
    static final class BoundedCache implements Cache {

        private final com.github.benmanes.caffeine.cache.Cache<String, Object> entries;

        BoundedCache(int capacity, Duration timeToLive) {
            this(capacity, timeToLive, Ticker.systemTicker());
        }

        BoundedCache(int capacity, Duration timeToLive, Ticker ticker) {
            entries = Caffeine.newBuilder().maximumSize(capacity).expireAfterWrite(timeToLive).ticker(ticker).executor(Runnable::run).build();
        }

        @Override
        public void put(String id, Object resource) {
            if (id != null && resource != null) {
                entries.put(id, resource);
            }
        }

        @Override
        public Object get(String id) {
            return entries.getIfPresent(id);
        }

        @Override
        public void destroy() {
            entries.invalidateAll();
        }

        long size() {
            entries.cleanUp();
            return entries.estimatedSize();
        }
    }
}
