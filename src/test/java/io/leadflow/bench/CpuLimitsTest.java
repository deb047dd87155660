package io.leadflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The wave benchmark's {@code -Dleadflow.bench.cpu-limits}: what it accepts and how it refuses the rest. */
class CpuLimitsTest {

    @Test
    void readsTheCpusOfANodeAndOfPostgresInEitherOrder() {
        assertThat(CpuLimits.Limits.parse("node=0.4,postgres=1.0", 2)).isEqualTo(new CpuLimits.Limits(0.4, 1.0));
        assertThat(CpuLimits.Limits.parse(" postgres = 0.35 , node = 2 ", 2)).isEqualTo(new CpuLimits.Limits(2.0, 0.35));
    }

    @Test
    void refusesAMissingOrUnknownPartNamingWhatItExpects() {
        assertThatThrownBy(() -> CpuLimits.Limits.parse("node=0.4", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected node=<cpus>,postgres=<cpus>");
        assertThatThrownBy(() -> CpuLimits.Limits.parse("node=0.4,db=1", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected node=<cpus>,postgres=<cpus>");
        assertThatThrownBy(() -> CpuLimits.Limits.parse("node=0.4,node=1", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected node=<cpus>,postgres=<cpus>");
    }

    @Test
    void refusesCpusThatAreNotANumberOrNotOnTheMachine() {
        assertThatThrownBy(() -> CpuLimits.Limits.parse("node=half,postgres=1", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node is not a number: 'half'");
        assertThatThrownBy(() -> CpuLimits.Limits.parse("node=0,postgres=1", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node must be above 0 and at most 2 CPUs, was 0");
        assertThatThrownBy(() -> CpuLimits.Limits.parse("node=0.5,postgres=3", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postgres must be above 0 and at most 2 CPUs, was 3");
        assertThatThrownBy(() -> CpuLimits.Limits.parse("node=NaN,postgres=1", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node must be above 0");
    }
}
