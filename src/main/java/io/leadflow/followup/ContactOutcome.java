package io.leadflow.followup;

import java.util.Set;

/** What an attempt to reach the lead came to. */
public final class ContactOutcome {

    public static final String CONNECTED = "connected";
    public static final String NO_ANSWER = "noAnswer";
    public static final String VOICEMAIL = "voicemail";
    public static final String WRONG_NUMBER = "wrongNumber";
    public static final String DO_NOT_CONTACT = "doNotContact";

    public static final Set<String> ALL = Set.of(CONNECTED, NO_ANSWER, VOICEMAIL, WRONG_NUMBER, DO_NOT_CONTACT);
    public static final Set<String> CHANNELS = Set.of("phone", "email", "linkedin", "other");

    private ContactOutcome() {
    }
}
