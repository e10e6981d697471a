package io.callhook.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.launch.ChildProcess;
import io.callhook.launch.ProjectFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a new user reads from {@code ./callhook demo}: the packaged demo jar started as the
 * launcher starts it ({@code java -Dcallhook.root=... -jar demo/target/demo.jar}), on free ports and a
 * fresh data folder, its standard output and error read until it reports that it is running.
 * The first line is the demo's own, every line before the banner is a line of Callhook's own
 * code, and no library status (logback's, SLF4J's) appears anywhere.
 */
class DemoConsoleIT {

    private static final Logger LOG = LoggerFactory.getLogger(DemoConsoleIT.class);
    /** Broker, registry, three services: a start took 3 minutes on a 2-core machine shared with other builds. */
    private static final Duration READY_LIMIT = Duration.ofMinutes(5);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);
    private static final String FIRST_LINE = "Starting the Callhook demo";
    private static final String READY_LINE = "Callhook demo is running";
    /** A line the demo logs: its time, level and one of Callhook's own loggers (callhook-demo-logback.xml). */
    private static final Pattern OWN_LOG_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d (INFO|WARN|ERROR) +i\\.c\\.[\\w.]+ - .*");
    private static final Pattern LOGBACK_STATUS = Pattern.compile("\\|-(INFO|WARN|ERROR) in ");
    private static final List<String> DEMO_PORTS = List.of("KAFKA", "KAFKA_CONTROLLER", "REGISTRY", "STORE", "INSPECTOR",
            "ENRICHER_OPS", "DISPATCHER_OPS", "STORE_OPS");

    @Test
    void theFirstLinesAreTheDemosOwnAndNoLibraryStatusReachesTheConsole(@TempDir Path data) throws Exception {
        Path root = ProjectFiles.locate("pom.xml", "callhook.root.pom", "the project's root pom", "run from the project").getParent();
        Path jar = root.resolve("demo/target/demo.jar");
        assertThat(jar).as("the packaged demo (mvn package)").isRegularFile();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcallhook.root=" + root, "-jar", jar.toString(), "--data-dir", data.toString(), "--no-traffic");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> ports = new LinkedHashMap<>();
        for (String name : DEMO_PORTS) {
            ports.put("CALLHOOK_DEMO_" + name + "_PORT", Integer.toString(ChildProcess.freePort()));
        }
        builder.environment().putAll(ports);
        LOG.info("Starting the demo: {} with {}", String.join(" ", command), ports);

        Process demo = builder.start();
        Console console = new Console(demo);
        List<String> startup;
        try {
            boolean ready = console.awaitLine(READY_LINE, READY_LIMIT);
            startup = console.linesUntil(READY_LINE);
            assertThat(ready).as("the demo reported '%s' within %s; its output:%n%s%nlogs in %s", READY_LINE, READY_LIMIT,
                    String.join("\n", console.lines()), data).isTrue();
            secondDemoOnTheSameDataIsRefused(builder, demo, data, ports);
            secondDemoOnTheSamePortsIsRefused(command, demo, data, ports);
        } finally {
            stop(demo);
            keepOutput(console.lines(), data);
        }

        String output = String.join("\n", startup);
        assertThat(startup).as("the start-up output:%n%s", output).isNotEmpty();
        assertThat(startup.get(0)).as("the first line a user reads").contains(FIRST_LINE).matches(OWN_LOG_LINE);
        assertThat(console.lines()).as("logback's or SLF4J's own status on the console")
                .noneMatch(line -> LOGBACK_STATUS.matcher(line).find() || line.startsWith("SLF4J"));
        assertThat(startup).as("lines before '%s' that are not the demo's own log lines", READY_LINE)
                .allMatch(line -> line.isBlank() || OWN_LOG_LINE.matcher(line).matches());
        assertThat(startup).as("warnings or errors during a clean start")
                .noneMatch(line -> line.matches("^\\d\\d:\\d\\d:\\d\\d (WARN|ERROR) .*"));
    }

    /**
     * A second demo on the data folder of a running one (started again by someone who thought the
     * first stopped) exits at once saying so, and the first keeps running: it would otherwise start
     * a second broker on the first one's files.
     */
    private static void secondDemoOnTheSameDataIsRefused(ProcessBuilder builder, Process first, Path data,
                                                         Map<String, String> ports) throws Exception {
        String output = refusedWith(builder, DemoMain.ALREADY_RUNNING);
        assertThat(output).contains("Another Callhook demo is running on " + data.toAbsolutePath())
                .contains("(process " + first.pid() + ")");
        assertThat(first.isAlive()).as("the first demo").isTrue();
        java.net.http.HttpResponse<Void> health = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + ports.get("CALLHOOK_DEMO_ENRICHER_OPS_PORT")
                        + "/health/ready")).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(health.statusCode()).as("the first demo's enricher, ready").isEqualTo(200);
    }

    /**
     * A demo on another data folder but the running one's ports exits at once naming them: it
     * would otherwise take the running demo's broker and services, answering there, for its own.
     */
    private static void secondDemoOnTheSamePortsIsRefused(List<String> command, Process first, Path data,
                                                          Map<String, String> ports) throws Exception {
        List<String> elsewhere = new ArrayList<>(command);
        // Inside the first one's folder only so that the test's temporary folder holds it.
        elsewhere.set(elsewhere.indexOf("--data-dir") + 1, data.resolve("second").toString());
        ProcessBuilder builder = new ProcessBuilder(elsewhere).redirectErrorStream(true);
        builder.environment().putAll(ports);
        String output = refusedWith(builder, DemoMain.PORTS_TAKEN);
        assertThat(output).contains(ports.get("CALLHOOK_DEMO_KAFKA_PORT") + " (CALLHOOK_DEMO_KAFKA_PORT)")
                .contains(ports.get("CALLHOOK_DEMO_ENRICHER_OPS_PORT") + " (CALLHOOK_DEMO_ENRICHER_OPS_PORT)");
        assertThat(first.isAlive()).as("the first demo").isTrue();
    }

    /** Starts another demo, which must exit at once with {@code code}; its output. */
    private static String refusedWith(ProcessBuilder builder, int code) throws Exception {
        Process second = builder.start();
        boolean exited = second.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            second.destroyForcibly();
        }
        String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as("the second demo exited; its output:%n%s", output).isTrue();
        assertThat(second.exitValue()).as("its exit code; output:%n%s", output).isEqualTo(code);
        return output;
    }

    /** The console and the processes' logs, kept in target/it-logs/demo/ (the data folder is deleted). */
    private static void keepOutput(List<String> console, Path data) throws IOException {
        Path kept = Path.of("target", "it-logs", "demo");
        Files.createDirectories(kept);
        Files.write(kept.resolve("console.txt"), console);
        for (Path log : List.of(data.resolve("kafka").resolve("kafka.log"), data.resolve("logs"))) {
            if (Files.isRegularFile(log)) {
                Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            } else if (Files.isDirectory(log)) {
                try (Stream<Path> files = Files.list(log)) {
                    for (Path file : files.toList()) {
                        Files.copy(file, kept.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        LOG.info("The demo's console and logs are in {}", kept.toAbsolutePath());
    }

    /** SIGTERM, as Ctrl-C: the demo stops its processes; whatever is left after the limit is killed. */
    private static void stop(Process demo) throws InterruptedException {
        demo.destroy();
        if (!demo.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            LOG.warn("The demo did not stop within {}; killing it and its children", STOP_LIMIT);
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The demo's merged standard output and error, read line by line as they come. */
    private static final class Console {

        private final List<String> lines = new ArrayList<>();
        private final CountDownLatch ended = new CountDownLatch(1);

        Console(Process process) {
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        synchronized (lines) {
                            lines.add(line);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException closed) {
                    // The process ended.
                } finally {
                    ended.countDown();
                    synchronized (lines) {
                        lines.notifyAll();
                    }
                }
            }, "demo-console");
            reader.setDaemon(true);
            reader.start();
        }

        /** Whether a line containing {@code text} came within {@code limit}; false also when the output ended first. */
        boolean awaitLine(String text, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            synchronized (lines) {
                while (lines.stream().noneMatch(line -> line.contains(text))) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0 || ended.getCount() == 0) {
                        return false;
                    }
                    lines.wait(Math.min(left, 1000));
                }
                return true;
            }
        }

        /** The lines before the first one containing {@code text}, or all of them. */
        List<String> linesUntil(String text) {
            List<String> before = new ArrayList<>();
            for (String line : lines()) {
                if (line.contains(text)) {
                    break;
                }
                before.add(line);
            }
            return before;
        }

        List<String> lines() {
            synchronized (lines) {
                return new ArrayList<>(lines);
            }
        }
    }
}
