package io.leadflow.lead;

import java.util.Locale;

/** Email normalization: the key a lead is deduplicated by. */
public final class EmailAddresses {

    private EmailAddresses() {
    }

    public static String normalize(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
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
