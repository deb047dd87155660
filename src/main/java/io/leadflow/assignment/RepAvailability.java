package io.leadflow.assignment;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.TaskService;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.leadflow.sla.EngineClock;
import io.leadflow.sla.SlaProperties;
import io.leadflow.web.InvalidFieldsException;
import io.leadflow.web.TextRules;
import io.leadflow.web.InvalidFieldsException.FieldProblem;
import io.leadflow.web.NotFoundException;

/**
 * What a sales manager says about the reps: capacity (a weight in the rotation), active or
 * deactivated, and absences (out of office from/to, with a reason). The API ({@link RepController})
 * and the Tasklist start form "Manage rep availability" ({@link ApplyRepAvailabilityChangeDelegate})
 * both change it here. Bad input is refused before anything is written, naming each field. A
 * change locks the rep's rotation row, so it queues with assignments ({@link RepRotation}).
 * A rep is a user with a rotation row: every rep named in {@code leadflow.assignment.territories}.
 */
@Component
public class RepAvailability {

    public static final String ACCEPT_LEAD_TASK = "Task_AcceptLead";
    public static final int MAX_CAPACITY = 1_000;
    public static final int MAX_REASON = 200;
    /** An absence longer than a year is a rep who has left or is on long leave: deactivate them instead. */
    public static final int MAX_ABSENCE_DAYS = 366;
    /** How far ahead an absence may be planned (a year PostgreSQL cannot store was a 500 there). */
    public static final int MAX_YEARS_AHEAD = 2;

    private final JdbcClient jdbc;
    private final TaskService tasks;
    private final TransactionTemplate transactions;
    private final EngineClock clock;
    private final ZoneId zone;

    public RepAvailability(JdbcClient jdbc, TaskService tasks, TransactionTemplate transactions, EngineClock clock, SlaProperties sla) {
        this.jdbc = jdbc;
        this.tasks = tasks;
        this.transactions = transactions;
        this.clock = clock;
        this.zone = sla.zone();
    }


    /** A rep, as managers see them. */
    public record Rep(String userId, int capacity, boolean active, boolean availableNow, List<Absence> absences,
                      long openAcceptLeadTasks) {
    }

    /** A period out of office; {@code reroutedAt}: when the rep's open "Accept lead" tasks went to others. */
    public record Absence(String id, OffsetDateTime from, OffsetDateTime to, String reason, String createdBy,
                         OffsetDateTime reroutedAt) {
    }

    /** Every rep with capacity, active, current and coming absences and open "Accept lead" tasks. */
    public List<Rep> reps() {
        OffsetDateTime now = clock.nowUtc();
        List<Object[]> rows = jdbc.sql("select rep_id, capacity, active from rep_rotation order by rep_id")
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getInt(2), rs.getBoolean(3)}).list();
        Map<String, List<Absence>> absences = jdbc.sql("""
                select id, rep_id, starts_at, ends_at, reason, created_by, rerouted_at from rep_absence
                where ends_at > :now order by starts_at, id
                """)
                .param("now", now)
                .query((rs, n) -> Map.entry(rs.getString(2), new Absence(rs.getString(1), utc(rs.getObject(3, OffsetDateTime.class)),
                        utc(rs.getObject(4, OffsetDateTime.class)), rs.getString(5), rs.getString(6),
                        utc(rs.getObject(7, OffsetDateTime.class)))))
                .list().stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        List<Rep> reps = new ArrayList<>();
        for (Object[] row : rows) {
            String rep = (String) row[0];
            List<Absence> own = absences.getOrDefault(rep, List.of());
            boolean away = own.stream().anyMatch(a -> !a.from().isAfter(now) && a.to().isAfter(now));
            reps.add(new Rep(rep, (int) row[1], (boolean) row[2], (boolean) row[2] && !away, own,
                    tasks.createTaskQuery().taskDefinitionKey(ACCEPT_LEAD_TASK).taskAssignee(rep).count()));
        }
        return reps;
    }

    public Rep rep(String userId) {
        return reps().stream().filter(r -> r.userId().equals(userId)).findFirst()
                .orElseThrow(() -> new NotFoundException("rep", userId));
    }

    /** Whether leadflow has this rep (a member of sales, with a row in the rotation). */
    public boolean knows(String userId) {
        return userId != null && jdbc.sql("select count(*) from rep_rotation where rep_id = :rep").param("rep", userId)
                .query(Long.class).single() > 0;
    }

    /** What is wrong with these settings (nothing written): {@link #update} refuses them. */
    public List<FieldProblem> settingsProblems(Integer capacity, Boolean active) {
        List<FieldProblem> problems = new ArrayList<>();
        if (capacity == null && active == null) {
            problems.add(new FieldProblem("capacity", "give capacity or active (or both)"));
        }
        if (capacity != null && (capacity < 1 || capacity > MAX_CAPACITY)) {
            problems.add(new FieldProblem("capacity", "must be a whole number from 1 to " + MAX_CAPACITY + ", was " + capacity));
        }
        return problems;
    }

    /** Sets the capacity and/or active flag (null: unchanged); at least one must be given. */
    public Rep update(String userId, Integer capacity, Boolean active, String by) {
        refuse("The rep's settings are invalid", settingsProblems(capacity, active));
        transactions.executeWithoutResult(tx -> {
            lock(userId);
            jdbc.sql("""
                    update rep_rotation set capacity = coalesce(:capacity, capacity), active = coalesce(:active, active),
                           updated_at = :now, updated_by = :by
                    where rep_id = :rep
                    """)
                    .param("capacity", capacity).param("active", active).param("now", clock.nowUtc()).param("by", by)
                    .param("rep", userId).update();
        });
        return rep(userId);
    }

    /** Records a period out of office; it must end in the future (it may have begun already). */
    public Absence addAbsence(String userId, OffsetDateTime from, OffsetDateTime to, String reason, String by) {
        OffsetDateTime now = clock.nowUtc();
        refuse("The absence is invalid", absenceProblems(from, to, reason));
        return insertAbsence(userId, from, to, reason.strip(), by, now);
    }

    /** What is wrong with this absence (nothing written): {@link #addAbsence} refuses it. */
    public List<FieldProblem> absenceProblems(OffsetDateTime from, OffsetDateTime to, String reason) {
        OffsetDateTime now = clock.nowUtc();
        List<FieldProblem> problems = new ArrayList<>();
        if (from == null) {
            problems.add(new FieldProblem("from", "is required (an instant with offset, e.g. 2026-12-01T09:00:00+01:00)"));
        } else if (from.isAfter(now.plusYears(MAX_YEARS_AHEAD))) {
            problems.add(new FieldProblem("from", "must be at most " + MAX_YEARS_AHEAD + " years ahead"));
        }
        if (to == null) {
            problems.add(new FieldProblem("to", "is required (an instant with offset, e.g. 2026-12-05T17:00:00+01:00)"));
        } else if (from != null && !to.isAfter(from)) {
            problems.add(new FieldProblem("to", "must be after from"));
        } else if (from != null && to.isAfter(from.plusDays(MAX_ABSENCE_DAYS))) {
            problems.add(new FieldProblem("to", "must be at most " + MAX_ABSENCE_DAYS
                    + " days after from: deactivate a rep who is away for longer (active false)"));
        } else if (!to.isAfter(now)) {
            problems.add(new FieldProblem("to", "must be in the future: an absence that is over changes nothing"));
        }
        String text = reason == null ? "" : reason.strip();
        if (text.isEmpty()) {
            problems.add(new FieldProblem("reason", "is required (e.g. vacation, sick leave, trade fair)"));
        } else if (text.length() > MAX_REASON) {
            problems.add(new FieldProblem("reason", "must be at most " + MAX_REASON + " characters"));
        } else if (!text.matches(TextRules.NO_CONTROL_CHARACTERS)) {
            problems.add(new FieldProblem("reason", TextRules.NO_CONTROL_CHARACTERS_MESSAGE));
        }
        return problems;
    }

    private Absence insertAbsence(String userId, OffsetDateTime from, OffsetDateTime to, String text, String by, OffsetDateTime now) {
        String id = UUID.randomUUID().toString();
        transactions.executeWithoutResult(tx -> {
            lock(userId);
            jdbc.sql("""
                    insert into rep_absence (id, rep_id, starts_at, ends_at, reason, created_at, created_by)
                    values (:id, :rep, :from, :to, :reason, :now, :by)
                    """)
                    .param("id", id).param("rep", userId).param("from", utc(from)).param("to", utc(to))
                    .param("reason", text).param("now", now).param("by", by).update();
        });
        return new Absence(id, utc(from), utc(to), text, by, null);
    }

    /** Removes an absence (entered by mistake, or the rep is back early). */
    public void removeAbsence(String userId, String absenceId) {
        transactions.executeWithoutResult(tx -> {
            // no lock on the rep's row: a re-routing in progress holds the absence's row and then the
            // reps' rows; the removal waits for it instead of deadlocking with it
            if (!knows(userId)) {
                throw new NotFoundException("rep", userId);
            }
            int removed = jdbc.sql("delete from rep_absence where id = :id and rep_id = :rep")
                    .param("id", absenceId).param("rep", userId).update();
            if (removed == 0) {
                throw new NotFoundException("absence of rep '" + userId + "'", absenceId);
            }
        });
    }

    /**
     * Why the rep takes no leads at this instant: deactivated, or out of office (until when); empty
     * when they do, or when they are no rep of the rotation (a user the managers may still choose).
     */
    public Optional<String> unavailableAt(String userId, OffsetDateTime at) {
        Optional<Boolean> active = jdbc.sql("select active from rep_rotation where rep_id = :rep").param("rep", userId)
                .query(Boolean.class).optional();
        if (active.isPresent() && !active.get()) {
            return Optional.of("is deactivated");
        }
        return jdbc.sql("select max(ends_at) from rep_absence where rep_id = :rep and starts_at <= :at and ends_at > :at")
                .param("rep", userId).param("at", at)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class)).optional()
                .filter(java.util.Objects::nonNull)
                .map(until -> "is out of office until " + SlaProperties.SHOWN.format(until.atZoneSameInstant(zone)));
    }

    /** Whether the rep takes leads at this instant: active and not absent (unknown reps: no). */
    public boolean availableAt(String userId, OffsetDateTime at) {
        Optional<Boolean> active = jdbc.sql("select active from rep_rotation where rep_id = :rep").param("rep", userId)
                .query(Boolean.class).optional();
        return active.orElse(false) && jdbc.sql("""
                select count(*) from rep_absence where rep_id = :rep and starts_at <= :at and ends_at > :at
                """).param("rep", userId).param("at", at).query(Long.class).single() == 0;
    }

    /** Locks the rep's rotation row (assignments wait for the change); unknown rep: 404. */
    private void lock(String userId) {
        Set<String> found = Set.copyOf(jdbc.sql("select rep_id from rep_rotation where rep_id = :rep for update")
                .param("rep", userId).query(String.class).list());
        if (found.isEmpty()) {
            throw new NotFoundException("rep", userId);
        }
    }

    private static void refuse(String title, List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidFieldsException(title, problems.stream().map(p -> p.field() + ": " + p.reason())
                    .collect(Collectors.joining("; ")), problems);
        }
    }

    private static OffsetDateTime utc(OffsetDateTime time) {
        return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC);
    }
}
