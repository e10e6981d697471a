package io.callhook.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    private final ChildProcess process;
    private final String baseUrl;

    private RegistryProcess(ChildProcess process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /**
     * Starts the registry and waits until it answers.
     *
     * @param dataDir where it keeps its H2 database; {@code null} keeps schemas in memory only
     * @param logFile where its output goes
     */
    public static RegistryProcess start(Path dataDir, Path logFile) throws IOException, InterruptedException {
        return start(dataDir, logFile, ChildProcess.freePort());
    }

    /** Same, on a given port (the local demo's documented one). */
    public static RegistryProcess start(Path dataDir, Path logFile, int port) throws IOException, InterruptedException {
        RegistryProcess registry = launch(dataDir, logFile, port);
        try {
            registry.awaitReady();
        } catch (IOException | RuntimeException | InterruptedException e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    /**
     * Starts the registry without waiting for it, so that its owner can register it for an
     * orderly stop before the wait (a Ctrl-C during the wait then stops it too); then
     * {@link #awaitReady()}.
     */
    public static RegistryProcess launch(Path dataDir, Path logFile, int port) throws IOException {
        Map<String, String> env = new HashMap<>();
        // Several services register their schemas at the same moment at start. With Apicurio's
        // pool of 20 connections their H2 transactions locked each other (the sequence rows)
        // until H2's lock timeout ended one: at 30 s per wait fresh demo starts took 87 s, and at
        // 2 s a dozen concurrent registrations had not finished after 3 minutes
        // (ConcurrentRegistrationIT). One connection makes them take turns, but the registry
        // needs a second inside some writes (a new version of a subject reads its rules, the
        // admin import takes one per entity): with one it waits for itself until the pool gives
        // up. So two connections, and a short lock timeout so that the rare lock cycle between
        // the two costs half a second before the loser is tried again (AvroSerdes).
        String lockTimeout = ";LOCK_TIMEOUT=500";
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            // WRITE_DELAY=0: H2 otherwise loses a schema registered less than ~0.5 s before a hard stop.
            env.put("REGISTRY_DATASOURCE_URL", "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("registry") + ";WRITE_DELAY=0" + lockTimeout);
        } else {
            env.put("REGISTRY_DATASOURCE_URL", "jdbc:h2:mem:registry_db" + lockTimeout);
        }
        ChildProcess process = ChildProcess.startJar("schema-registry", locateRunner(), List.of(
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                // Two connections to its H2 store (see above).
                "-Dquarkus.datasource.jdbc.max-size=2",
                "-Dquarkus.datasource.jdbc.min-size=2",
                "-Dquarkus.datasource.jdbc.initial-size=2",
                // Narayana otherwise opens a second loopback port only to derive a process id.
                "-Dcom.arjuna.ats.arjuna.common.CoreEnvironmentBean.processImplementationClassName="
                        + "com.arjuna.ats.internal.arjuna.utils.UuidProcessId"), List.of(), env, logFile);
        return new RegistryProcess(process, "http://127.0.0.1:" + port);
    }

    /** Waits until the registry answers, failing early if it exits. */
    public RegistryProcess awaitReady() throws IOException, InterruptedException {
        long started = System.nanoTime();
        process.awaitHttpOk(baseUrl + "/health/ready", READY_TIMEOUT);
        LOG.info("Schema registry ready at {} in {} ms", baseUrl, (System.nanoTime() - started) / 1_000_000);
        return this;
    }

    /** The registry's process, e.g. to find it again after its parent was killed. */
    public ProcessHandle handle() {
        return process.handle();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Finds the packaged registry: {@code -Dcallhook.registry.jar}, else under the project root
     * ({@code -Dcallhook.root}, which the build sets), else in a parent of the working directory.
     */
    static Path locateRunner() {
        return ProjectFiles.locate(RUNNER, "callhook.registry.jar", "the packaged schema registry",
                "build it with 'mvn -pl schema-registry package' or set SCHEMA_REGISTRY_URL to a running registry");
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
