package io.leadflow.lead;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Email addresses as leadflow takes, stores and compares them: one rule for every way in (the JSON
 * API, the web forms, CSV imports, events and requests by email, Fix lead data).
 */
public final class EmailAddresses {

    /**
     * What an address may be: something, {@code @}, a domain with a dot; no white space of any kind
     * (a no-break space too), no control, format (zero-width space, byte-order mark, bidirectional
     * controls), private-use or unpaired-surrogate characters: each of these made an address that looks
     * like a suppressed or known one a new lead.
     */
    public static final String PATTERN = "^[^@\\s\\p{Z}\\p{C}]+@[^@\\s\\p{Z}\\p{C}]+\\.[^@\\s\\p{Z}\\p{C}]+$";
    public static final String PATTERN_MESSAGE = "must be a valid email address";
    /** White space, separators and format characters at either end: what copying from a web page or a spreadsheet adds. */
    private static final Pattern EDGES = Pattern.compile("^[\\s\\p{Z}\\p{Cf}]+|[\\s\\p{Z}\\p{Cf}]+$");

    private EmailAddresses() {
    }

    /**
     * The address as it is stored: in Unicode's compatibility form NFKC (a full-width "Ｅ" is "E", a
     * decomposed "ë" the composed one), without the invisible characters copying adds at its ends.
     */
    public static String clean(String email) {
        return email == null ? null : EDGES.matcher(Normalizer.normalize(email, Normalizer.Form.NFKC)).replaceAll("");
    }

    /** The key a lead is deduplicated and an address suppressed by: the clean address in lower case. */
    public static String normalize(String email) {
        return email == null ? null : clean(email).toLowerCase(Locale.ROOT);
    }

    public static String domainOf(String email) {
        String normalized = normalize(email);
        if (normalized == null) {
            return null;
        }
        int at = normalized.lastIndexOf('@');
        return at < 0 ? null : normalized.substring(at + 1);
    }
}
