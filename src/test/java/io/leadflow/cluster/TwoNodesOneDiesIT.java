package io.leadflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.sun.net.httpserver.HttpServer;

/**
 * Two nodes on one fresh PostgreSQL database, as Camunda runs a cluster: leads captured through
 * both, their "Review MQL" SLA timers made due (the check moves the timers' due dates in
 * ACT_RU_JOB: it acts as the clock), and one node killed with {@code kill -9} while both run those
 * timers. The survivor takes the dead node's locked jobs once their lock expires (lock time 20 s
 * here, 5 min in production): every reminder and every breach happens exactly once per lead, no
 * lead is lost, no job is left, and every notification (webhook to this check, sent in batches) is sent:
 * one breach per lead, and a reminder for each lead whose reminder ran before its breach (both are due
 * at once; a reminder after the deadline tells nobody "due soon").
 */
@Tag("cluster")
@Timeout(value = 20, unit = java.util.concurrent.TimeUnit.MINUTES)
class TwoNodesOneDiesIT {

    /**
     * The figure, 2,000 leads (4,000 timers): 10 min 20 s on this 2-core machine with load
     * average 25 from other builds, start-up of two JVMs included; {@code -Dleadflow.cluster.leads=N}
     * runs another.
     */
    static final int LEADS = Integer.getInteger("leadflow.cluster.leads", 2000);
    static final int CLIENTS = 4;
    static final int LOCK_MILLIS = 20_000;
    private static final Pattern LEAD_AND_EVENT = Pattern.compile("\"event\":\"([^\"]+)\",\"leadId\":\"([^\"]+)\"");

    @Test
    void givenTwoNodesRunningSlaTimers_whenOneIsKilled_thenTheSurvivorFiresEveryTimerExactlyOnce() throws Exception {
        Map<String, AtomicLong> delivered = new ConcurrentHashMap<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        webhook.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = LEAD_AND_EVENT.matcher(body);
            delivered.computeIfAbsent(m.find() ? m.group(2) + " " + m.group(1) : "unreadable", k -> new AtomicLong()).incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.setExecutor(Executors.newFixedThreadPool(8));
        webhook.start();
        String[] options = {"--camunda.bpm.job-execution.lock-time-in-millis=" + LOCK_MILLIS,
                "--leadflow.notifications.webhook-url=http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook"};
        Sql db = Sql.createDatabase(Sql.SERVER_URL, "two_nodes");
        try (ClusterNode a = new ClusterNode("node-a", db.url, options); ClusterNode b = new ClusterNode("node-b", db.url, options)) {
            a.start();
            b.start(); // both at once: the schema is created once, Flyway and the deployment run once
            a.awaitHealthy();
            b.awaitHealthy();
            long definitionsDeployedTwice = db.count("select count(*) from (select key_ from act_re_procdef group by key_ having count(*) > 1) p")
                    + db.count("select count(*) from (select key_ from act_re_decision_def group by key_ having count(*) > 1) d");
            long lifecycles = db.count("select count(*) from act_re_procdef where key_ = 'leadLifecycle'");
            long migrationsRunTwice = db.count("select count(*) from (select version from flyway_schema_history where version is not null"
                    + " group by version having count(*) > 1) f");

            long captureStart = System.nanoTime();
            LeadClients clients = new LeadClients(List.of(a, b), CLIENTS, LEADS, "two-nodes-" + System.nanoTime(), 3);
            try (clients) {
                clients.await(Duration.ofMinutes(10));
            }
            double captureSeconds = (System.nanoTime() - captureStart) / 1e9;
            long acknowledged = clients.ok();
            long leadsFound = db.count("select count(*) from lead where stage = 'MQL'");
            long reviewTasks = db.count("select count(*) from act_ru_task where task_def_key_ = 'Task_ReviewMql'");

            int due = db.execute("update act_ru_job set duedate_ = timestamp '2000-01-01 00:00:00'"
                    + " where handler_cfg_ in ('Timer_ReviewMqlReminder', 'Timer_ReviewMqlSlaBreached')");
            await("both nodes running timers").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> db.count("select count(*) from sla_breach") >= LEADS / 10
                            && db.count("select count(distinct lock_owner_) from act_ru_job where lock_owner_ is not null") >= 2);
            a.kill();
            long killedAt = System.nanoTime();
            List<String> heldAtKill = db.strings("select id_ || ' ' || lock_owner_ from act_ru_job where lock_owner_ is not null");
            String latestLock = db.strings("select max(lock_exp_time_)::text from act_ru_job").get(0);
            String held = heldAtKill.isEmpty() ? "('', '')" : heldAtKill.stream().map(s -> s.split(" "))
                    .map(p -> "('" + p[0] + "', '" + p[1] + "')").collect(Collectors.joining(","));
            Set<String> survivors = ConcurrentHashMap.newKeySet();
            AtomicLong recoveredAt = new AtomicLong();
            await("every timer fired and every notification sent").atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        if (latestLock != null) {
                            survivors.addAll(db.strings("select distinct lock_owner_ from act_ru_job where lock_exp_time_ > timestamp '" + latestLock + "'"));
                        }
                        if (recoveredAt.get() == 0 && db.count("select count(*) from act_ru_job where (id_, lock_owner_) in (" + held + ")") == 0) {
                            recoveredAt.set(System.nanoTime());
                        }
                        return recoveredAt.get() != 0
                                && db.count("select count(*) from act_ru_job where handler_type_ <> 'history-cleanup'") == 0
                                && db.count("select count(*) from notification_outbox where sent_at is null") == 0;
                    });
            long deadNodeLocks = heldAtKill.stream().filter(s -> !survivors.contains(s.split(" ")[1])).count();

            long breaches = db.count("select count(*) from sla_breach where sla = 'reviewMql'");
            long breachDuplicates = db.count("select count(*) from (select lead_id, sla from sla_breach group by lead_id, sla having count(*) > 1) d");
            long reminders = db.count("select count(*) from act_hi_actinst where act_id_ = 'Task_RemindReviewer' and end_time_ is not null");
            long reminderDuplicates = db.count("select count(*) from (select proc_inst_id_ from act_hi_actinst where act_id_ = 'Task_RemindReviewer'"
                    + " group by proc_inst_id_ having count(*) > 1) d");
            long escalationDuplicates = db.count("select count(*) from (select proc_inst_id_ from act_hi_actinst where act_id_ = 'Task_EscalateReview'"
                    + " group by proc_inst_id_ having count(*) > 1) d");
            // sent in batches: a row per notification, marked sent by its batch's job
            // a webhook call and a mail row each (the nodes have no users: the mails have no address, done unsent)
            long notifications = db.count("select count(*) from notification_outbox where sent_at is not null and channel = 'webhook'");
            // both timers are due at once: a reminder that runs after its lead's breach tells nobody "due soon"
            long breachNotifications = db.count("select count(*) from notification_outbox where sent_at is not null"
                    + " and channel = 'webhook' and event = 'SLA_BREACH'");
            long reminderNotifications = db.count("select count(*) from notification_outbox where sent_at is not null"
                    + " and channel = 'webhook' and event = 'SLA_REMINDER'");
            long mails = db.count("select count(*) from notification_outbox where sent_at is not null and channel = 'email'");
            long notificationDuplicates = db.count("select count(*) from (select lead_id, event, channel from notification_outbox"
                    + " group by lead_id, event, channel having count(*) > 1) d");
            long notificationsAlone = db.count("select count(*) from act_hi_procinst where proc_def_key_ = 'leadNotification'"
                    + " and id_ in (select proc_inst_id_ from act_hi_varinst where name_ = 'leadId')");
            long jobsRun = db.count("select count(*) from act_hi_job_log where job_state_ = 2");
            long jobFailures = db.count("select count(*) from act_hi_job_log where job_state_ = 1");
            long jobsLeft = db.count("select count(*) from act_ru_job where handler_type_ <> 'history-cleanup'");
            long incidents = db.count("select count(*) from act_ru_incident");
            long deliveries = delivered.values().stream().mapToLong(AtomicLong::get).sum();
            long redelivered = delivered.values().stream().mapToLong(n -> n.get() - 1).sum();

            System.out.printf("%n[cluster] two nodes, one killed: %d leads by %d clients over 2 nodes in %.1f s, answers %s%n",
                    LEADS, CLIENTS, captureSeconds, clients.statuses());
            System.out.printf("[cluster]   requests without answer (sent again with the same Idempotency-Key): %s%n", clients.errors());
            System.out.printf("[cluster]   2xx %d, leads found %d, Review MQL tasks %d, timers made due %d%n", acknowledged, leadsFound, reviewTasks, due);
            System.out.printf("[cluster]   jobs run %d (failed attempts %d), left %d, incidents %d; jobs locked by the dead node %d, recovered %.1f s after the kill (lock time %d s)%n",
                    jobsRun, jobFailures, jobsLeft, incidents, deadNodeLocks, (recoveredAt.get() - killedAt) / 1e9, LOCK_MILLIS / 1000);
            System.out.printf("[cluster]   breaches %d (duplicates %d), reminders %d (duplicates %d), escalation duplicates %d%n",
                    breaches, breachDuplicates, reminders, reminderDuplicates, escalationDuplicates);
            System.out.printf("[cluster]   webhook notifications sent %d (breaches %d, reminders run before their breach %d), mails done %d"
                    + " (duplicates %d, retried on their own %d), webhook deliveries %d (redelivered after the kill %d)%n",
                    notifications, breachNotifications, reminderNotifications, mails, notificationDuplicates, notificationsAlone, deliveries,
                    redelivered);

            assertThat(lifecycles).as("lifecycle versions deployed by the two starts").isEqualTo(1);
            assertThat(definitionsDeployedTwice).as("process or decision keys deployed twice").isZero();
            assertThat(migrationsRunTwice).as("Flyway migrations run twice").isZero();
            assertThat(acknowledged).as("2xx answers").isEqualTo(LEADS);
            assertThat(leadsFound).as("leads found").isEqualTo(LEADS);
            assertThat(reviewTasks).as("Review MQL tasks").isEqualTo(LEADS);
            assertThat(due).as("timers made due").isEqualTo(2L * LEADS);
            assertThat(deadNodeLocks).as("jobs the dead node held locked").isPositive();
            assertThat(breaches).as("one breach per lead").isEqualTo(LEADS);
            assertThat(breachDuplicates + reminderDuplicates + escalationDuplicates + notificationDuplicates).as("duplicates").isZero();
            assertThat(reminders).as("one reminder per lead").isEqualTo(LEADS);
            assertThat(breachNotifications).as("a breach notification per lead").isEqualTo(LEADS);
            assertThat(reminderNotifications).as("reminder notifications: those that ran before their breach").isBetween(0L, (long) LEADS);
            assertThat(notifications).as("webhook notifications sent").isEqualTo(breachNotifications + reminderNotifications);
            assertThat(mails).as("mail notifications done").isEqualTo(notifications);
            assertThat(notificationsAlone).as("notifications whose send failed").isZero();
            assertThat((long) delivered.keySet().size()).as("every notification delivered").isEqualTo(notifications);
            assertThat(jobsLeft + incidents).as("jobs left, incidents").isZero();
        } finally {
            webhook.stop(0);
            db.dropDatabase(Sql.SERVER_URL);
        }
    }
}
