package io.leadflow.qualification;

import java.util.Arrays;

/** The SiriusDecisions reject taxonomy. */
public enum RejectReason {
    /** wrongly routed: another rep takes it */
    PROCEDURAL("procedural", "Procedural (wrongly routed)"),
    /** data incomplete: marketing fixes it, then back to acceptance */
    CLERICAL("clerical", "Clerical (data incomplete)"),
    /** below the agreed definition: back to nurture, feedback recorded */
    DEFINITIONAL("definitional", "Definitional (below the agreed definition)");

    private final String value;
    private final String label;

    RejectReason(String value, String label) {
        this.value = value;
        this.label = label;
    }

    /** How people read it: "Clerical (data incomplete)". */
    public String label() {
        return label;
    }

    public String value() {
        return value;
    }

    public static RejectReason of(String value) {
        return Arrays.stream(values()).filter(r -> r.value.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "Reject reason must be procedural, clerical or definitional, was '" + value + "'"));
    }
}
