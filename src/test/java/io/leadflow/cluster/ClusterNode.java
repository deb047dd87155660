package io.leadflow.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One leadflow node as production runs it: the packaged jar in its own JVM, profile
 * {@code postgres}, credentials from the environment, on 127.0.0.1. Its output goes to
 * {@code target/cluster/<name>.log}. {@link #kill()} is {@code kill -9}.
 */
final class ClusterNode implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofMinutes(6);
    static final String ADMIN_PASSWORD = "cluster-check-" + Long.toHexString(System.nanoTime());
    /** The nodes' administrator over HTTP Basic: /api needs a login (the administrator has every scope). */
    static final String ADMIN_BASIC_AUTH = "Basic " + java.util.Base64.getEncoder()
            .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));

    final String name;
    final int port;
    private final String databaseUrl;
    private final List<String> options;
    private Process process;

    ClusterNode(String name, String databaseUrl, String... options) {
        this.name = name;
        this.port = freePort();
        this.databaseUrl = databaseUrl;
        this.options = List.of(options);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Starts the JVM (the engine schema is created by the first node that finds it missing). */
    ClusterNode start() throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar().toString(),
                "--spring.profiles.active=postgres", "--server.port=" + port, "--server.address=127.0.0.1",
                "--leadflow.schema.create-engine-schema=true", "--spring.main.banner-mode=off"));
        command.addAll(options);
        Path log = Path.of("target", "cluster", name + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("LEADFLOW_DB_URL", databaseUrl);
        env.put("LEADFLOW_DB_USER", "postgres");
        env.put("LEADFLOW_DB_PASSWORD", "");
        env.put("LEADFLOW_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("LEADFLOW_SUPPRESSION_SALT", "cluster-check-suppression-salt");
        process = builder.start();
        return this;
    }

    /** Waits until {@code /actuator/health} says UP; fails at once when the JVM has ended. */
    ClusterNode awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await("node " + name + " healthy").atMost(START_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("node " + name + " ended with " + process.exitValue() + "; see target/cluster/" + name + ".log");
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return health.statusCode() == 200 && health.body().contains("\"UP\"");
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    /** {@code kill -9}: no shutdown hook, no rollback, locks stay where they are. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** The jar {@code ./mvnw package} built (failsafe runs after the package phase). */
    static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("leadflow-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no target/leadflow-*.jar: run ./mvnw package (or verify) first"));
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
