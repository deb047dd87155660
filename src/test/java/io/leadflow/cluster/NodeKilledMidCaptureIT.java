package io.leadflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One node, killed with {@code kill -9} while four clients capture leads, then started again on the
 * same database: every lead that was answered 2xx is there with its lifecycle, and no lead is half
 * stored (a lead row without its lifecycle instance, or an instance without its lead row); the funnel
 * KPI on that database counts every lead stored.
 */
@Tag("cluster")
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class NodeKilledMidCaptureIT {

    static final int CLIENTS = 4;
    static final int CAPTURED_BEFORE_KILL = 150;

    @Test
    void givenANodeCapturingLeads_whenItIsKilledAndStartedAgain_thenEveryAcknowledgedLeadIsCompleteAndNoneIsHalfStored() throws Exception {
        Sql db = Sql.createDatabase(Sql.SERVER_URL, "kill_capture");
        try (ClusterNode node = new ClusterNode("kill-capture", db.url)) {
            node.start().awaitHealthy();

            LeadClients clients = new LeadClients(List.of(node), CLIENTS, 100_000, "killed-" + System.nanoTime());
            try (clients) {
                await("leads captured before the kill").atMost(Duration.ofMinutes(4)).until(() -> clients.ok() >= CAPTURED_BEFORE_KILL);
                node.kill();
                clients.stop();
                clients.await();
            }
            long inFlight = clients.count(a -> a.status() == -1);
            // requests the kill cut off while the node had them (not refused afterwards): a capture was under way
            long cutOff = clients.count(a -> a.status() == -1 && !a.error().contains("ConnectException"));

            node.start().awaitHealthy();
            long acknowledged = clients.ok();
            String ids = clients.answers.stream().filter(LeadClients.Answer::ok).map(a -> "'" + a.leadId() + "'")
                    .collect(Collectors.joining(","));
            long found = db.count("select count(*) from lead where id in (" + ids + ")");
            long withLifecycle = db.count("select count(distinct business_key_) from act_hi_procinst where proc_def_key_ = 'leadLifecycle'"
                    + " and business_key_ in (select lead_number from lead where id in (" + ids + "))");
            long leadsWithoutLifecycle = db.count("select count(*) from lead l where not exists (select 1 from act_hi_procinst p"
                    + " where p.business_key_ = l.lead_number and p.proc_def_key_ = 'leadLifecycle')");
            long lifecyclesWithoutLead = db.count("select count(*) from act_hi_procinst p where p.proc_def_key_ = 'leadLifecycle'"
                    + " and not exists (select 1 from lead l where l.lead_number = p.business_key_)");
            long leadsWithoutStage = db.count("select count(*) from lead l where not exists (select 1 from lead_stage_entry s where s.lead_id = l.id)");
            long stored = db.count("select count(*) from lead");
            LeadClients after = new LeadClients(List.of(node), 1, 1, "after-restart-" + System.nanoTime());
            after.await();
            // the KPIs on PostgreSQL, as a manager asks them of the packaged app (each in a read-only
            // transaction with its planner setting): every lead stored is an inquiry of the period
            LocalDate today = LocalDate.now(ZoneId.of("Europe/Berlin"));
            HttpResponse<String> funnel = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            node.uri("/api/kpis/funnel?from=" + today.minusDays(1) + "&to=" + today.plusDays(1)))
                    .header("Authorization", ClusterNode.ADMIN_BASIC_AUTH).build(), HttpResponse.BodyHandlers.ofString());
            long storedNow = db.count("select count(*) from lead");

            System.out.printf("%n[cluster] node killed mid-capture: %d clients, answers %s%n", CLIENTS, clients.statuses());
            System.out.printf("[cluster]   2xx leads %d, found %d, with lifecycle %d; requests without answer %d, of them cut off by the kill %d"
                    + " (the rest refused after it); leads stored %d%n", acknowledged, found, withLifecycle, inFlight, cutOff, stored);
            System.out.printf("[cluster]   half leads: without lifecycle %d, lifecycle without lead %d, without stage entry %d; after restart %s%n",
                    leadsWithoutLifecycle, lifecyclesWithoutLead, leadsWithoutStage, after.statuses());
            System.out.printf("[cluster]   funnel KPI: %d %s, leads stored %d%n", funnel.statusCode(),
                    funnel.body().length() > 200 ? funnel.body().substring(0, 200) + "…" : funnel.body(), storedNow);

            assertThat(cutOff).as("requests the kill cut off mid-capture").isPositive();
            assertThat(acknowledged).isGreaterThanOrEqualTo(CAPTURED_BEFORE_KILL);
            assertThat(found).as("2xx leads stored").isEqualTo(acknowledged);
            assertThat(withLifecycle).as("2xx leads with their lifecycle").isEqualTo(acknowledged);
            assertThat(leadsWithoutLifecycle).as("lead rows without lifecycle").isZero();
            assertThat(lifecyclesWithoutLead).as("lifecycles without lead row").isZero();
            assertThat(leadsWithoutStage).as("lead rows without stage entry").isZero();
            assertThat(after.ok()).as("the restarted node captures").isEqualTo(1);
            assertThat(funnel.statusCode()).as("funnel KPI: " + funnel.body()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(funnel.body()).at("/summary/inquiries").asLong(-1))
                    .as("inquiries of the funnel KPI: every lead stored").isEqualTo(storedNow);
        } finally {
            db.dropDatabase(Sql.SERVER_URL);
        }
    }
}
