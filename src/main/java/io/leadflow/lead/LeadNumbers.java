package io.leadflow.lead;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * The readable lead number, e.g. {@code L-2026-000123}: the year the lead was captured (UTC) and a
 * number from the database sequence {@code lead_number_seq}, at least six digits. People say it on
 * the phone and see it in Tasklist, Cockpit (it is the business key of the lead's process instances),
 * notifications and the API; systems keep using the lead id. Numbers are unique, not gap-free (a
 * capture that rolls back has drawn its number), and they run on across years.
 */
public final class LeadNumbers {

    /** The format, for validation messages and the API documentation. */
    public static final String REGEX = "^L-\\d{4}-\\d{6,12}$";
    public static final String EXAMPLE = "L-2026-000123";

    private static final Pattern FORMAT = Pattern.compile(REGEX);

    private LeadNumbers() {
    }

    /** The number of a lead captured at {@code capturedAt} that drew {@code sequence}. */
    public static String format(OffsetDateTime capturedAt, long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("A lead number's sequence cannot be negative: " + sequence);
        }
        // by hand, not String.format: a formatter parses its pattern on every call, 1.3 % of an import's CPU
        StringBuilder number = new StringBuilder(16).append("L-");
        zeroPadded(number, capturedAt.withOffsetSameInstant(ZoneOffset.UTC).getYear(), 4);
        return zeroPadded(number.append('-'), sequence, 6).toString();
    }

    private static StringBuilder zeroPadded(StringBuilder to, long value, int digits) {
        String text = Long.toString(value);
        for (int i = text.length(); i < digits; i++) {
            to.append('0');
        }
        return to.append(text);
    }

    public static boolean isLeadNumber(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }

    /**
     * The business keys under which the lead's process instances may run: its number, and its id
     * for instances started before lead numbers existed (until the start-up backfill gives them the
     * number; their history keeps the id).
     */
    public static String[] businessKeys(String leadId, String number) {
        return number == null ? new String[] {leadId} : new String[] {number, leadId};
    }

    /** The business keys of every process instance that holds something of the lead: its processes', and its entries' ({@link #entryKey}). */
    public static String[] historyKeys(String leadId, String number) {
        return number == null ? new String[] {leadId} : new String[] {number, entryKey(number), leadId};
    }

    /**
     * The business key of an entry of a known lead (its email typed into Tasklist's start form again):
     * the lead's number with "/entry", so the lead's erasure finds the entry's history (which holds the
     * form's contact data), but the entry is none of the lead's processes: the app's steps, which hold
     * a lead against its process's business key, do not work on the lead from it.
     */
    public static String entryKey(String number) {
        return number + "/entry";
    }

    /**
     * Gives the execution's process instance the lead's number as business key and variable
     * {@code leadNumber}, unless it has them already (an instance started before lead numbers
     * carries the lead id as business key and gets the number the next time it passes here).
     */
    public static void adopt(DelegateExecution execution, String number) {
        if (!number.equals(execution.getVariable(LeadVariables.LEAD_NUMBER))) {
            execution.setVariable(LeadVariables.LEAD_NUMBER, number);
        }
        if (!number.equals(execution.getProcessBusinessKey())) {
            execution.setProcessBusinessKey(number);
        }
    }
}
