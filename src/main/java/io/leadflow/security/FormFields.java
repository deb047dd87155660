package io.leadflow.security;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The variables a Camunda Form submits: the {@code key} of every component that is not disabled
 * (disabled fields only show data and are not submitted), nested components included. A dotted
 * key ({@code address.city}) submits its first segment.
 */
public final class FormFields {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FormFields() {
    }

    public static Set<String> submittedBy(InputStream form) throws IOException {
        return submittedBy(JSON.readTree(form));
    }

    public static Set<String> submittedBy(JsonNode form) {
        Set<String> keys = new TreeSet<>();
        collect(form, keys);
        return keys;
    }

    private static void collect(JsonNode node, Set<String> keys) {
        for (JsonNode component : node.path("components")) {
            String key = component.path("key").asText("");
            if (!key.isBlank() && !component.path("disabled").asBoolean(false)) {
                keys.add(key.split("\\.", 2)[0]);
            }
            collect(component, keys);
        }
    }
}
