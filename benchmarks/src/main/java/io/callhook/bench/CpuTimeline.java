package io.callhook.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private record Threads(long at, Map<String, Long> cpu) {
    }

    private final Supplier<Duration> otherProcess;
    private final List<Sample> samples = new ArrayList<>();
    private final List<Threads> threads = new ArrayList<>();
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
        for (int tick = 0; running; tick++) {
            sample();
            if (tick % 20 == 0) {
                snapshotThreads();
            }
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

    private void snapshotThreads() {
        Threads snapshot = new Threads(System.nanoTime(), ThreadCpu.snapshot());
        synchronized (threads) {
            threads.add(snapshot);
        }
    }

    /**
     * Where this JVM's CPU went, by kind of thread, from the last per-thread snapshot (once a
     * second) before {@code from} to the first after {@code to}, the later one past.
     */
    List<String> threadRows(long from, long to, double thousandEvents, int top) {
        snapshotThreads();
        synchronized (threads) {
            Threads first = threads.get(0);
            Threads last = threads.get(threads.size() - 1);
            for (Threads snapshot : threads) {
                if (snapshot.at <= from) {
                    first = snapshot;
                }
                if (snapshot.at >= to && snapshot.at < last.at) {
                    last = snapshot;
                }
            }
            return ThreadCpu.rows(first.cpu, last.cpu, thousandEvents, top);
        }
    }

    /** Seconds of this JVM's CPU between two {@link System#nanoTime()} instants, the later one past. */
    double jvmSeconds(long from, long to) {
        sample();
        return (interpolate(to, true) - interpolate(from, true)) / 1e9;
    }

    /** Seconds of the other process's CPU between two instants, the later one past. */
    double otherSeconds(long from, long to) {
        sample();
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
