package io.leadflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU limits for a benchmark's wave ({@code -Dleadflow.bench.cpu-limits=node=0.4,postgres=1.0}): each
 * node's JVM and the PostgreSQL server in a control group of its own, each with a CFS quota of that
 * many CPUs (Linux cgroup v1 {@code cpu} controller, as a container's CPU limit). On one machine this
 * models nodes and a database that each have cores of their own: a second node adds its quota, as a
 * second machine adds its cores, instead of sharing the same two cores with the first.
 *
 * <p>Needs the cgroup v1 {@code cpu} controller at {@value #ROOT} and the right to write there (root).
 * The groups are named {@code leadflow-bench-<name>}; {@link #release()} moves every process back to the
 * root group and removes them, and so does a shutdown hook when the benchmark is stopped during the
 * wave. Groups left by a run killed with {@code kill -9} are released by the next run.
 */
final class CpuLimits implements AutoCloseable {

    static final String ROOT = "/sys/fs/cgroup/cpu";
    static final String PROPERTY = "leadflow.bench.cpu-limits";
    private static final long PERIOD_MICROS = 100_000;
    private static final String PREFIX = "leadflow-bench-";

    /** CPUs for each node's JVM and for PostgreSQL. */
    record Limits(double node, double postgres) {

        /** The limits of {@code -Dleadflow.bench.cpu-limits}, or null when it is not set. */
        static Limits fromProperty() {
            String spec = System.getProperty(PROPERTY);
            return spec == null || spec.isBlank() ? null : parse(spec, Runtime.getRuntime().availableProcessors());
        }

        /** {@code node=<cpus>,postgres=<cpus>}, each above 0 and at most the machine's {@code processors}. */
        static Limits parse(String spec, int processors) {
            Map<String, Double> cpus = new LinkedHashMap<>();
            for (String part : spec.split(",")) {
                String[] pair = part.split("=", 2);
                String name = pair[0].trim();
                if (pair.length != 2 || !List.of("node", "postgres").contains(name)) {
                    throw new IllegalArgumentException(PROPERTY + ": expected node=<cpus>,postgres=<cpus>, was '" + spec + "'");
                }
                String text = pair[1].trim();
                double value;
                try {
                    value = Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(PROPERTY + ": " + name + " is not a number: '" + text + "'");
                }
                if (!(value > 0 && value <= processors)) {
                    throw new IllegalArgumentException(PROPERTY + ": " + name + " must be above 0 and at most "
                            + processors + " CPUs, was " + text);
                }
                cpus.put(name, value);
            }
            if (cpus.size() != 2) {
                throw new IllegalArgumentException(PROPERTY + ": expected node=<cpus>,postgres=<cpus>, was '" + spec + "'");
            }
            return new Limits(cpus.get("node"), cpus.get("postgres"));
        }

        /** Fails now, before the benchmark's long set-up, when the limits cannot be set on this machine. */
        void requireControlGroups() {
            Path root = Path.of(ROOT);
            if (!Files.isRegularFile(root.resolve("cpu.cfs_quota_us")) || !Files.isWritable(root)) {
                throw new IllegalStateException("-D" + PROPERTY + " needs the cgroup v1 cpu controller at " + ROOT
                        + " and the right to write there (root); not available here");
            }
        }
    }

    private final Map<String, Double> groups;
    private boolean released;

    private CpuLimits(Map<String, Double> groups) {
        this.groups = groups;
    }

    /**
     * Puts each node's process ({@code nodes}: name to pid) into a group limited to {@code limits.node()}
     * CPUs, and every process named {@code postgres} (the server; the backends it starts later inherit
     * the group) into one limited to {@code limits.postgres()}.
     */
    static CpuLimits apply(Limits limits, Map<String, Long> nodes) throws IOException {
        return apply(limits, nodes, BenchApp.postgresProcesses());
    }

    /** As {@link #apply(Limits, Map)}, with the PostgreSQL processes given ({@code CpuLimitsTest} gives none). */
    static CpuLimits apply(Limits limits, Map<String, Long> nodes, Collection<Long> postgres) throws IOException {
        Map<String, Double> groups = new LinkedHashMap<>();
        nodes.keySet().forEach(node -> groups.put(node, limits.node()));
        groups.put("postgres", limits.postgres());
        CpuLimits applied = new CpuLimits(groups);
        // Ctrl-C or a kill (not kill -9) while the wave runs must not leave PostgreSQL under its quota
        Runtime.getRuntime().addShutdownHook(new Thread(applied::close, "cpu-limits-release"));
        try {
            // the groups a killed run left
            try (var left = Files.newDirectoryStream(Path.of(ROOT), PREFIX + "*")) {
                for (Path dir : left) {
                    emptyAndRemove(dir);
                }
            }
            for (Map.Entry<String, Double> group : groups.entrySet()) {
                Path dir = group(group.getKey());
                Files.createDirectory(dir);
                Files.writeString(dir.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_MICROS));
                Files.writeString(dir.resolve("cpu.cfs_quota_us"), Long.toString(Math.round(group.getValue() * PERIOD_MICROS)));
            }
            for (Map.Entry<String, Long> node : nodes.entrySet()) {
                move(node.getValue(), group(node.getKey()));
            }
            for (long pid : postgres) {
                move(pid, group("postgres"));
            }
        } catch (IOException | RuntimeException e) {
            applied.close();
            throw e;
        }
        return applied;
    }

    /**
     * Moves every process back to the root group, removes the groups and returns how often each group
     * used up its quota (the kernel's {@code cpu.stat}): where the wave's bottleneck was.
     */
    synchronized String release() throws IOException {
        List<String> throttled = new ArrayList<>();
        if (!released) {
            released = true;
            for (Map.Entry<String, Double> group : groups.entrySet()) {
                Path dir = group(group.getKey());
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                Map<String, Long> stat = new LinkedHashMap<>();
                for (String line : Files.readAllLines(dir.resolve("cpu.stat"))) {
                    String[] pair = line.trim().split("\\s+");
                    if (pair.length == 2) {
                        stat.put(pair[0], Long.parseLong(pair[1]));
                    }
                }
                long periods = stat.getOrDefault("nr_periods", 0L);
                long atLimit = stat.getOrDefault("nr_throttled", 0L);
                throttled.add(String.format(Locale.ROOT, "%s %.2f CPU, at its limit in %d of %d periods of 0.1 s (%.0f %%)",
                        group.getKey(), group.getValue(), atLimit, periods, periods == 0 ? 0.0 : 100.0 * atLimit / periods));
                emptyAndRemove(dir);
            }
        }
        return String.join("; ", throttled);
    }

    /** Releases the groups if {@link #release()} did not. */
    @Override
    public void close() {
        try {
            release();
        } catch (IOException | RuntimeException e) {
            System.out.println("CPU limits not released: " + e + "; remove the groups " + ROOT + "/" + PREFIX + "* by hand");
        }
    }

    private static Path group(String name) {
        return Path.of(ROOT, PREFIX + name);
    }

    private static void move(long pid, Path group) throws IOException {
        try {
            Files.writeString(group.resolve("cgroup.procs"), Long.toString(pid));
        } catch (IOException e) {
            if (Files.exists(Path.of("/proc", Long.toString(pid)))) {
                throw e;
            }
            // the process ended meanwhile (a PostgreSQL backend closing its connection)
        }
    }

    private static void emptyAndRemove(Path dir) throws IOException {
        for (String pid : Files.readAllLines(dir.resolve("cgroup.procs"))) {
            if (!pid.isBlank()) {
                move(Long.parseLong(pid.trim()), Path.of(ROOT));
            }
        }
        Files.delete(dir);
    }
}
