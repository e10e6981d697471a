package io.callhook.bench;

import io.callhook.launch.NginxReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times one system the way a user would see it: launch its process, and stop the clock when
 * nginx has counted every POST it was to make. Reads the process's CPU (and the broker's and
 * nginx's) at that moment, before the process is asked to stop.
 */
final class DeliveryTimer {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryTimer.class);
    private static final long POLL_MILLIS = 20;
    private static final Duration FIRST_POST_WITHIN = Duration.ofMinutes(3);
    private static final Duration STALL = Duration.ofSeconds(60);

    /**
     * One timed run.
     *
     * @param delivered      POSTs nginx counted when the clock stopped
     * @param seconds        launch → last POST counted
     * @param firstPostAfter launch → first POST counted
     * @param cpu            CPU of the process (and its children) over the run
     * @param brokerCpu      CPU of the broker over the same time
     * @param nginxCpu       CPU of nginx over the same time
     * @param extra          POSTs counted after the clock stopped, until the process had stopped (duplicates)
     */
    record Timing(long delivered, double seconds, double firstPostAfter, Duration cpu, Duration brokerCpu, Duration nginxCpu,
                  long extra) {

        double rate() {
            return delivered / seconds;
        }

        double rateAfterFirstPost() {
            return delivered / (seconds - firstPostAfter);
        }
    }

    private DeliveryTimer() {
    }

    /**
     * Launches {@code command} and waits until nginx has counted {@code expected} more requests.
     *
     * @param stopWithin how long the process may take to stop once asked (SIGTERM), before SIGKILL
     * @param beforeStop run once the clock has stopped (or the run failed), before the process is stopped:
     *                   e.g. to save its metrics
     * @throws IllegalStateException if the process exits or stalls before that
     */
    static Timing time(String name, List<String> command, Map<String, String> env, Path log, NginxReceiver nginx,
                       Supplier<Duration> brokerCpu, long expected, Duration stopWithin, Runnable beforeStop)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Exactly the settings the benchmark gives, none from the caller's environment.
        builder.environment().keySet().removeIf(key -> key.startsWith("CALLHOOK_"));
        builder.environment().putAll(env);
        long before = nginx.requests();
        Duration brokerBefore = brokerCpu.get();
        Duration nginxBefore = ProcessCpu.ofTree(nginx.pid());
        long launched = System.nanoTime();
        Process process = builder.start();
        LOG.info("{}: launched (pid {}), log {}", name, process.pid(), log);
        // Ctrl-C on the benchmark must not leave the system running.
        Thread reaper = new Thread(process::destroyForcibly, name + "-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        Timing atClockStop = null;
        try {
            long first = -1;
            long lastCount = 0;
            long lastProgress = launched;
            long nextReport = launched + TimeUnit.SECONDS.toNanos(10);
            while (atClockStop == null) {
                Thread.sleep(POLL_MILLIS);
                long counted = nginx.requests() - before;
                long now = System.nanoTime();
                if (counted > 0 && first < 0) {
                    first = now;
                }
                if (counted >= expected) {
                    Duration cpu = ProcessCpu.ofTree(process.pid());
                    Duration broker = brokerCpu.get().minus(brokerBefore);
                    Duration nginxCpu = ProcessCpu.ofTree(nginx.pid()).minus(nginxBefore);
                    atClockStop = new Timing(counted, (now - launched) / 1e9, (first - launched) / 1e9, cpu, broker, nginxCpu, 0);
                    LOG.info("{}: {} POSTs in {} s ({} /s; first after {} s), CPU {} s, broker {} s", name, counted,
                            String.format("%.2f", atClockStop.seconds()), Math.round(atClockStop.rate()),
                            String.format("%.2f", atClockStop.firstPostAfter()), cpu.toMillis() / 1000.0, broker.toMillis() / 1000.0);
                    break;
                }
                if (counted > lastCount) {
                    lastCount = counted;
                    lastProgress = now;
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with code " + process.exitValue() + " after " + counted + " of "
                            + expected + " POSTs; see " + log);
                }
                Duration waited = Duration.ofNanos(now - lastProgress);
                if (counted == 0 ? waited.compareTo(FIRST_POST_WITHIN) > 0 : waited.compareTo(STALL) > 0) {
                    throw new IllegalStateException(name + " made no POST for " + waited.toSeconds() + " s, at " + counted + " of "
                            + expected + "; see " + log);
                }
                if (now > nextReport) {
                    LOG.info("{}: {} of {} POSTs after {} s", name, counted, expected, (now - launched) / 1_000_000_000);
                    nextReport = now + TimeUnit.SECONDS.toNanos(10);
                }
            }
        } finally {
            if (process.isAlive()) {
                beforeStop.run();
            }
            stop(name, process, stopWithin);
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or has run.
            }
        }
        // What it POSTed after the clock stopped, until it had stopped: duplicates, since all were counted.
        long extra = nginx.requests() - before - atClockStop.delivered();
        if (extra > 0) {
            LOG.warn("{}: {} more POSTs after all {} were counted (duplicates)", name, extra, expected);
        }
        return new Timing(atClockStop.delivered(), atClockStop.seconds(), atClockStop.firstPostAfter(), atClockStop.cpu(),
                atClockStop.brokerCpu(), atClockStop.nginxCpu(), extra);
    }

    /** SIGTERM, as an orchestrator stops a service; SIGKILL if it does not exit in time. */
    private static void stop(String name, Process process, Duration within) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("{} did not stop within {} s of SIGTERM; killing it", name, within.toSeconds());
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
