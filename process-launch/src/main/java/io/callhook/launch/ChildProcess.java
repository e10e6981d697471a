package io.callhook.launch;

import java.io.IOException;
import java.net.InetAddress;
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
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java program run as a child process of the test JVM, as in production: its own JVM, its own
 * classpath, killed for real ({@link #kill()} is SIGKILL, no shutdown hooks). Used for the
 * registry, for crash tests of our services and by the demo.
 *
 * <p>A child runs in a process group (a session) of its own, where {@code setsid} exists: a
 * terminal's Ctrl-C reaches only the parent, which stops its children in the order they need
 * (services before the broker they commit to), instead of every process dying at the same
 * moment. {@code setsid} execs in place, so {@link #pid()} is the JVM's own.
 */
public final class ChildProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);
    /** How often a wait for readiness says what the process answers meanwhile. */
    private static final Duration NOT_READY_REPORT = Duration.ofSeconds(30);
    private static final Optional<Path> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid").map(Path::of)
            .filter(Files::isExecutable).findFirst();
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    // Leaves the owner's own shutdown hook time to stop children in order (see the constructor).
    private static final Duration REAPER_GRACE = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread reaper;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        // A JVM that exits without closing us must not leave the child behind. Shutdown hooks run
        // all at once, so the reaper first leaves time for an orderly stop by its owner's hook
        // (which may need this child up a little longer), then stops it: gently, then not.
        this.reaper = new Thread(() -> reap(process), name + "-reaper");
        try {
            Runtime.getRuntime().addShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // Started while this JVM stops: nobody would stop it, so stop it now.
            process.destroy();
            throw new IllegalStateException(name + " started while this JVM is shutting down; stopped it", shuttingDown);
        }
    }

    /**
     * Starts {@code java <jvmArgs> -jar <jar> <args>} with extra environment variables; its
     * output is appended to {@code logFile}.
     */
    public static ChildProcess startJar(String name, Path jar, List<String> jvmArgs, List<String> args,
                                        Map<String, String> env, Path logFile) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + ": " + jar + " does not exist; package the module first ('mvn package')");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        return start(name, command, env, logFile);
    }

    private static void reap(Process process) {
        try {
            if (!process.waitFor(REAPER_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }

    /** Starts {@code java <jvmArgs> <mainClass> <args>} (the class path given in {@code jvmArgs}). */
    public static ChildProcess startMain(String name, List<String> jvmArgs, String mainClass, List<String> args,
                                         Map<String, String> env, Path logFile) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add(mainClass);
        command.addAll(args);
        return start(name, command, env, logFile);
    }

    private static ChildProcess start(String name, List<String> command, Map<String, String> env, Path logFile) throws IOException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        List<String> inOwnGroup = new ArrayList<>();
        SETSID.ifPresent(setsid -> inOwnGroup.add(setsid.toString()));
        inOwnGroup.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(inOwnGroup)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        LOG.info("Started {} (pid {}), log {}", name, process.pid(), logFile);
        return new ChildProcess(name, process, logFile);
    }

    /** Waits until {@code url} answers 200, failing early if the process dies. */
    public void awaitHttpOk(String url, Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        long nextReport = started + NOT_READY_REPORT.toNanos();
        // What it said last: a readiness answer names what it waits for (e.g. a transaction holding its offsets).
        String lastAnswer = "nothing yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with code " + process.exitValue() + " before " + url
                        + " answered; see " + logFile + ", whose errors were:\n" + lastErrors(20));
            }
            try {
                HttpResponse<String> answer = http.send(probe, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return;
                }
                lastAnswer = answer.statusCode() + " " + abbreviated(answer.body());
            } catch (IOException notYetListening) {
                // Expected while the process starts.
            }
            if (System.nanoTime() > nextReport) {
                LOG.info("{} not ready after {} s; it answers {}", name, Duration.ofNanos(System.nanoTime() - started).toSeconds(),
                        lastAnswer);
                nextReport += NOT_READY_REPORT.toNanos();
            }
            Thread.sleep(100);
        }
        throw new IOException(name + ": " + url + " did not answer 200 within " + timeout + "; its last answer: " + lastAnswer
                + "; see " + logFile);
    }

    private static String abbreviated(String text) {
        return text.length() <= 2_000 ? text : text.substring(0, 2_000) + "...";
    }

    /**
     * The log's last {@code lines} lines at ERROR or WARN level, or about a cause, so that a report
     * whose log files are gone (CI keeps only the test output) still says why the process ended.
     */
    private String lastErrors(int lines) {
        try {
            List<String> picked = Files.readAllLines(logFile).stream()
                    .filter(line -> line.contains("ERROR") || line.contains("WARN") || line.startsWith("Caused by")
                            || line.startsWith("Exception") || line.contains("Exception:"))
                    .toList();
            return String.join("\n", picked.subList(Math.max(0, picked.size() - lines), picked.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(the log could not be read: " + e + ")";
        }
    }

    /** Asks the process to stop (SIGTERM: its shutdown hooks run) without waiting; see {@link #awaitExit}. */
    public void terminate() {
        process.destroy();
    }

    /** Waits until the process has exited; whether it did within {@code timeout}. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the process the hard way, as a crash or an OOM kill would: no shutdown hooks run. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        LOG.info("Killed {} (pid {})", name, process.pid());
    }

    /** CPU time the process has used so far (all its threads), as the OS counts it. */
    public java.time.Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(java.time.Duration.ZERO);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The child JVM's process id. */
    public long pid() {
        return process.pid();
    }

    /** The running process, e.g. to find it again after its parent was killed. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    public Path logFile() {
        return logFile;
    }

    /** A free port on loopback, for a child to listen on. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Stops the process gracefully (SIGTERM), forcibly (SIGKILL) after 15 s. */
    @Override
    public void close() throws InterruptedException {
        terminate();
        if (!awaitExit(STOP_GRACE)) {
            LOG.warn("{} (pid {}) did not stop within {} s of SIGTERM; killing it", name, process.pid(), STOP_GRACE.toSeconds());
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting; the hook will find the process gone.
        }
        LOG.info("Stopped {}", name);
    }
}
