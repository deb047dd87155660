package io.leadflow.assignment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.HashSet;
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
 * Capacity-weighted fair rotation: among the territory's reps who are available (active, not
 * absent at the engine's time, not listed as unavailable), not excluded and below the open-lead
 * limit, leads are shared in proportion to each rep's capacity (a weight: capacities 10/20/30 get
 * 1/6, 2/6 and 3/6 of the leads).
 * <p>
 * Each rep has a pass (virtual time); a lead goes to the candidate whose pass plus 1/capacity is
 * lowest (ties: the one whose turn was longest ago, then the territory's order), whose pass then
 * advances by 1/capacity. A rep who cannot take leads (deactivated, absent, at the open-lead limit)
 * is kept in step: their pass moves up to the chosen rep's, so a rep coming back shares from then
 * on instead of catching up with every lead they missed.
 * <p>
 * The database decides races: choosing and advancing the rotation happens with the territory's
 * rotation rows locked ({@code select ... for update}) in the caller's transaction, so concurrent
 * assignments, on any node, queue there and each sees the one before. Absences and capacities are
 * changed under the same row lock ({@link RepAvailability}). A turn number and the pass, not the
 * clock, order the rotation, so clocks that differ between nodes do not matter.
 */
@Component
public class RepRotation {

    /** The stages in which a lead is held by its sales rep: waiting for acceptance (still MQL), accepted and in follow-up, qualified. */
    static final List<String> OPEN_STAGES = List.of(LeadStage.MQL.name(), LeadStage.SAL.name(), LeadStage.SQL.name());

    /** Decimal places of a pass: far finer than 1/capacity for any allowed capacity. */
    static final int PASS_SCALE = 12;

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

    /** A new rep starts level with the active reps (pass at their lowest), not behind them with every lead ever assigned to catch up. */
    private void seed(String rep) {
        try {
            jdbc.sql("""
                    insert into rep_rotation (rep_id, assigned_count, last_turn, pass)
                    select :rep, 0, 0, (select coalesce(min(pass), 0) from rep_rotation where active = true) from (values (1)) as one(x)
                    where not exists (select 1 from rep_rotation where rep_id = :rep)
                    """)
                    .param("rep", rep).update();
        } catch (DuplicateKeyException seededByAnotherNode) {
            // the row is there: that is all we wanted
        }
    }

    /** A rep's rotation row: the capacity (weight), whether active, the pass and the last turn. */
    record Turn(String rep, int capacity, boolean active, BigDecimal pass, long lastTurn) {

        BigDecimal stride() {
            return BigDecimal.ONE.divide(BigDecimal.valueOf(capacity), PASS_SCALE, RoundingMode.HALF_EVEN);
        }

        BigDecimal finish() {
            return pass.add(stride());
        }
    }

    /**
     * Chooses the next rep of the territory and records the assignment, in the caller's
     * transaction. Empty when no rep is left: all deactivated, absent, unavailable, excluded or at
     * the open-lead limit.
     */
    public Optional<String> assignNext(String territory, Set<String> excluded, OffsetDateTime now) {
        List<String> reps = properties.repsOf(territory).stream().distinct().toList();
        if (reps.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Turn> turns = lockTurns(reps);
        if (turns.size() < reps.size()) {
            // only if rows were deleted while running: start-up seeds every configured rep
            reps.stream().filter(rep -> !turns.containsKey(rep)).forEach(this::seed);
            turns.putAll(lockTurns(reps));
        }
        Set<String> absent = absentAt(reps, now);
        Map<String, Long> open = openLeads(reps);
        Set<String> cannotTakeLeads = new HashSet<>();
        for (String rep : reps) {
            if (properties.unavailable().contains(rep) || !turns.get(rep).active() || absent.contains(rep)
                    || open.getOrDefault(rep, 0L) >= properties.capacity()) {
                cannotTakeLeads.add(rep);
            }
        }
        Optional<Turn> next = reps.stream()
                .filter(rep -> !cannotTakeLeads.contains(rep) && !excluded.contains(rep))
                .map(turns::get)
                .min(Comparator.comparing(Turn::finish).thenComparing(Turn::lastTurn).thenComparing(t -> reps.indexOf(t.rep())));
        if (next.isEmpty()) {
            return Optional.empty();
        }
        Turn chosen = next.get();
        jdbc.sql("""
                update rep_rotation set last_turn = (select coalesce(max(last_turn), 0) + 1 from rep_rotation),
                       last_assigned_at = :now, assigned_count = assigned_count + 1, pass = :pass
                where rep_id = :rep
                """)
                .param("now", now).param("pass", chosen.finish()).param("rep", chosen.rep()).update();
        for (String rep : cannotTakeLeads) {
            if (turns.get(rep).pass().compareTo(chosen.pass()) < 0) {
                jdbc.sql("update rep_rotation set pass = :pass where rep_id = :rep")
                        .param("pass", chosen.pass()).param("rep", rep).update();
            }
        }
        return Optional.of(chosen.rep());
    }

    /** The reps' rotation rows, locked until the caller's transaction ends (always in the same order, so no deadlock). */
    private Map<String, Turn> lockTurns(List<String> reps) {
        return jdbc.sql("select rep_id, capacity, active, pass, last_turn from rep_rotation where rep_id in (:reps) order by rep_id for update")
                .param("reps", reps)
                .query((rs, n) -> new Turn(rs.getString(1), rs.getInt(2), rs.getBoolean(3), rs.getBigDecimal(4), rs.getLong(5)))
                .list().stream()
                .collect(Collectors.toMap(Turn::rep, t -> t, (a, b) -> a, java.util.HashMap::new));
    }

    /** Which of the reps are out of office at this instant. */
    Set<String> absentAt(List<String> reps, OffsetDateTime now) {
        return Set.copyOf(jdbc.sql("select distinct rep_id from rep_absence where rep_id in (:reps) and starts_at <= :now and ends_at > :now")
                .param("reps", reps).param("now", now)
                .query(String.class).list());
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
