package io.leadflow.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;

import com.zaxxer.hikari.HikariDataSource;

import io.leadflow.platform.HistoryWithoutVariableDetails;

/**
 * Benchmark, not a test (the performance issue's P1 and P2): what the Camunda engine itself costs,
 * without leadflow, on the same machine and database. It tells how far our own code can move the
 * capture and the SLA wave, and how far only a change of design could.
 *
 * <p>The engine runs bare (no Spring, no web, no authorization, no listeners) on a fresh PostgreSQL
 * database at history level {@code full}, as leadflow's does. Its one model is the smallest shape of a
 * captured lead: a start event, a user task with a candidate group and two non-interrupting timers
 * on it (the SLA reminder and breach), each leading to a service task that does nothing.
 * <ol>
 * <li>pgbench TPC-B as the machine's reference (as {@link CaptureBenchmark});</li>
 * <li><b>starts</b>: N instances from C threads, each with V string variables (a lead's lifecycle
 *     holds 28): instances/s and the CPU per start of this JVM and of PostgreSQL;</li>
 * <li><b>wave</b>: every timer made due at once (the update of ACT_RU_JOB's due date, as
 *     {@link TimerWaveBenchmark}), drained by the engine's job executor: jobs/s and the CPU per job.</li>
 * </ol>
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) io.leadflow.bench.EngineFloorBenchmark 3000 8 28
 * </pre>
 * Arguments: instances (3,000), threads (8), variables per instance (28). System property
 * {@code leadflow.bench.history} (the engine's history level: {@code full} by default, Camunda's;
 * {@code full-without-variable-details}, leadflow's; {@code audit}). The pgbench properties of
 * {@link BenchApp#begin}. Results go into docs/BENCHMARKS.md.
 */
public final class EngineFloorBenchmark {

    static final String DATABASE = "leadflow_engine_floor";

    public static void main(String[] args) throws Exception {
        int instances = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int variables = args.length > 2 ? Integer.parseInt(args[2]) : 28;
        String history = System.getProperty("leadflow.bench.history", ProcessEngineConfiguration.HISTORY_FULL);

        BenchApp.Start start = BenchApp.begin("before the engine");
        BenchApp.freshDatabase(DATABASE);
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(BenchApp.POSTGRES + DATABASE);
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(20);

        ProcessEngineConfiguration configuration = ProcessEngineConfiguration.createStandaloneProcessEngineConfiguration()
                .setProcessEngineName("engine-floor")
                .setDataSource(dataSource)
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
                .setHistory(history)
                .setJobExecutorActivate(true);
        HistoryWithoutVariableDetails.register(configuration);
        ProcessEngine engine = configuration.buildProcessEngine();
        double startsPerSecond;
        double jobsPerSecond;
        BenchApp.Cpu startCpu;
        BenchApp.Cpu waveCpu;
        long jobs;
        double waveSeconds;
        try (Connection db = DriverManager.getConnection(BenchApp.POSTGRES + DATABASE, "postgres", "")) {
            engine.getRepositoryService().createDeployment().addModelInstance("floor.bpmn", model()).deploy();

            // starts
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            BenchApp.Cpu before = BenchApp.cpu();
            long startNanos = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < instances; i = next.getAndIncrement()) {
                        Map<String, Object> values = new HashMap<>();
                        for (int v = 0; v < variables; v++) {
                            values.put("variable" + v, "value " + v + " of instance " + i);
                        }
                        engine.getRuntimeService().startProcessInstanceByKey("engineFloor", "floor-" + i, values);
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            startsPerSecond = instances / ((System.nanoTime() - startNanos) / 1e9);
            startCpu = BenchApp.cpu().minus(before);
            pool.shutdown();

            // wave
            long jobLogBefore = TimerWaveBenchmark.count(db, "select count(*) from act_hi_job_log where job_state_ = 2");
            before = BenchApp.cpu();
            long waveNanos = System.nanoTime();
            int due;
            try (Statement sql = db.createStatement()) {
                due = sql.executeUpdate("update act_ru_job set duedate_ = now() - interval '1 second' where duedate_ > now()");
            }
            System.out.printf("wave: %d timers made due%n", due);
            while (TimerWaveBenchmark.count(db, TimerWaveBenchmark.JOBS_LEFT) > 0) {
                Thread.sleep(100);
                if (System.nanoTime() - waveNanos > 30 * 60e9) {
                    throw new IllegalStateException("the wave did not end within 30 minutes");
                }
            }
            waveSeconds = (System.nanoTime() - waveNanos) / 1e9;
            waveCpu = BenchApp.cpu().minus(before);
            // below full there is no job log: each timer made due is one job (its service task runs in it)
            jobs = history.equals(ProcessEngineConfiguration.HISTORY_FULL)
                    ? TimerWaveBenchmark.count(db, "select count(*) from act_hi_job_log where job_state_ = 2") - jobLogBefore
                    : due;
            jobsPerSecond = jobs / waveSeconds;
            long rowsPerInstance = TimerWaveBenchmark.count(db, "select sum(n_tup_ins) from pg_stat_user_tables") / instances;
            System.out.printf("rows inserted per instance, start and wave: %d%n", rowsPerInstance);
        } finally {
            engine.close();
            dataSource.close();
        }
        double tpsAfter = start.pgbench().run("after the engine");
        double tps = start.pgbench().enabled() ? (start.tpsBefore() + tpsAfter) / 2 : Double.NaN;

        System.out.printf("%nCamunda engine floor — PostgreSQL, history %s, no leadflow, started %s%n", history, start.startedAt());
        System.out.printf("starts   %d instances (user task, 2 timers, %d variables) by %d threads: %.1f instances/s; CPU per start %.1f ms engine JVM + %.1f ms PostgreSQL%n",
                instances, variables, threads, startsPerSecond, startCpu.jvmNanos() / 1e6 / instances, startCpu.postgresNanos() / 1e6 / instances);
        System.out.printf("wave     %d jobs (timer to an empty service task) in %.1f s: %.1f jobs/s; CPU per job %.1f ms engine JVM + %.1f ms PostgreSQL%n",
                jobs, waveSeconds, jobsPerSecond, waveCpu.jvmNanos() / 1e6 / jobs, waveCpu.postgresNanos() / 1e6 / jobs);
        if (start.pgbench().enabled()) {
            System.out.printf("pgbench  TPC-B, %d clients, %d s: %.0f tps before, %.0f after, mean %.0f%n",
                    start.pgbench().clients(), start.pgbench().seconds(), start.tpsBefore(), tpsAfter, tps);
            System.out.printf("ratio    starts/s ÷ TPC-B tps = %.3f; jobs/s ÷ TPC-B tps = %.3f%n", startsPerSecond / tps, jobsPerSecond / tps);
        }
        System.out.printf("machine  %d cores, Java %s; load average at start %s, at end %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), start.loadAverage(), CaptureBenchmark.loadAverage());
    }

    /** A lead's smallest shape: a user task watched by two non-interrupting timers, each to an empty service task. */
    static BpmnModelInstance model() {
        return Bpmn.createExecutableProcess("engineFloor")
                .camundaHistoryTimeToLive(365)
                .startEvent("Start")
                .userTask("Review").camundaCandidateGroups("marketing")
                .boundaryEvent("Reminder").cancelActivity(false).timerWithDuration("PT24H")
                .serviceTask("Remind").camundaExpression("${true}")
                .endEvent("Reminded")
                .moveToActivity("Review")
                .boundaryEvent("Breach").cancelActivity(false).timerWithDuration("PT48H")
                .serviceTask("Escalate").camundaExpression("${true}")
                .endEvent("Escalated")
                .moveToActivity("Review")
                .endEvent("Reviewed")
                .done();
    }
}
