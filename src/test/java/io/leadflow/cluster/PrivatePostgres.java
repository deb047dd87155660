package io.leadflow.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own for a check that stops and starts it: initdb into a temporary
 * directory, 127.0.0.1 on a free port, trust authentication, run as user postgres when the check
 * runs as root (PostgreSQL refuses root). The shared server of the other tests is never touched.
 * Binaries: LEADFLOW_TEST_POSTGRES_BIN, else the newest /usr/lib/postgresql/N/bin (Debian's layout),
 * else the PATH.
 */
final class PrivatePostgres implements AutoCloseable {

    final int port = ClusterNode.freePort();
    private final Path dir;
    private final Path data;
    private final String bin;
    private final boolean root = "root".equals(System.getProperty("user.name"));

    PrivatePostgres() throws IOException, InterruptedException {
        bin = binaries();
        if (!"true".equals(System.getenv("CI"))) {
            boolean onPath = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                    .anyMatch(p -> !p.isEmpty() && Files.isExecutable(Path.of(p, "initdb")));
            org.junit.jupiter.api.Assumptions.assumeTrue(!bin.isEmpty() || onPath,
                    "no PostgreSQL binaries (initdb, pg_ctl) found: set LEADFLOW_TEST_POSTGRES_BIN");
        }
        dir = Files.createTempDirectory("leadflow-pg");
        data = dir.resolve("data");
        if (root) {
            run("chown", "-R", "postgres", dir.toString());
        }
        pg("initdb", "-D", data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync");
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    void start() throws IOException, InterruptedException {
        pg("pg_ctl", "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100", "start");
    }

    /** A fast shutdown: open transactions are rolled back, connected clients are cut off. */
    void stop() throws IOException, InterruptedException {
        pg("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                stop();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void pg(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.isEmpty() ? tool : Path.of(bin, tool).toString());
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    private void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("tools.log").toFile())).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(dir.resolve("tools.log")));
        }
    }

    private static String binaries() throws IOException {
        String configured = System.getenv("LEADFLOW_TEST_POSTGRES_BIN");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
                        .map(v -> v.resolve("bin").toString()).orElse("");
            }
        }
        return "";
    }
}
