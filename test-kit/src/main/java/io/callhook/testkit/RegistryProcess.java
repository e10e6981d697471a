package io.callhook.testkit;

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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Apicurio registry packaged by the {@code schema-registry} module, run as a child process
 * on a free loopback port. It is a separate JVM because its classpath (Quarkus, Vert.x 4, its
 * own Kafka client) must not meet ours.
 */
public final class RegistryProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryProcess.class);
    static final String RUNNER = "schema-registry/target/quarkus-app/quarkus-run.jar";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final String baseUrl;
    private final Thread reaper;

    private RegistryProcess(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
        // A JVM that exits without closing us (a crashed test run) must not leave the registry behind.
        this.reaper = new Thread(process::destroyForcibly, "registry-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts the registry and waits until it answers.
     *
     * @param dataDir where it keeps its H2 database; {@code null} keeps schemas in memory only
     * @param logFile where its output goes
     */
    public static RegistryProcess start(Path dataDir, Path logFile) throws IOException, InterruptedException {
        Path runner = locateRunner();
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                javaExecutable(), "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                // Narayana otherwise opens a second loopback port only to derive a process id.
                "-Dcom.arjuna.ats.arjuna.common.CoreEnvironmentBean.processImplementationClassName="
                        + "com.arjuna.ats.internal.arjuna.utils.UuidProcessId",
                "-jar", runner.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> env = builder.environment();
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            // WRITE_DELAY=0: H2 otherwise loses a schema registered less than ~0.5 s before a hard stop.
            env.put("REGISTRY_DATASOURCE_URL", "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("registry") + ";WRITE_DELAY=0");
        }
        long started = System.nanoTime();
        Process process = builder.start();
        RegistryProcess registry = new RegistryProcess(process, "http://127.0.0.1:" + port);
        try {
            registry.awaitReady(logFile);
        } catch (IOException | RuntimeException e) {
            registry.close();
            throw e;
        }
        LOG.info("Schema registry ready at {} in {} ms (log: {})",
                registry.baseUrl, (System.nanoTime() - started) / 1_000_000, logFile);
        return registry;
    }

    public String baseUrl() {
        return baseUrl;
    }

    private void awaitReady(Path logFile) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Schema registry exited with code " + process.exitValue()
                        + " before it was ready; see " + logFile);
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // Expected while the process starts.
            }
            Thread.sleep(100);
        }
        throw new IOException("Schema registry not ready after " + READY_TIMEOUT + "; see " + logFile);
    }

    /**
     * Finds the packaged registry: {@code -Dcallhook.registry.jar}, else under the project root
     * ({@code -Dcallhook.root}, which the build sets), else in a parent of the working directory.
     */
    static Path locateRunner() {
        Optional<Path> explicit = Optional.ofNullable(System.getProperty("callhook.registry.jar")).map(Path::of);
        if (explicit.isPresent()) {
            return requireFile(explicit.get());
        }
        String root = System.getProperty("callhook.root");
        if (root != null && !root.isBlank()) {
            return requireFile(Path.of(root).resolve(RUNNER));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RUNNER);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("The packaged schema registry (" + RUNNER + ") was not found above "
                + Path.of("").toAbsolutePath() + ": build it with 'mvn -pl schema-registry package' "
                + "or set SCHEMA_REGISTRY_URL to a running registry.");
    }

    private static Path requireFile(Path runner) {
        if (!Files.isRegularFile(runner)) {
            throw new IllegalStateException("The packaged schema registry is missing at " + runner
                    + ": build it with 'mvn -pl schema-registry package'.");
        }
        return runner;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting; the hook will run and find the process gone.
        }
        LOG.info("Schema registry at {} stopped", baseUrl);
    }
}
