package io.callhook.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * CPU used by this JVM (every thread: the measured code, GC, JIT, the Kafka clients) and by
 * another process (the broker), sampled every 50 ms, so that the CPU of a window known only
 * afterwards (between two arrivals) can be read off by interpolation.
 */
final class CpuTimeline implements AutoCloseable {

    private record Sample(long at, long jvm, long other) {
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final Supplier<Duration> otherProcess;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** @param otherProcess CPU used so far by the other process measured alongside */
    CpuTimeline(Supplier<Duration> otherProcess) {
        this.otherProcess = otherProcess;
        sample();
        this.thread = new Thread(this::run, "cpu-timeline");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            sample();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        Sample sample = new Sample(System.nanoTime(), OS.getProcessCpuTime(), otherProcess.get().toNanos());
        synchronized (samples) {
            samples.add(sample);
        }
    }

    /** Seconds of this JVM's CPU between two {@link System#nanoTime()} instants. */
    double jvmSeconds(long from, long to) {
        return (interpolate(to, true) - interpolate(from, true)) / 1e9;
    }

    /** Seconds of the other process's CPU between two instants. */
    double otherSeconds(long from, long to) {
        return (interpolate(to, false) - interpolate(from, false)) / 1e9;
    }

    private double interpolate(long at, boolean jvm) {
        synchronized (samples) {
            for (int i = 1; i < samples.size(); i++) {
                Sample before = samples.get(i - 1);
                Sample after = samples.get(i);
                if (after.at >= at) {
                    double share = after.at == before.at ? 1 : (double) (at - before.at) / (after.at - before.at);
                    long low = jvm ? before.jvm : before.other;
                    long high = jvm ? after.jvm : after.other;
                    return low + share * (high - low);
                }
            }
            throw new IllegalStateException("no CPU sample at or after the instant asked for");
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(1_000);
    }
}
