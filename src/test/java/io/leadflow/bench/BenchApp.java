package io.leadflow.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the benchmarks start leadflow in their own JVM: a fresh PostgreSQL database and the app's settings. */
final class BenchApp {

    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

    private BenchApp() {
    }

    /** What every benchmark records before it starts the app: the load average, the time, pgbench's reference. */
    record Start(String loadAverage, String startedAt, CaptureBenchmark.Pgbench pgbench, double tpsBefore) {
    }

    /**
     * Prints the load average, then runs pgbench TPC-B ({@code -Dleadflow.bench.pgbench-clients}, 4;
     * {@code -Dleadflow.bench.pgbench-seconds}, 20, 0 skips it) as the machine's reference "before ...".
     */
    static Start begin(String beforeWhat) throws Exception {
        String loadAtStart = CaptureBenchmark.loadAverage();
        String startedAt = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).withNano(0).toString();
        System.out.printf("load average at start: %s%n", loadAtStart);
        CaptureBenchmark.Pgbench pgbench = new CaptureBenchmark.Pgbench(Integer.getInteger("leadflow.bench.pgbench-clients", 4),
                Integer.getInteger("leadflow.bench.pgbench-seconds", 20));
        pgbench.initialise();
        return new Start(loadAtStart, startedAt, pgbench, pgbench.run(beforeWhat));
    }

    /** Drops the database (closing its connections) and creates it empty. */
    static void freshDatabase(String name) throws Exception {
        try (Connection admin = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
             Statement sql = admin.createStatement()) {
            sql.execute("drop database if exists " + name + " with (force)");
            sql.execute("create database " + name);
        }
    }

    /**
     * The settings every benchmark gives the app: a random port, quiet logs, the demo API key's rate
     * limit lifted (a limit would measure the limit, not the app), and the PostgreSQL database
     * {@code database} (null: leave the datasource to the caller).
     */
    static Map<String, Object> properties(String database, boolean demoUsers) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("leadflow.demo.users", Boolean.toString(demoUsers));
        properties.put("logging.level.root", "WARN");
        properties.put("spring.main.banner-mode", "off");
        properties.put("leadflow.api-keys.requests-per-minute", "100000000");
        if (database != null) {
            properties.put("spring.datasource.url", POSTGRES + database);
            properties.put("spring.datasource.username", "postgres");
            properties.put("spring.datasource.password", "");
        }
        return properties;
    }

    /** The settings as command-line arguments, then {@code appArgs} (space-separated, from -Dleadflow.bench.app-args). */
    static String[] arguments(Map<String, Object> properties, String appArgs) {
        List<String> arguments = new ArrayList<>(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList());
        if (appArgs != null && !appArgs.isBlank()) {
            arguments.addAll(Arrays.asList(appArgs.trim().split("\\s+")));
        }
        return arguments.toArray(String[]::new);
    }

    /** {@code ANALYZE}, as autovacuum does after large changes; prints the server's autovacuum setting too. */
    static void analyze(Connection db, String when) throws Exception {
        long start = System.nanoTime();
        String autovacuum;
        try (var statement = db.createStatement()) {
            try (var rs = statement.executeQuery("show autovacuum")) {
                rs.next();
                autovacuum = rs.getString(1);
            }
            statement.execute("analyze");
        }
        System.out.printf("analyze %s (planner statistics): %.1f s; the server's autovacuum is %s%n", when,
                (System.nanoTime() - start) / 1e9, autovacuum);
    }

    /**
     * Another leadflow node on the same database, in a JVM of its own started from this JVM's class
     * path (the build under test), with this JVM's heap options ({@code -Xm…}) unless
     * {@code -Dleadflow.bench.node-jvm-args} gives others; its output goes to {@code log}.
     */
    static final class Node implements AutoCloseable {

        final String name;
        final int port;
        private final Process process;
        private final long startNanos = System.nanoTime();

        private Node(String name, int port, Process process) {
            this.name = name;
            this.port = port;
            this.process = process;
        }

        /** Starts the node with the settings {@code properties} (its port replaced) and {@code appArgs}. */
        static Node start(String name, Map<String, Object> properties, String appArgs, java.nio.file.Path log) throws Exception {
            int port = freePort();
            Map<String, Object> own = new LinkedHashMap<>(properties);
            own.put("server.port", Integer.toString(port));
            own.put("server.address", "127.0.0.1");
            List<String> command = new ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            String jvmArgs = System.getProperty("leadflow.bench.node-jvm-args");
            command.addAll(jvmArgs != null ? Arrays.asList(jvmArgs.trim().split("\\s+"))
                    : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("-Xm")).toList());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), io.leadflow.LeadflowApplication.class.getName()));
            command.addAll(Arrays.asList(arguments(own, appArgs)));
            java.nio.file.Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            return new Node(name, port, process);
        }

        /** Waits until {@code /actuator/health} answers UP; returns the seconds since the start. Fails when the JVM ends. */
        double awaitHealthy(java.time.Duration atMost) throws Exception {
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();
            long end = System.nanoTime() + atMost.toNanos();
            while (System.nanoTime() < end) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("node " + name + " ended with exit code " + process.exitValue() + "; see its log");
                }
                try {
                    var health = http.send(java.net.http.HttpRequest.newBuilder(uri("/actuator/health")).timeout(java.time.Duration.ofSeconds(5)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
                        return (System.nanoTime() - startNanos) / 1e9;
                    }
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(500);
            }
            throw new IllegalStateException("node " + name + " not healthy within " + atMost);
        }

        java.net.URI uri(String path) {
            return java.net.URI.create("http://127.0.0.1:" + port + path);
        }

        /** The process id of this node's JVM. */
        long pid() {
            return process.pid();
        }

        /** The CPU time this node's JVM has used so far. */
        long cpuNanos() {
            return processCpuNanos(process.pid());
        }

        /** SIGTERM (the app shuts down as in production), {@code kill -9} after a minute. */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** A port free on the loopback address now (for a server this JVM or another starts next). */
    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    /** The user + system CPU time of one process (Linux {@code /proc/<pid>/stat}, clock ticks of 10 ms); 0 once it has ended. */
    static long processCpuNanos(long pid) {
        try {
            return ticks(java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"))) * 10_000_000L;
        } catch (java.io.IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** CPU time used so far by this JVM and by all PostgreSQL server processes on this machine (Linux). */
    record Cpu(long jvmNanos, long postgresNanos) {

        Cpu minus(Cpu earlier) {
            return new Cpu(jvmNanos - earlier.jvmNanos, postgresNanos - earlier.postgresNanos);
        }
    }

    /**
     * This JVM's CPU time, and the user + system time of every process named {@code postgres}
     * ({@code /proc/<pid>/stat}, in clock ticks of 10 ms). A backend that exits between two readings
     * takes its time along; the app's connection pool keeps its backends.
     */
    static Cpu cpu() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long ticks = postgresStats().values().stream().mapToLong(BenchApp::ticks).sum();
        return new Cpu(jvm, ticks * 10_000_000L);
    }

    /** The pids of every process named {@code postgres} on this machine: the server and its backends. */
    static java.util.Set<Long> postgresProcesses() {
        return postgresStats().keySet();
    }

    /** The {@code /proc/<pid>/stat} line of every process named {@code postgres}, by pid. */
    private static Map<Long, String> postgresStats() {
        Map<Long, String> stats = new LinkedHashMap<>();
        java.io.File[] processes = new java.io.File("/proc").listFiles(file -> file.getName().chars().allMatch(Character::isDigit));
        for (java.io.File process : processes == null ? new java.io.File[0] : processes) {
            try {
                String stat = java.nio.file.Files.readString(process.toPath().resolve("stat"));
                if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).equals("postgres")) {
                    stats.put(Long.parseLong(process.getName()), stat);
                }
            } catch (java.io.IOException | RuntimeException gone) {
                // the process ended while we read it
            }
        }
        return stats;
    }

    /** utime + stime of a {@code /proc/<pid>/stat} line, in clock ticks. */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
