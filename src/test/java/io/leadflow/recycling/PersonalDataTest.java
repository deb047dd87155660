package io.leadflow.recycling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the erasure looks for in free text: a contact's address, names, full name and phone. */
class PersonalDataTest {

    @Test
    void aContactWithShortNames_isFoundByTheFullName_inATaskNameOrANote() {
        PersonalData li = PersonalData.of("li.na@sino.example", "Li", "Na", null);

        assertThat(li.occursIn("Accept lead: Li Na, Sino Tools Ltd")).isTrue();
        assertThat(li.occursIn("called LI NA twice")).as("ignoring case").isTrue();
        assertThat(li.occursIn("mail to Li.Na@Sino.example")).isTrue();
        assertThat(li.occursIn("Accept lead: Lina Nakamura, Other Co")).as("two letters alone are looked for nowhere").isFalse();
    }

    @Test
    void longerNames_areFoundAlone_andThePhoneToo() {
        PersonalData ada = PersonalData.of("Ada@Analytical.example", "Ada", "Lovelace", "+49 30 1234567");

        assertThat(ada.occursIn("asked for Ada")).isTrue();
        assertThat(ada.occursIn("Mrs Lovelace called")).isTrue();
        assertThat(ada.occursIn("call back on +49 30 1234567")).isTrue();
        assertThat(ada.occursIn("nothing about the contact")).isFalse();
        assertThat(ada.email()).isEqualTo("ada@analytical.example");
    }
}
