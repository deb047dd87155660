package io.leadflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** The job threads' pool, as the app sets it up, runs what its queue holds when it stops, instead of dropping it. */
class FinishQueuedJobsTest {

    static int ranAfterShutdown(boolean asTheAppSetsItUp) throws InterruptedException {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(1);
        executor.setMaxPoolSize(1);
        executor.setQueueCapacity(10);
        Object processed = asTheAppSetsItUp
                ? new GracefulStop.FinishQueuedJobs().postProcessBeforeInitialization(executor, GracefulStop.FinishQueuedJobs.EXECUTOR)
                : executor;
        assertThat(processed).isSameAs(executor);
        executor.initialize();
        CountDownLatch running = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        executor.execute(() -> {
            running.countDown();
            sleep(300);
        });
        running.await(5, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            executor.execute(ran::incrementAndGet); // queued behind the running one, as acquired jobs are
        }
        executor.shutdown();
        executor.getThreadPoolExecutor().awaitTermination(10, TimeUnit.SECONDS);
        return ran.get();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void queuedJobs_runBeforeThePoolStops_whereTheDefaultDroppedThem() throws InterruptedException {
        assertThat(ranAfterShutdown(true)).isEqualTo(5);
        assertThat(ranAfterShutdown(false)).as("the pool as the Camunda starter leaves it").isZero();
    }
}
