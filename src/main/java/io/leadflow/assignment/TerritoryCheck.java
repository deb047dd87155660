package io.leadflow.assignment;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.camunda.bpm.engine.IdentityService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Says at start-up, as a WARN, what would otherwise show only as leads that nobody accepts: no
 * territory with reps (every approved lead goes to Assign lead by hand), or a territory naming reps
 * the user directory does not have (the rotation hands them Accept lead tasks nobody can see; the
 * demo reps sam and sara were named in every profile until production had no such users).
 */
@Component
public class TerritoryCheck {

    private static final Logger LOG = LoggerFactory.getLogger(TerritoryCheck.class);

    private final AssignmentProperties assignment;
    private final IdentityService identity;

    public TerritoryCheck(AssignmentProperties assignment, IdentityService identity) {
        this.assignment = assignment;
        this.identity = identity;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void warn() {
        problems().forEach(LOG::warn);
    }

    /** What is wrong with the territories, in words; empty when every territory names reps who exist. */
    List<String> problems() {
        if (assignment.territories().values().stream().allMatch(List::isEmpty)) {
            return List.of("No territory has reps (leadflow.assignment.territories): every approved lead goes to"
                    + " Assign lead by hand; name each territory's reps (user ids of the sales group)");
        }
        Map<String, TreeSet<String>> unknown = new TreeMap<>();
        assignment.territories().forEach((territory, reps) -> reps.stream()
                .filter(rep -> identity.createUserQuery().userId(rep).count() == 0)
                .forEach(rep -> unknown.computeIfAbsent(rep, r -> new TreeSet<>()).add(territory)));
        return unknown.entrySet().stream().map(rep -> "Rep '" + rep.getKey() + "' of territories " + rep.getValue()
                + " (leadflow.assignment.territories) is no user: the rotation would give them leads nobody can see;"
                + " create the user or take them out of the territories").toList();
    }
}
