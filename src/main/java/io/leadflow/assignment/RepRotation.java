package io.leadflow.assignment;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Fair rotation: among the territory's reps who are available, not excluded and below capacity,
 * the one who got a lead longest ago (or never) gets the next one.
 */
@Component
public class RepRotation {

    private final JdbcClient jdbc;
    private final AssignmentProperties properties;

    public RepRotation(JdbcClient jdbc, AssignmentProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    public Optional<String> next(String territory, Set<String> excluded, ToLongFunction<String> openLeads) {
        List<String> reps = properties.repsOf(territory).stream()
                .filter(rep -> !properties.unavailable().contains(rep))
                .filter(rep -> !excluded.contains(rep))
                .filter(rep -> openLeads.applyAsLong(rep) < properties.capacity())
                .toList();
        if (reps.isEmpty()) {
            return Optional.empty();
        }
        Map<String, OffsetDateTime> lastAssigned = jdbc.sql("select rep_id, last_assigned_at from rep_rotation")
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getObject(2, OffsetDateTime.class)))
                .list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return reps.stream()
                .min(Comparator.comparing((String rep) -> lastAssigned.getOrDefault(rep, OffsetDateTime.MIN))
                        .thenComparing(reps::indexOf));
    }

    public void recordAssignment(String rep, OffsetDateTime now) {
        int updated = jdbc.sql("update rep_rotation set last_assigned_at = :now, assigned_count = assigned_count + 1 where rep_id = :rep")
                .param("now", now).param("rep", rep).update();
        if (updated == 0) {
            jdbc.sql("insert into rep_rotation (rep_id, last_assigned_at, assigned_count) values (:rep, :now, 1)")
                    .param("rep", rep).param("now", now).update();
        }
    }
}
