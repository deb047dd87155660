package io.leadflow.assignment;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who works which territory (the territory comes from the {@code leadRouting} table), how many
 * open leads a rep may hold, and who is away.
 */
@ConfigurationProperties("leadflow.assignment")
public record AssignmentProperties(
        @DefaultValue Map<String, List<String>> territories,
        @DefaultValue("25") int capacity,
        @DefaultValue List<String> unavailable) {

    public AssignmentProperties {
        if (capacity < 1) {
            throw new IllegalArgumentException("leadflow.assignment.capacity must be at least 1 (the open leads a rep may hold), was " + capacity);
        }
    }

    public List<String> repsOf(String territory) {
        return territories.getOrDefault(territory, List.of());
    }
}
