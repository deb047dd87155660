package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.rest.cache.Cache;
import org.camunda.bpm.engine.rest.hal.Hal;
import org.camunda.bpm.engine.rest.hal.processDefinition.HalProcessDefinition;
import org.camunda.bpm.engine.rest.hal.user.HalUser;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import io.leadflow.SpringIntegrationTest;
import io.leadflow.security.TasklistFilters;

/** Tasklist's task lists embed users and process definitions from bounded, thread-safe caches. */
class HalRelationCachesTest extends SpringIntegrationTest {

    @Autowired
    FilterService filters;

    @Test
    @SuppressWarnings("unchecked")
    void aRepsTaskList_fillsTheCaches_andTheNextPageIsServedTheSameFromThem() {
        String leadId = leadAtAcceptance("hal-cache");
        Map<String, Object> task = openTask("admin", leadId, "Task_AcceptLead");
        String rep = (String) task.get("assignee");
        assertThat(rep).as("the rotation gave the lead to a rep").isNotNull();
        String myTasks = filters.createFilterQuery().filterName(TasklistFilters.MY_TASKS).filterOwner(rep).singleResult().getId();
        Cache users = Hal.getInstance().getHalRelationCache(HalUser.class);
        Cache definitions = Hal.getInstance().getHalRelationCache(HalProcessDefinition.class);
        assertThat(users).isInstanceOf(HalRelationCaches.BoundedCache.class);
        assertThat(definitions).isInstanceOf(HalRelationCaches.BoundedCache.class);
        users.destroy();
        definitions.destroy();

        Map<String, Object> first = taskList(rep, myTasks);
        assertThat(users.get(rep)).as("the assignee is cached after the first page").isNotNull();
        assertThat(definitions.get((String) task.get("processDefinitionId"))).as("the task's process definition too").isNotNull();

        Map<String, Object> second = taskList(rep, myTasks);
        Map<String, Object> embedded = (Map<String, Object>) second.get("_embedded");
        assertThat((List<Map<String, Object>>) embedded.get("assignee")).extracting(user -> user.get("id")).contains(rep);
        assertThat((List<Map<String, Object>>) embedded.get("processDefinition")).extracting(definition -> definition.get("id"))
                .contains(task.get("processDefinitionId"));
        assertThat(second.get("_embedded")).as("the cached page shows what the first showed").isEqualTo(first.get("_embedded"));
    }

    private Map<String, Object> taskList(String user, String filterId) {
        Map<String, Object> page = as(user, http.post().uri("/engine-rest/filter/{id}/list?firstResult=0&maxResults=15", filterId)
                .accept(MediaType.parseMediaType("application/hal+json")).contentType(MediaType.APPLICATION_JSON).body("{}"))
                .retrieve().body(JSON_OBJECT);
        assertThat(page).containsKey("_embedded");
        return page;
    }

    @Test
    void aCache_forgetsAnEntryAfterItsTimeToLive_andHoldsNoMoreThanItsCapacity() {
        AtomicLong nanos = new AtomicLong();
        HalRelationCaches.BoundedCache cache = new HalRelationCaches.BoundedCache(3, Duration.ofSeconds(900), nanos::get);
        cache.put("sam", "Sam");
        nanos.addAndGet(Duration.ofSeconds(899).toNanos());
        assertThat(cache.get("sam")).isEqualTo("Sam");
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(cache.get("sam")).as("renamed in Admin: shown under the new name after the time to live").isNull();

        for (int i = 0; i < 10; i++) {
            cache.put("user" + i, "User " + i);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(3);
        cache.put(null, "nobody");
        cache.put("nothing", null);
        assertThat(cache.get("nothing")).isNull();
    }

    @Test
    void manyRequestThreadsWritingAtOnce_neitherFailNorGrowTheCacheBeyondItsCapacity() throws Exception {
        HalRelationCaches.BoundedCache cache = new HalRelationCaches.BoundedCache(100, Duration.ofMinutes(15));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                writers.add(threads.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        String id = "user" + ((i * 31 + thread) % 1_000);
                        cache.put(id, id);
                        Object cached = cache.get(id);
                        assertThat(cached == null || cached.equals(id)).isTrue();
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(1, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(cache.size()).isBetween(1L, 100L);
    }
}
