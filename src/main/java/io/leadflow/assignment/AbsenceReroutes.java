package io.leadflow.assignment;

import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.leadflow.lead.LeadRepository;
import io.leadflow.lead.LeadVariables;
import io.leadflow.notification.Notifications;
import io.leadflow.security.Groups;
import io.leadflow.sla.EngineClock;

/**
 * When a rep's absence starts (by the engine's clock), the rep's open "Accept lead" tasks go to the
 * next available rep of each lead's territory, as the rotation chooses ({@link RepRotation}): the
 * task's assignee, the {@code salesRep} variable and the lead record's rep change together. With no
 * rep left the task is left unassigned for the sales group and the sales managers become candidates,
 * who are told (as for "Assign lead by hand") and assign it by hand (Tasklist: "Set assignee").
 * <p>
 * Runs on every node every {@code leadflow.assignment.absence-check-interval} (PT30S). Each absence is
 * re-routed once: the node whose conditional update sets its {@code rerouted_at} does it, in the same
 * transaction as the task changes; another node's update finds it set and does nothing.
 */
@Component
public class AbsenceReroutes {

    private static final Logger LOG = LoggerFactory.getLogger(AbsenceReroutes.class);

    private final JdbcClient jdbc;
    private final RepRotation rotation;
    private final TaskService tasks;
    private final RuntimeService runtime;
    private final LeadRepository leads;
    private final TransactionTemplate transactions;
    private final EngineClock clock;
    private final Notifications notifications;
    private final ProcessEngine engineServices;

    public AbsenceReroutes(JdbcClient jdbc, RepRotation rotation, TaskService tasks, RuntimeService runtime,
                           LeadRepository leads, TransactionTemplate transactions, EngineClock clock,
                           Notifications notifications, ProcessEngine engineServices) {
        this.jdbc = jdbc;
        this.rotation = rotation;
        this.tasks = tasks;
        this.runtime = runtime;
        this.leads = leads;
        this.transactions = transactions;
        this.clock = clock;
        this.notifications = notifications;
        this.engineServices = engineServices;
    }

    @Scheduled(initialDelayString = "${leadflow.assignment.absence-check-interval:PT30S}",
            fixedDelayString = "${leadflow.assignment.absence-check-interval:PT30S}")
    public void check() {
        try {
            rerouteStartedAbsences();
        } catch (RuntimeException e) {
            LOG.warn("Re-routing the tasks of absent reps failed; the next check tries again", e);
        }
    }

    /** The absences begun by now whose tasks were not re-routed yet: re-routes them; answers how many tasks moved. */
    public int rerouteStartedAbsences() {
        OffsetDateTime now = clock.nowUtc();
        List<String[]> started = jdbc.sql("""
                select id, rep_id from rep_absence
                where rerouted_at is null and starts_at <= :now and ends_at > :now order by starts_at, id
                """)
                .param("now", now)
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list();
        int moved = 0;
        for (String[] absence : started) {
            Integer tasksMoved = transactions.execute(tx -> reroute(absence[0], absence[1], now));
            moved += tasksMoved == null ? 0 : tasksMoved;
        }
        return moved;
    }

    private int reroute(String absenceId, String rep, OffsetDateTime now) {
        int claimed = jdbc.sql("update rep_absence set rerouted_at = :now where id = :id and rerouted_at is null")
                .param("now", now).param("id", absenceId).update();
        if (claimed == 0) {
            return 0; // another node re-routed it (or is doing so and commits first)
        }
        List<Task> open = tasks.createTaskQuery().taskDefinitionKey(RepAvailability.ACCEPT_LEAD_TASK).taskAssignee(rep).list();
        for (Task task : open) {
            String leadId = (String) runtime.getVariable(task.getExecutionId(), LeadVariables.LEAD_ID);
            String territory = (String) runtime.getVariable(task.getExecutionId(), LeadVariables.TERRITORY);
            Set<String> excluded = new LinkedHashSet<>(ExcludedReps.parse(runtime.getVariable(task.getExecutionId(), LeadVariables.EXCLUDED_REPS)));
            excluded.add(rep);
            Optional<String> next = rotation.assignNext(territory, excluded, now);
            tasks.setAssignee(task.getId(), next.orElse(null));
            runtime.setVariable(task.getExecutionId(), LeadVariables.SALES_REP, next.orElse(null));
            leads.assignSalesRep(leadId, next.orElse(null), now);
            if (next.isPresent()) {
                LOG.info("Lead {}: 'Accept lead' re-routed from {} (absent from {}) to {}", leadId, rep, now, next.get());
            } else {
                tasks.addCandidateGroup(task.getId(), Groups.SALES_MANAGERS);
                notifications.rerouteNeeded(engineServices, task, leadId,
                        (String) runtime.getVariable(task.getExecutionId(), LeadVariables.LEAD_NUMBER), Groups.SALES_MANAGERS);
                LOG.warn("Lead {}: {} is absent and no other rep of territory {} is available; 'Accept lead' waits for the sales managers to assign it",
                        leadId, rep, territory);
            }
        }
        return open.size();
    }
}
