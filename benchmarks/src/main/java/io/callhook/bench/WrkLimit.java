package io.callhook.bench;

import io.callhook.launch.NginxReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP limit: {@code wrk} (Debian's), keep-alive connections POSTing the benchmark's body to
 * the same nginx as the systems measured, timed the same way: from its launch until it exits,
 * by nginx's own request count.
 */
final class WrkLimit {

    private static final Logger LOG = LoggerFactory.getLogger(WrkLimit.class);

    /** What one wrk run gave: nginx's count, the wall time, wrk's and nginx's CPU over it. */
    record Measured(long requests, double seconds, Duration wrkCpu, Duration nginxCpu, String wrkSummary) {
        double rate() {
            return requests / seconds;
        }
    }

    private WrkLimit() {
    }

    static Measured run(NginxReceiver nginx, Path dir, byte[] body, int threads, int connections, Duration duration)
            throws IOException, InterruptedException {
        Path bodyFile = dir.resolve("wrk-body.json");
        Files.write(bodyFile, body);
        Path script = dir.resolve("wrk-post.lua");
        Files.writeString(script, """
                -- POST the benchmark's webhook body on every request (written by Callhook's benchmarks).
                local file = io.open("%s", "rb")
                wrk.method = "POST"
                wrk.body = file:read("*a")
                file:close()
                wrk.headers["Content-Type"] = "application/json"
                """.formatted(bodyFile));
        Path out = dir.resolve("wrk.out");
        List<String> command = List.of(binary(), "-t" + threads, "-c" + connections, "-d" + duration.toSeconds() + "s",
                "-s", script.toString(), nginx.url("/limit/"));
        Duration nginxBefore = ProcessCpu.ofTree(nginx.pid());
        long before = nginx.requests();
        long started = System.nanoTime();
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        // wrk's CPU is read while it runs: once it has exited /proc no longer has it (a read as it
        // exits may find nothing, hence the largest reading).
        Duration cpu = Duration.ZERO;
        while (!wrk.waitFor(20, TimeUnit.MILLISECONDS)) {
            Duration reading = ProcessCpu.ofTree(wrk.pid());
            cpu = reading.compareTo(cpu) > 0 ? reading : cpu;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long requests = nginx.requests() - before;
        Duration nginxCpu = ProcessCpu.ofTree(nginx.pid()).minus(nginxBefore);
        String output = Files.readString(out);
        if (wrk.exitValue() != 0) {
            throw new IllegalStateException("wrk exited with " + wrk.exitValue() + ": " + output);
        }
        String summary = output.lines().filter(line -> line.startsWith("Requests/sec") || line.contains("requests in"))
                .map(String::trim).reduce((a, b) -> a + "; " + b).orElse("");
        LOG.info("wrk: {} requests counted by nginx in {} s ({})", requests, String.format("%.2f", seconds), summary);
        return new Measured(requests, seconds, cpu, nginxCpu, summary);
    }

    private static String binary() {
        for (String candidate : List.of("/usr/bin/wrk", "/usr/local/bin/wrk")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("wrk is not installed: run 'scripts/install-test-deps.sh nginx wrk' (./callhook bench does it)");
    }

    /** wrk's version line. */
    static String version() {
        try {
            Process v = new ProcessBuilder(binary(), "-v").redirectErrorStream(true).start();
            String out = new String(v.getInputStream().readAllBytes()).trim();
            v.waitFor(5, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("wrk");
        } catch (IOException e) {
            return "wrk (version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "wrk (version unknown)";
        }
    }
}
