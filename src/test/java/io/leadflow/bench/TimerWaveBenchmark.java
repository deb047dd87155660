package io.leadflow.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.sun.net.httpserver.HttpServer;

import io.leadflow.LeadflowApplication;

/**
 * Benchmark, not a test (P2 of the performance issue): a wave of SLA timers due at the same moment,
 * and the lateness of single timers while leads are being captured.
 *
 * <ol>
 * <li>prints the load average, runs pgbench TPC-B (4 clients, 20 s) in its own database — the
 *     machine's reference (the helpers of {@link CaptureBenchmark});</li>
 * <li>starts leadflow in this JVM on a fresh PostgreSQL database {@code leadflow_timer_bench}, with a
 *     webhook on loopback (a {@code com.sun.net.httpserver} that answers 204) as the notification
 *     target;</li>
 * <li>captures N strong leads over HTTP with the demo API key (every one a lifecycle instance waiting
 *     at "Review MQL" with its two SLA timers: reminder and breach). While they are captured (the P1
 *     load) it makes one reminder timer due every second and later reads how late each of them ran:
 *     the <em>single-timer lateness</em>;</li>
 * <li>makes every remaining "Review MQL" timer due at once (the update of ACT_RU_JOB's due date acts
 *     as the clock) and waits until every job has run: every reminder and breach escalation, one
 *     {@code sla_breach} row per lead, and every notification (2 per lead: reminder and breach, both
 *     to the webhook, sent in batches) sent;</li>
 * <li>stops the app, runs pgbench again, prints the figures.</li>
 * </ol>
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test \
 *   &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) io.leadflow.bench.TimerWaveBenchmark 2000
 * </pre>
 * Arguments: leads (2,000: 4,000 timers; the 10,000 timers are 5,000 leads), capture clients
 * (4). System properties ({@code -D…} before the class name): {@code leadflow.bench.pgbench-seconds}
 * (20, 0 skips pgbench), {@code leadflow.bench.pgbench-clients} (4), {@code leadflow.bench.probe-millis}
 * (1000: how often a single timer is made due during the capture, 0 for none),
 * {@code leadflow.bench.nurtured-leads} (0: the wave's leads are the only open ones; N adds the two
 * nurture timers of N more open leads to the job table before the wave, as a real database holds
 * them), {@code leadflow.bench.analyze} (true since the ninth run: ANALYZE before the wave, the planner
 * statistics autovacuum keeps in production, which a server with {@code autovacuum = off} never
 * gets; false: the fresh database without statistics of the runs before; due: ANALYZE right after the
 * wave's timers are made due, so the planner knows how many jobs are due, as it does in production,
 * where a wave's timers had their due dates from the start),
 * {@code leadflow.bench.wave} (both: both Review MQL timers of every lead are due at once, so a reminder
 * that runs after its lead's breach sends nothing; split: the reminders of half the leads and the breaches
 * of the other half, so every timer of the wave notifies: with 10,000 leads, the 10,000 timers
 * each with its notification),
 * {@code leadflow.bench.notifications} (true; false: no webhook, so the reminders and breaches start no
 * notification instance — the escalations alone, to measure what the notifications cost),
 * {@code leadflow.bench.users} (false: no users, so the groups have no addresses to mail; true: the demo
 * users, so every reminder and breach is a mail too, sent to an SMTP server on loopback in this JVM),
 * {@code leadflow.bench.poll-millis} (1000; how often the benchmark counts what is left of the wave, 200
 * until the eighteenth run: the wave's time is taken from the database's timestamps either way), and
 * {@code leadflow.bench.app-args} (more arguments for the app, space-separated, e.g.
 * {@code --camunda.bpm.job-execution.max-pool-size=4}, to compare settings without a rebuild), and
 * {@code leadflow.bench.nodes} (1; 2: a second node on the same database in a JVM of its own, started
 * from this class path once the first is up, with this JVM's {@code -Xm…} options unless
 * {@code leadflow.bench.node-jvm-args} gives others; the captures go to both nodes in turn, both run
 * the wave, and the benchmark prints each node's CPU and the jobs each ran, from the job log), and
 * {@code leadflow.bench.cpu-limits} (none; {@code node=0.4,postgres=1.0}: during the wave, each node's JVM
 * limited to 0.4 CPUs and the PostgreSQL server to 1.0, each in a control group of its own, as nodes and a
 * database on machines of their own; see {@link CpuLimits}. This JVM, node-a, also runs the webhook and
 * the polling within its limit. The benchmark prints how often each group used up its quota).
 */
public final class TimerWaveBenchmark {

    static final String DATABASE = "leadflow_timer_bench";
    static final String REVIEW_TIMERS = "('Timer_ReviewMqlReminder', 'Timer_ReviewMqlSlaBreached')";
    /** Notifications sent: outbox rows marked sent by their batch, and instances of messages retried on their own that ended. */
    static final String NOTIFICATIONS_ENDED =
            "select (select count(*) from notification_outbox where sent_at is not null)"
                    + " + (select count(*) from act_hi_procinst p where p.proc_def_key_ = 'leadNotification' and p.end_time_ is not null"
                    + " and exists (select 1 from act_hi_varinst v where v.proc_inst_id_ = p.id_ and v.name_ = 'leadId'))";
    static final String BACKGROUND = "benchmark-background";
    /**
     * Jobs not yet run, without the background timers (due in 30 days and later): the due-date bound lets
     * PostgreSQL read the due-date index, so that the polling does not read the 200,000 rows of
     * {@code leadflow.bench.nurtured-leads=100000} each time (until the fourteenth run it did: about 30
     * million rows over a wave, on the cores the wave runs on).
     */
    static final String JOBS_LEFT = "select count(*) from act_ru_job where (duedate_ is null or duedate_ < now() + interval '29 days')"
            + " and handler_type_ <> 'history-cleanup' and coalesce(handler_cfg_, '') <> '" + BACKGROUND + "'";

    public static void main(String[] args) throws Exception {
        int leads = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int probeMillis = Integer.getInteger("leadflow.bench.probe-millis", 1000);
        // how often the benchmark counts what is left of the wave; it shares the cores with the wave, so
        // it polls once a second and takes the wave's end from the database's own timestamps (lastWrite)
        int pollMillis = Integer.getInteger("leadflow.bench.poll-millis", 1000);
        String appArgs = System.getProperty("leadflow.bench.app-args", "").trim();
        // -Dleadflow.bench.nodes=2: a second node on the same database, in a JVM of its own
        int nodes = Integer.getInteger("leadflow.bench.nodes", 1);
        // -Dleadflow.bench.wave=split: the reminders of half the leads and the breaches of the other half are
        // due (every timer notifies), instead of both timers of every lead (a reminder after its breach sends nothing)
        boolean split = "split".equals(System.getProperty("leadflow.bench.wave", "both"));
        if (nodes < 1 || nodes > 2) {
            throw new IllegalArgumentException("leadflow.bench.nodes must be 1 or 2, was " + nodes);
        }
        // -Dleadflow.bench.cpu-limits=node=0.4,postgres=1.0: each node and PostgreSQL limited to CPUs of their own in the wave
        CpuLimits.Limits limits = CpuLimits.Limits.fromProperty();
        if (limits != null) {
            limits.requireControlGroups();
        }

        BenchApp.Start start = BenchApp.begin("before the timers");
        String loadAtStart = start.loadAverage();
        String startedAt = start.startedAt();
        CaptureBenchmark.Pgbench pgbench = start.pgbench();
        double tpsBefore = start.tpsBefore();

        AtomicLong deliveries = new AtomicLong();
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        webhook.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            deliveries.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        ExecutorService webhookThreads = Executors.newFixedThreadPool(4);
        webhook.setExecutor(webhookThreads);
        webhook.start();

        BenchApp.freshDatabase(DATABASE);
        // -Dleadflow.bench.users=true: the demo users, so the groups a reminder or breach is for have
        // members with addresses and every one is mailed too
        boolean users = Boolean.getBoolean("leadflow.bench.users");
        Map<String, Object> properties = BenchApp.properties(DATABASE, users);
        // ... sent to a real SMTP server on loopback (GreenMail, in this JVM as the webhook is)
        com.icegreen.greenmail.util.GreenMail smtp = null;
        if (users) {
            int smtpPort = BenchApp.freePort();
            smtp = new com.icegreen.greenmail.util.GreenMail(new com.icegreen.greenmail.util.ServerSetup(smtpPort, "127.0.0.1", "smtp"));
            smtp.start();
            properties.put("spring.mail.host", "127.0.0.1");
            properties.put("spring.mail.port", Integer.toString(smtpPort));
        }
        // -Dleadflow.bench.notifications=false: no webhook, so (with no users to mail) a reminder or breach
        // starts no notification instance: the escalations alone, to see what the notifications cost
        boolean notify = Boolean.parseBoolean(System.getProperty("leadflow.bench.notifications", "true"));
        if (notify) {
            properties.put("leadflow.notifications.webhook-url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook");
        }
        if (nodes > 1) {
            // each node's name in the job log (act_hi_job_log.hostname_), to count the jobs each ran
            properties.put("camunda.bpm.generic-properties.properties.hostname", "node-a");
        }
        List<String> arguments = List.of(BenchApp.arguments(properties, appArgs));

        Connection db = DriverManager.getConnection(CaptureBenchmark.POSTGRES + DATABASE, "postgres", "");
        long startNanos = System.nanoTime();
        double startSeconds;
        CaptureBenchmark.Result capture;
        List<String> probes = new ArrayList<>();
        long timersDue;
        double drainSeconds;
        double detectedSeconds;
        BenchApp.Cpu waveCpu;
        long jobsRun;
        long notifications;
        long breaches;
        long jobsLeft;
        long incidents;
        double[] timerLateness;
        double[] notificationLateness;
        double[] probeLateness;
        long heapUsed;
        long heapPeak;
        String loadAtWave;
        int mailsReceived = 0;
        BenchApp.Node nodeB = null;
        double nodeBStartSeconds = 0;
        Map<String, Long> jobsByNode = Map.of();
        Map<String, Long> failedByNode = Map.of();
        long nodeBWaveCpu = 0;
        CpuLimits cpuLimits = null;
        String throttling = null;
        try (ConfigurableApplicationContext context = new SpringApplication(LeadflowApplication.class).run(arguments.toArray(String[]::new))) {
            startSeconds = (System.nanoTime() - startNanos) / 1e9;
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<URI> captureUris = new ArrayList<>(List.of(URI.create("http://127.0.0.1:" + port + "/api/leads")));
            if (nodes > 1) {
                // started once the first node has made the schema and deployed the models, as an operator adds a node
                Map<String, Object> second = new java.util.LinkedHashMap<>(properties);
                second.put("camunda.bpm.generic-properties.properties.hostname", "node-b");
                nodeB = BenchApp.Node.start("node-b", second, appArgs, java.nio.file.Path.of("target", "bench", "timer-wave-node-b.log"));
                nodeBStartSeconds = nodeB.awaitHealthy(Duration.ofMinutes(5));
                captureUris.add(nodeB.uri("/api/leads"));
                System.out.printf("second node: its own JVM, healthy %.1f s after its start (log: target/bench/timer-wave-node-b.log)%n",
                        nodeBStartSeconds);
            }

            // capture, while single reminder timers become due one at a time (the lateness probe)
            AtomicBoolean capturing = new AtomicBoolean(true);
            Thread prober = new Thread(() -> probe(capturing, probeMillis, probes), "lateness-probe");
            if (probeMillis > 0) {
                prober.start();
            }
            long captureStart = System.nanoTime();
            capture = CaptureBenchmark.run(http, captureUris, clients, leads, "timer");
            double captureSeconds = (System.nanoTime() - captureStart) / 1e9;
            capturing.set(false);
            prober.join();
            System.out.printf("captured %d leads in %.1f s (%.1f leads/s), answers %s; %d single timers made due meanwhile%n",
                    leads, captureSeconds, leads / captureSeconds, capture.statuses(), probes.size());
            // the probed timers (and their notifications) finish before the wave starts
            awaitUntil(db, Duration.ofMinutes(5), () -> count(db, JOBS_LEFT + " and (duedate_ is null or duedate_ <= now())") == 0);
            probeLateness = lateness(db, "select extract(epoch from (l.timestamp_ - l.job_duedate_)) from act_hi_job_log l"
                    + " where l.job_state_ = 2 and l.job_id_ in (" + in(probes) + ")");
            long jobLogBefore = count(db, "select count(*) from act_hi_job_log where job_state_ = 2");
            long notificationsBefore = count(db, NOTIFICATIONS_ENDED);
            long deliveriesBefore = deliveries.get();

            // the other open leads of a real database: -Dleadflow.bench.nurtured-leads=N adds the two
            // timers each nurtured lead keeps in the job table, due in a month and later
            int nurtured = Integer.getInteger("leadflow.bench.nurtured-leads", 0);
            if (nurtured > 0) {
                try (Statement sql = db.createStatement()) {
                    int added = sql.executeUpdate("insert into act_ru_job (id_, rev_, type_, retries_, duedate_, process_instance_id_,"
                            + " execution_id_, exclusive_, suspension_state_, handler_type_, handler_cfg_, priority_)"
                            + " select 'nurture-timer-' || n, 1, 'timer', 3, now() + interval '30 days' + n * interval '10 seconds',"
                            + " 'nurtured-lead-' || (n / 2), 'nurtured-lead-' || (n / 2), true, 1, 'timer-intermediate-transition', '"
                            + BACKGROUND + "', 0 from generate_series(1, " + 2L * nurtured + ") n");
                    System.out.printf("background: %d timers of %d nurtured leads added to the job table, due in 30 days and later%n",
                            added, nurtured);
                }
            }
            // the wave, after the planner statistics autovacuum would have (-Dleadflow.bench.analyze=false: none;
            // =due: taken once the wave's timers are due, as in production, where a wave's timers had their due
            // dates from the start and the statistics know how many of them have passed)
            String analyze = System.getProperty("leadflow.bench.analyze", "true");
            if (analyze.equals("true")) {
                BenchApp.analyze(db, "before the wave");
            }
            loadAtWave = CaptureBenchmark.loadAverage();
            if (limits != null) {
                Map<String, Long> nodePids = new java.util.LinkedHashMap<>(Map.of("node-a", ProcessHandle.current().pid()));
                if (nodeB != null) {
                    nodePids.put(nodeB.name, nodeB.pid());
                }
                cpuLimits = CpuLimits.apply(limits, nodePids);
            }
            Timestamp waveStart = now(db);
            long waveNanos = System.nanoTime();
            BenchApp.Cpu cpuAtWave = BenchApp.cpu();
            long nodeBCpuAtWave = nodeB == null ? 0 : nodeB.cpuNanos();
            long breachesExpected = leads;
            try (Statement sql = db.createStatement()) {
                if (split) {
                    // half the leads get their reminder due, the other half their breach: every timer of the wave
                    // notifies (a reminder that runs after its lead's breach tells nobody); the others wait 60 days
                    String half = " and duedate_ > now() and mod(abs(hashtext(process_instance_id_)), 2) = ";
                    int reminders = sql.executeUpdate("update act_ru_job set duedate_ = now() - interval '1 second'"
                            + " where handler_cfg_ = 'Timer_ReviewMqlReminder'" + half + "0");
                    int breachTimers = sql.executeUpdate("update act_ru_job set duedate_ = now() - interval '1 second'"
                            + " where handler_cfg_ = 'Timer_ReviewMqlSlaBreached'" + half + "1");
                    sql.executeUpdate("update act_ru_job set duedate_ = now() + interval '60 days'"
                            + " where handler_cfg_ in " + REVIEW_TIMERS + " and duedate_ > now()");
                    timersDue = reminders + breachTimers;
                    breachesExpected = breachTimers;
                } else {
                    timersDue = sql.executeUpdate("update act_ru_job set duedate_ = now() - interval '1 second'"
                            + " where handler_cfg_ in " + REVIEW_TIMERS + " and duedate_ > now()");
                }
            }
            if (analyze.equals("due")) {
                BenchApp.analyze(db, "with the wave's timers due");
            }
            System.out.printf("wave: %d timers of %d leads made due at %s, load average %s%n", timersDue, leads, waveStart.text, loadAtWave);
            long expectedNotifications = notificationsBefore + (notify ? timersDue : 0);
            long lastReport = waveNanos;
            boolean gaveUp = false;
            while (true) {
                long left = count(db, JOBS_LEFT);
                long ended = count(db, NOTIFICATIONS_ENDED);
                long breached = count(db, "select count(*) from sla_breach where sla = 'reviewMql'");
                // a mail and a webhook per reminder or breach when both are configured: done when none waits any more
                long waiting = count(db, "select count(*) from notification_outbox where sent_at is null");
                if (left == 0 && waiting == 0 && ended >= expectedNotifications && breached >= breachesExpected) {
                    break;
                }
                if (System.nanoTime() - lastReport > 10e9) {
                    lastReport = System.nanoTime();
                    System.out.printf("  %5.0f s: jobs left %d, breaches %d of %d, notifications sent %d (%d waiting), webhook calls %d%n",
                            (lastReport - waveNanos) / 1e9, left, breached, breachesExpected, ended - notificationsBefore, waiting,
                            deliveries.get() - deliveriesBefore);
                }
                if (System.nanoTime() - waveNanos > Duration.ofMinutes(30).toNanos()) {
                    System.out.println("  gave up after 30 minutes");
                    gaveUp = true;
                    break;
                }
                Thread.sleep(pollMillis);
            }
            detectedSeconds = (System.nanoTime() - waveNanos) / 1e9;
            if (cpuLimits != null) {
                throttling = cpuLimits.release();
            }
            // a wave given up on, or one that wrote nothing, ends when the polling stopped
            drainSeconds = gaveUp ? detectedSeconds : Math.min(detectedSeconds, lastWrite(db, waveStart).orElse(detectedSeconds));
            waveCpu = BenchApp.cpu().minus(cpuAtWave);
            nodeBWaveCpu = nodeB == null ? 0 : nodeB.cpuNanos() - nodeBCpuAtWave;
            // the wave's jobs by the node that ran them (job_state_ 2), and the attempts that failed and were retried (1)
            String wave = " where timestamp_ >= timestamp '" + waveStart.text + "' and job_state_ = %d group by hostname_";
            if (nodes > 1) {
                jobsByNode = countsBy(db, "select hostname_, count(*) from act_hi_job_log" + wave.formatted(2));
            }
            failedByNode = countsBy(db, "select hostname_ || ' ' || coalesce(act_id_, job_def_type_), count(*) from act_hi_job_log"
                    + wave.formatted(1) + ", act_id_, job_def_type_");
            jobsRun = count(db, "select count(*) from act_hi_job_log where job_state_ = 2") - jobLogBefore;
            notifications = count(db, NOTIFICATIONS_ENDED) - notificationsBefore;
            breaches = count(db, "select count(*) from sla_breach where sla = 'reviewMql'");
            jobsLeft = count(db, JOBS_LEFT);
            incidents = count(db, "select count(*) from act_ru_incident");
            timerLateness = lateness(db, "select extract(epoch from (l.timestamp_ - l.job_duedate_)) from act_hi_job_log l"
                    + " where l.job_state_ = 2 and l.act_id_ in " + REVIEW_TIMERS
                    + " and l.timestamp_ >= timestamp '" + waveStart.text + "'");
            // an async continuation has no due date: its lateness is from its creation to its end
            notificationLateness = lateness(db, "select extract(epoch from (sent_at - created_at)) from notification_outbox"
                    + " where sent_at is not null and created_at >= timestamp '" + waveStart.text + "'");
            heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            heapPeak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                    .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        } finally {
            if (cpuLimits != null) {
                cpuLimits.close();
            }
            if (nodeB != null) {
                nodeB.close();
            }
            db.close();
            webhook.stop(0);
            webhookThreads.shutdownNow();
            if (smtp != null) {
                mailsReceived = smtp.getReceivedMessages().length;
                smtp.stop();
            }
        }
        String loadAtEnd = CaptureBenchmark.loadAverage();
        double tpsAfter = pgbench.run("after the timers");
        double tps = pgbench.enabled() ? (tpsBefore + tpsAfter) / 2 : Double.NaN;

        System.out.printf("%nleadflow timer wave benchmark — PostgreSQL, %d leads, started %s%n", leads, startedAt);
        System.out.printf("start-up       %.1f s; capture %d leads by %d clients: %.1f leads/s, p99 %.0f ms%n",
                startSeconds, leads, clients, capture.throughput(), capture.percentile(99));
        System.out.printf("wave           %d leads, %d timers due at once: all done in %.1f s (jobs left %d, incidents %d)%n",
                leads, timersDue, drainSeconds, jobsLeft, incidents);
        System.out.printf("               (the last job, notification or breach written at %.1f s; seen done by polling every %d ms at %.1f s)%n",
                drainSeconds, pollMillis, detectedSeconds);
        System.out.printf("               %d jobs run: %.1f jobs/s; %d notifications sent: %.1f notifications/s; %d sla_breach rows; webhook calls %d%n",
                jobsRun, jobsRun / drainSeconds, notifications, notifications / drainSeconds, breaches, deliveries.get());
        if (users) {
            System.out.printf("               mails received by the SMTP server on loopback (capture and wave): %d%n", mailsReceived);
        }
        System.out.printf("               CPU per job: %.1f ms app (this JVM: the app, the webhook, the mail server and the polling%s) + %.1f ms PostgreSQL%n",
                (waveCpu.jvmNanos() + nodeBWaveCpu) / 1e6 / jobsRun, nodes > 1 ? "; and node-b's JVM" : "", waveCpu.postgresNanos() / 1e6 / jobsRun);
        if (nodes > 1) {
            System.out.printf("two nodes      second node started in %.1f s; captures sent to both in turn; wave CPU: node-a (this JVM) %.1f s, node-b %.1f s%n",
                    nodeBStartSeconds, waveCpu.jvmNanos() / 1e9, nodeBWaveCpu / 1e9);
            System.out.printf("               jobs run in the wave by node (job log): %s%n", jobsByNode);
        }
        System.out.printf("               failed attempts in the wave, retried (job log, by node and activity): %s%n",
                failedByNode.isEmpty() ? "none" : failedByNode);
        if (throttling != null) {
            System.out.printf("cpu limits     in the wave (cgroup CPU quotas): %s%n", throttling);
        }
        System.out.printf("lateness       wave timers (end − due date): %s%n", percentiles(timerLateness));
        System.out.printf("               wave notifications (sent − asked for): %s%n", percentiles(notificationLateness));
        System.out.printf("               single timers during the capture (end − due date): %s%n", percentiles(probeLateness));
        System.out.printf("heap           %d MiB used at the end, peak %d MiB, max %d MiB%n",
                heapUsed >> 20, heapPeak >> 20, Runtime.getRuntime().maxMemory() >> 20);
        if (pgbench.enabled()) {
            System.out.printf("pgbench        TPC-B, %d clients, %d s: %.0f tps before, %.0f tps after, mean %.0f%n",
                    pgbench.clients(), pgbench.seconds(), tpsBefore, tpsAfter, tps);
            System.out.printf("ratio          wave jobs/s ÷ TPC-B tps = %.4f%n", jobsRun / drainSeconds / tps);
        }
        System.out.printf("machine        %d cores, Java %s, %s; load average at start %s, at the wave %s, at end %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("-Xm")).toList(),
                loadAtStart, loadAtWave, loadAtEnd);
        if (!appArgs.isEmpty()) {
            System.out.printf("app arguments  %s%n", appArgs);
        }
    }

    /** Every {@code millis} while the capture runs: one not yet due reminder timer made due now. */
    private static void probe(AtomicBoolean capturing, int millis, List<String> probes) {
        try (Connection db = DriverManager.getConnection(CaptureBenchmark.POSTGRES + DATABASE, "postgres", "");
             Statement sql = db.createStatement()) {
            while (capturing.get()) {
                Thread.sleep(millis);
                try (ResultSet made = sql.executeQuery("update act_ru_job set duedate_ = now() where id_ = (select id_ from act_ru_job"
                        + " where handler_cfg_ = 'Timer_ReviewMqlReminder' and duedate_ > now() + interval '1 minute' limit 1) returning id_")) {
                    if (made.next()) {
                        probes.add(made.getString(1));
                    }
                }
            }
        } catch (Exception e) {
            System.out.println("lateness probe stopped: " + e);
        }
    }

    /**
     * Seconds from the wave's start to the last write of the wave: a job that ended (the job log), a
     * notification marked sent, an instance that ended (a message retried on its own) or a breach.
     * The wave's end as the database recorded it, whatever the polling interval.
     */
    static OptionalDouble lastWrite(Connection db, Timestamp waveStart) throws Exception {
        String since = "timestamp '" + waveStart.text + "'";
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery("select extract(epoch from greatest("
                + "(select max(timestamp_) from act_hi_job_log where timestamp_ >= " + since + " and job_state_ = 2),"
                + "(select max(sent_at) from notification_outbox where sent_at >= " + since + ")::timestamp,"
                + "(select max(end_time_) from act_hi_procinst where end_time_ >= " + since + "),"
                + "(select max(breached_at) from sla_breach where breached_at >= " + since + ")::timestamp) - " + since + ")")) {
            rs.next();
            double seconds = rs.getDouble(1);
            return rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(seconds);
        }
    }

    private static String in(List<String> ids) {
        return ids.isEmpty() ? "''" : String.join(",", ids.stream().map(id -> "'" + id + "'").toList());
    }

    record Timestamp(String text) {
    }

    private static Timestamp now(Connection db) throws Exception {
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery("select localtimestamp::text")) {
            rs.next();
            return new Timestamp(rs.getString(1));
        }
    }

    /** A query's rows of (name, count), ordered by name. */
    private static Map<String, Long> countsBy(Connection db, String query) throws Exception {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery(query + " order by 1")) {
            while (rs.next()) {
                counts.put(String.valueOf(rs.getString(1)), rs.getLong(2));
            }
        }
        return counts;
    }

    static long count(Connection db, String query) throws Exception {
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double[] lateness(Connection db, String query) throws Exception {
        List<Double> values = new ArrayList<>();
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getDouble(1));
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static String percentiles(double[] sorted) {
        if (sorted.length == 0) {
            return "none";
        }
        return "%d jobs, p50 %.1f s, p95 %.1f s, p99 %.1f s, max %.1f s".formatted(sorted.length,
                percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), sorted[sorted.length - 1]);
    }

    private static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }

    interface Check {
        boolean done() throws Exception;
    }

    private static void awaitUntil(Connection db, Duration atMost, Check check) throws Exception {
        long end = System.nanoTime() + atMost.toNanos();
        while (!check.done()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("not done within " + atMost);
            }
            Thread.sleep(200);
        }
    }
}
