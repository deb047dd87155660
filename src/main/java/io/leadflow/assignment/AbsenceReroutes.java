package io.leadflow.assignment;

import java.time.OffsetDateTime;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.camunda.bpm.engine.OptimisticLockingException;
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
import io.leadflow.sla.SlaStatus;
import io.leadflow.sla.SlaTimers;

/**
 * When a rep's absence starts (by the engine's clock), the rep's open "Accept lead" tasks go to the
 * next available rep of each lead's territory, as the rotation chooses ({@link RepRotation}): the
 * task's assignee, the {@code salesRep} variable and the lead record's rep change together, and the
 * new rep gets the agreed time to accept it (due date, reminder and escalation from now). With no
 * rep left the task is left unassigned for the sales group and the sales managers become candidates,
 * who are told (as for "Assign lead by hand") and assign it by hand (Tasklist: "Set assignee").
 * <p>
 * An Accept lead that reaches a rep while away (back from Fix lead data, which goes to the lead's rep)
 * moves at the next check the same way.
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
    private final AcceptanceSla acceptance;

    public AbsenceReroutes(JdbcClient jdbc, RepRotation rotation, TaskService tasks, RuntimeService runtime,
                           LeadRepository leads, TransactionTemplate transactions, EngineClock clock,
                           Notifications notifications, ProcessEngine engineServices, AcceptanceSla acceptance,
                           @org.springframework.beans.factory.annotation.Value("${leadflow.assignment.absence-check-interval:PT30S}") String interval) {
        io.leadflow.platform.SettingFailureAnalyzer.interval("leadflow.assignment.absence-check-interval", interval);
        this.jdbc = jdbc;
        this.rotation = rotation;
        this.tasks = tasks;
        this.runtime = runtime;
        this.leads = leads;
        this.transactions = transactions;
        this.clock = clock;
        this.notifications = notifications;
        this.engineServices = engineServices;
        this.acceptance = acceptance;
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
        // an Accept lead that reached a rep while away (back from Fix lead data, which goes to the lead's
        // rep): moved as those open when the absence began; two nodes moving one task, the engine's
        // revision of the task lets one of them commit
        List<String> away = jdbc.sql("""
                select distinct rep_id from rep_absence
                where rerouted_at is not null and starts_at <= :now and ends_at > :now order by rep_id
                """).param("now", now).query(String.class).list();
        for (String rep : away) {
            try {
                Integer tasksMoved = transactions.execute(tx -> rerouteTasksOf(rep, now));
                moved += tasksMoved == null ? 0 : tasksMoved;
            } catch (OptimisticLockingException anotherNode) {
                LOG.debug("Another node re-routed the tasks of {} first", rep);
            }
        }
        return moved;
    }

    private int reroute(String absenceId, String rep, OffsetDateTime now) {
        int claimed = jdbc.sql("update rep_absence set rerouted_at = :now where id = :id and rerouted_at is null")
                .param("now", now).param("id", absenceId).update();
        if (claimed == 0) {
            return 0; // another node re-routed it (or is doing so and commits first)
        }
        return rerouteTasksOf(rep, now);
    }

    /** The absent rep's open Accept lead tasks, each to the next available rep of its territory (or the managers); answers how many. */
    private int rerouteTasksOf(String rep, OffsetDateTime now) {
        List<Task> open = tasks.createTaskQuery().taskDefinitionKey(RepAvailability.ACCEPT_LEAD_TASK).taskAssignee(rep).list();
        for (Task task : open) {
            String leadId = (String) runtime.getVariable(task.getExecutionId(), LeadVariables.LEAD_ID);
            String territory = (String) runtime.getVariable(task.getExecutionId(), LeadVariables.TERRITORY);
            Set<String> excluded = new LinkedHashSet<>(ExcludedReps.parse(runtime.getVariable(task.getExecutionId(), LeadVariables.EXCLUDED_REPS)));
            excluded.add(rep);
            Optional<String> next = rotation.assignNext(territory, excluded, now);
            tasks.setAssignee(task.getId(), next.orElse(null));
            // the model's salesRepOfTask listener does these two as well; a lead on a lifecycle version
            // from before it needs them here
            runtime.setVariable(task.getExecutionId(), LeadVariables.SALES_REP, next.orElse(null));
            leads.assignSalesRep(leadId, next.orElse(null), now);
            if (next.isPresent()) {
                restartAcceptanceSla(task);
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

    /** The rep who gets the lead gets the agreed time to accept it ({@link AcceptanceSla}). */
    private void restartAcceptanceSla(Task task) {
        Date due = acceptance.restartTimers(engineServices.getManagementService(), task.getProcessInstanceId());
        Task moved = tasks.createTaskQuery().taskId(task.getId()).singleResult(); // as the new assignee left it
        moved.setDueDate(due);
        tasks.saveTask(moved);
        tasks.setVariableLocal(task.getId(), SlaTimers.SLA_STATUS, SlaStatus.ON_TIME.name());
    }
}
