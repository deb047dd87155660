package io.leadflow.web;

/**
 * The rule every stored free text of the API and the forms follows: no NUL or other control
 * characters (PostgreSQL refuses a NUL in text, which would answer 500 instead of naming the field;
 * a line break in a name breaks the CSV exports and the task names). One rule for the capture
 * fields, engagement details and the fields Fix lead data changes.
 */
public final class TextRules {

    /**
     * C0 and C1 controls (Unicode's Cc; Java's {@code \\p{Cntrl}} is ASCII's only), the line and
     * paragraph separators, and the bidirectional controls, with which a name shows other text than
     * it holds ({@code Ada \u202Efdp.exe} reads "Ada exe.pdf" in a mail), and unpaired surrogates (half a
     * character: PostgreSQL stored it as "?", H2 as it came, so the same name differed by database).
     */
    public static final String CONTROL_CHARACTER = "[\\p{Cc}\\p{Cs}\\u2028\\u2029\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]";
    public static final String NO_CONTROL_CHARACTERS = "^(?:(?!" + CONTROL_CHARACTER + ").)*$";
    public static final String NO_CONTROL_CHARACTERS_MESSAGE = "must not contain control characters";

    private TextRules() {
    }

    /**
     * The first {@code max} characters of a text, one fewer where the cut would split a character
     * outside the BMP (an emoji is two Java chars): half of one is shown as "?" or a replacement sign,
     * and PostgreSQL stored it as "?".
     */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max > 0 && Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }
}
