package io.leadflow.recycling;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.leadflow.lead.EmailAddresses;
import io.leadflow.lead.Lead;

/**
 * The texts that identify one lead (email, names, phone), read before the erasure so free text
 * elsewhere can be checked for them. Texts shorter than {@value #MIN_LENGTH} characters are not
 * looked for (they would match almost anything).
 */
record PersonalData(List<String> texts) {

    static final int MIN_LENGTH = 3;

    static PersonalData of(Lead lead) {
        return lead.erasedAt() != null ? new PersonalData(List.of())
                : of(lead.email(), lead.firstName(), lead.lastName(), lead.phone());
    }

    /**
     * The texts of a contact: the email (as stored and normalized), each name, the full name (which
     * task names and notes use: it finds "Li Na", whose names alone are too short to look for) and
     * the phone.
     */
    static PersonalData of(String email, String firstName, String lastName, String phone) {
        List<String> texts = new ArrayList<>();
        add(texts, email);
        add(texts, email == null ? null : EmailAddresses.normalize(email));
        add(texts, firstName);
        add(texts, lastName);
        if (firstName != null && lastName != null) {
            add(texts, firstName.trim() + " " + lastName.trim());
        }
        add(texts, phone);
        return new PersonalData(List.copyOf(texts));
    }

    private static void add(List<String> texts, String text) {
        if (text != null && text.trim().length() >= MIN_LENGTH) {
            texts.add(text.trim().toLowerCase(Locale.ROOT));
        }
    }

    /** Whether the text contains any of the lead's identifying texts, ignoring case. */
    boolean occursIn(String text) {
        if (text == null) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return texts.stream().anyMatch(lower::contains);
    }

    /** The email as it was stored (the first text), or null for a lead erased before. */
    String email() {
        return texts.isEmpty() ? null : texts.get(0);
    }
}
