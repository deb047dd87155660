package io.leadflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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

    /**
     * On a real control group (root and the cgroup v1 cpu controller, as on the machine the benchmarks
     * run on; skipped elsewhere): a node's process goes under its quota, comes back to the root group
     * when released, and a group a killed run left is emptied and removed. Harmless processes only:
     * {@code sleep}, no PostgreSQL process.
     */
    @Test
    void putsANodeUnderItsQuotaReleasesItAndRemovesWhatAKilledRunLeft() throws Exception {
        assumeTrue(controlGroupsWritable(), "no writable cgroup v1 cpu controller here");
        Process node = new ProcessBuilder("sleep", "120").start();
        Process leftBehind = new ProcessBuilder("sleep", "120").start();
        Path left = Path.of(CpuLimits.ROOT, "leadflow-bench-left-by-a-killed-run");
        Path group = Path.of(CpuLimits.ROOT, "leadflow-bench-test-node");
        try {
            Files.createDirectory(left);
            Files.writeString(left.resolve("cgroup.procs"), Long.toString(leftBehind.pid()));
            assertThat(cpuGroupOf(leftBehind.pid())).isEqualTo("/leadflow-bench-left-by-a-killed-run");

            CpuLimits limits = CpuLimits.apply(new CpuLimits.Limits(0.5, 2.0), Map.of("test-node", node.pid()), List.of());

            assertThat(left).doesNotExist();
            assertThat(cpuGroupOf(leftBehind.pid())).isEqualTo("/");
            assertThat(cpuGroupOf(node.pid())).isEqualTo("/leadflow-bench-test-node");
            assertThat(Files.readString(group.resolve("cpu.cfs_quota_us")).trim()).isEqualTo("50000");
            assertThat(Files.readString(Path.of(CpuLimits.ROOT, "leadflow-bench-postgres", "cpu.cfs_quota_us")).trim()).isEqualTo("200000");

            assertThat(limits.release()).startsWith("test-node 0.50 CPU, at its limit in 0 of ").contains("; postgres 2.00 CPU, at its limit in 0 of ");
            assertThat(cpuGroupOf(node.pid())).isEqualTo("/");
            assertThat(group).doesNotExist();
            assertThat(Path.of(CpuLimits.ROOT, "leadflow-bench-postgres")).doesNotExist();
            assertThat(limits.release()).as("a second release does nothing").isEmpty();
        } finally {
            node.destroyForcibly().waitFor();
            leftBehind.destroyForcibly().waitFor();
            for (Path dir : List.of(left, group, Path.of(CpuLimits.ROOT, "leadflow-bench-postgres"))) {
                Files.deleteIfExists(dir);
            }
        }
    }

    private static boolean controlGroupsWritable() {
        try {
            new CpuLimits.Limits(1, 1).requireControlGroups();
            return true;
        } catch (IllegalStateException notHere) {
            return false;
        }
    }

    /** The process's group in the cgroup v1 cpu hierarchy ({@code /proc/<pid>/cgroup}). */
    private static String cpuGroupOf(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
            String[] fields = line.split(":", 3);
            if (fields.length == 3 && List.of(fields[1].split(",")).contains("cpu")) {
                return fields[2];
            }
        }
        throw new AssertionError("process " + pid + " is in no cpu group");
    }
}
