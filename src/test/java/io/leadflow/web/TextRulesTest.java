package io.leadflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.leadflow.lead.TaskInput;

/**
 * A text cut to a length never keeps half of a character outside the BMP: a 4,000-character contact
 * note of emoji showed "…\ud83d…" in the next form's attempt history, and PostgreSQL stored the half as "?".
 */
class TextRulesTest {

    static final String ROCKET = "\uD83D\uDE80"; // one character, two Java chars

    @Test
    void aCutThatWouldSplitAnEmoji_keepsItWholeOrLeavesItOut() {
        String text = "ab" + ROCKET + "cd";

        assertThat(TextRules.cut(text, 3)).isEqualTo("ab");
        assertThat(TextRules.cut(text, 4)).isEqualTo("ab" + ROCKET);
        assertThat(TextRules.cut(text, 2)).isEqualTo("ab");
        assertThat(TextRules.cut(text, 10)).isSameAs(text);
        assertThat(TextRules.cut(null, 3)).isNull();
    }

    @Test
    void anAbbreviatedNoteOrTaskName_endsWithWholeCharacters() {
        String note = ROCKET.repeat(2_000); // 4,000 chars

        String shown = TaskInput.abbreviate(note, 300);

        assertThat(shown).endsWith(ROCKET + "…").hasSizeLessThanOrEqualTo(300);
        assertThat(shown.codePoints().filter(c -> Character.isSurrogate((char) c) && c <= 0xFFFF)).as("no lone half").isEmpty();
    }
}
