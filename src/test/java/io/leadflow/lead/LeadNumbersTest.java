package io.leadflow.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

class LeadNumbersTest {

    @Test
    void number_isTheYearOfCaptureInUtc_andTheSequenceInAtLeastSixDigits() {
        assertThat(LeadNumbers.format(OffsetDateTime.parse("2026-11-23T09:00:00+01:00"), 123)).isEqualTo("L-2026-000123");
        assertThat(LeadNumbers.format(OffsetDateTime.parse("2027-01-01T00:30:00+01:00"), 124))
                .as("New Year's night in Berlin is still 2026 in UTC").isEqualTo("L-2026-000124");
        assertThat(LeadNumbers.format(OffsetDateTime.parse("2027-03-01T10:00:00Z"), 1_234_567)).isEqualTo("L-2027-1234567");
        assertThat(LeadNumbers.format(OffsetDateTime.parse("2027-03-01T10:00:00Z"), 0)).isEqualTo("L-2027-000000");
        assertThat(LeadNumbers.format(OffsetDateTime.parse("2027-03-01T10:00:00Z"), 999_999)).isEqualTo("L-2027-999999");
        assertThat(LeadNumbers.format(OffsetDateTime.parse("0999-03-01T10:00:00Z"), 7)).as("four digits of year")
                .isEqualTo("L-0999-000007");
        assertThatThrownBy(() -> LeadNumbers.format(OffsetDateTime.parse("2027-03-01T10:00:00Z"), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyWellFormedNumbers_areLeadNumbers() {
        assertThat(LeadNumbers.isLeadNumber("L-2026-000123")).isTrue();
        assertThat(LeadNumbers.isLeadNumber("L-2027-1234567")).isTrue();
        assertThat(LeadNumbers.isLeadNumber("L-26-000123")).isFalse();
        assertThat(LeadNumbers.isLeadNumber("L-2026-123")).isFalse();
        assertThat(LeadNumbers.isLeadNumber("l-2026-000123")).isFalse();
        assertThat(LeadNumbers.isLeadNumber("0b6c1d9e-2f7a-4c1e-9a55-1f2e3d4c5b6a")).as("a lead id").isFalse();
        assertThat(LeadNumbers.isLeadNumber(null)).isFalse();
    }

    @Test
    void aLeadsInstancesAreFoundByItsNumber_andByItsIdForInstancesOlderThanNumbers() {
        assertThat(LeadNumbers.businessKeys("lead-id", "L-2026-000001")).containsExactly("L-2026-000001", "lead-id");
        assertThat(LeadNumbers.businessKeys("lead-id", null)).containsExactly("lead-id");
    }
}
