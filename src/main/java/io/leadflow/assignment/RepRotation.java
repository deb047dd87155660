package io.leadflow.assignment;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.annotation.PostConstruct;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.leadflow.lead.LeadStage;

/**
 * Fair rotation: among the territory's reps who are available, not excluded and below capacity,
 * the one whose turn was longest ago (or who never had one) gets the next lead.
 * <p>
 * The database decides races: choosing and advancing the rotation happens with the candidates'
 * rotation rows locked ({@code select ... for update}) in the caller's transaction, so concurrent
 * assignments, on any node, queue there and each sees the one before. A turn number, not the
 * clock, orders the rotation, so clocks that differ between nodes do not matter.
 */
@Component
public class RepRotation {

    /** The stages in which a lead is held by its sales rep: waiting for acceptance (still MQL), accepted and in follow-up, qualified. */
    static final List<String> OPEN_STAGES = List.of(LeadStage.MQL.name(), LeadStage.SAL.name(), LeadStage.SQL.name());

    private final JdbcClient jdbc;
    private final AssignmentProperties properties;

    public RepRotation(JdbcClient jdbc, AssignmentProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** Gives every configured rep a rotation row, so assignments only ever lock and update rows. */
    @PostConstruct
    public void seed() {
        Set<String> reps = new LinkedHashSet<>();
        properties.territories().values().forEach(reps::addAll);
        reps.forEach(this::seed);
    }

    private void seed(String rep) {
        try {
            jdbc.sql("""
                    insert into rep_rotation (rep_id, assigned_count, last_turn)
                    select :rep, 0, 0 from (values (1)) as one(x)
                    where not exists (select 1 from rep_rotation where rep_id = :rep)
                    """)
                    .param("rep", rep).update();
        } catch (DuplicateKeyException seededByAnotherNode) {
            // the row is there: that is all we wanted
        }
    }

    /**
     * Chooses the next rep of the territory and records the assignment, in the caller's
     * transaction. Empty when no rep is left: all unavailable, excluded or at capacity.
     */
    public Optional<String> assignNext(String territory, Set<String> excluded, OffsetDateTime now) {
        List<String> candidates = properties.repsOf(territory).stream()
                .filter(rep -> !properties.unavailable().contains(rep))
                .filter(rep -> !excluded.contains(rep))
                .distinct()
                .toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Long> turns = lockTurns(candidates);
        if (turns.size() < candidates.size()) {
            // only if rows were deleted while running: start-up seeds every configured rep
            candidates.stream().filter(rep -> !turns.containsKey(rep)).forEach(this::seed);
            turns.putAll(lockTurns(candidates));
        }
        Map<String, Long> open = openLeads(candidates);
        Optional<String> next = candidates.stream()
                .filter(rep -> open.getOrDefault(rep, 0L) < properties.capacity())
                .min(Comparator.comparing((String rep) -> turns.getOrDefault(rep, 0L)).thenComparing(candidates::indexOf));
        next.ifPresent(rep -> jdbc.sql("""
                update rep_rotation set last_turn = (select coalesce(max(last_turn), 0) + 1 from rep_rotation),
                       last_assigned_at = :now, assigned_count = assigned_count + 1
                where rep_id = :rep
                """)
                .param("now", now).param("rep", rep).update());
        return next;
    }

    /** The candidates' last turns, their rows locked until the caller's transaction ends (always in the same order, so no deadlock). */
    private Map<String, Long> lockTurns(List<String> reps) {
        return jdbc.sql("select rep_id, last_turn from rep_rotation where rep_id in (:reps) order by rep_id for update")
                .param("reps", reps)
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, HashMap::new));
    }

    /** How many leads each rep holds: assigned to them and not yet closed, nurtured or recycled, including leads between contact attempts. */
    private Map<String, Long> openLeads(List<String> reps) {
        return jdbc.sql("select sales_rep, count(*) from lead where sales_rep in (:reps) and stage in (:stages) group by sales_rep")
                .param("reps", reps)
                .param("stages", OPEN_STAGES)
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
