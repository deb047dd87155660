package io.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.task.Task;

import io.leadflow.assignment.AssignSalesRepDelegate;
import io.leadflow.assignment.AssignmentProperties;
import io.leadflow.assignment.RepRotation;

/**
 * Bursts for the concurrency tests on H2 and PostgreSQL: many MQL reviews approved at once by many
 * marketing reps, and calls started together.
 */
public final class Bursts {

    static final List<String> REPS = List.of("ann", "ben", "cid");

    private Bursts() {
    }

    /** Every territory is worked by ann, ben and cid, with room for every lead of the test. */
    static void threeRepsEverywhere(ProcessTestEngine t) {
        List<String> territories = List.of("enterprise", "dach", "emea", "north-america", "rest-of-world");
        RepRotation rotation = new RepRotation(t.jdbc, new AssignmentProperties(
                territories.stream().collect(Collectors.toMap(k -> k, k -> REPS)), 1_000, List.of()));
        rotation.seed();
        t.configuration.getBeans().put("assignSalesRepDelegate", new AssignSalesRepDelegate(rotation, t.leads, t.clock));
    }

    /** Captures this many MQLs (strong leads, waiting for "Review MQL"), by as many threads. */
    static List<String> mqls(ProcessTestEngine t, int count, int threads) throws Exception {
        return atOnce(count, threads, i -> t.capture().capture(LeadScenarios.strongLead()).leadId());
    }

    /** Approves the review of every lead, the tasks shared out to the threads as they become free. */
    static void approveAll(ProcessEngine engine, List<String> leadIds, int threads) throws Exception {
        ConcurrentLinkedQueue<Task> reviews = new ConcurrentLinkedQueue<>(engine.getTaskService().createTaskQuery()
                .taskDefinitionKey("Task_ReviewMql").list().stream()
                .filter(task -> leadIds.contains(engine.getRuntimeService().getVariable(task.getProcessInstanceId(), "leadId")))
                .toList());
        assertThat(reviews).hasSameSizeAs(leadIds);
        atOnce(threads, threads, i -> {
            int approved = 0;
            for (Task review = reviews.poll(); review != null; review = reviews.poll()) {
                engine.getTaskService().complete(review.getId(),
                        LeadScenarios.vars("reviewDecision", "approve", "reviewNote", "fits the ICP"));
                approved++;
            }
            return approved;
        });
    }

    /** How many of these leads each rep got. */
    static Map<String, Long> leadsPerRep(ProcessTestEngine t, List<String> leadIds) {
        return leadIds.stream().map(id -> String.valueOf(t.leads.get(id).salesRep()))
                .collect(Collectors.groupingBy(rep -> rep, Collectors.counting()));
    }

    /**
     * Runs {@code count} calls on {@code threads} threads; the first call of every thread waits
     * until all threads are ready, so they start together. An exception in any call fails the test.
     */
    public static <T> List<T> atOnce(int count, int threads, IntFunction<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(Math.min(count, threads));
        try {
            List<Callable<T>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                calls.add(() -> {
                    if (index < threads) {
                        start.await();
                    }
                    return call.apply(index);
                });
            }
            List<T> answers = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(calls)) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
