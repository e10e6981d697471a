package io.callhook.demo.traffic;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * When calls begin: a Poisson process of the given rate (exponential gaps), as independent
 * callers are. Polled by a periodic tick, which begins every call that has come due, so the rate
 * holds whatever the tick period. Not thread-safe: used by the generator's one thread.
 */
final class Arrivals {

    /** A backlog older than this (the process was suspended, e.g. a laptop lid) is dropped, not burst out. */
    static final long MAX_LAG_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final double nanosPerCall;
    private final SplittableRandom random;
    private long next;

    Arrivals(double callsPerSecond, SplittableRandom random, long startNanos) {
        this.nanosPerCall = TimeUnit.SECONDS.toNanos(1) / callsPerSecond;
        this.random = random;
        this.next = startNanos + gap();
    }

    /** How many calls are due at {@code nowNanos} (from {@link System#nanoTime()}); they are consumed. */
    int due(long nowNanos) {
        if (nowNanos - next > MAX_LAG_NANOS) {
            next = nowNanos;
        }
        int due = 0;
        while (next - nowNanos <= 0) {
            due++;
            next += gap();
        }
        return due;
    }

    private long gap() {
        // 1 - u is in (0, 1], so the log is finite.
        return Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) * nanosPerCall));
    }
}
