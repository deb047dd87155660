package io.leadflow.qualification;

import java.util.Arrays;

/** The SiriusDecisions reject taxonomy. */
public enum RejectReason {
    /** wrongly routed: another rep takes it */
    PROCEDURAL("procedural"),
    /** data incomplete: marketing fixes it, then back to acceptance */
    CLERICAL("clerical"),
    /** below the agreed definition: back to nurture, feedback recorded */
    DEFINITIONAL("definitional");

    private final String value;

    RejectReason(String value) {
        this.value = value;
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
