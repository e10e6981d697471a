package io.callhook.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An orderly shutdown: closes what was registered in reverse order (what started last stops
 * first, so e.g. the ops server goes before the Kafka clients it reports on), logging each step
 * and how long it took. A failing step is logged and the others still run. Running it more than
 * once does nothing, so both a JVM shutdown hook and {@code main}'s own error path may call it.
 *
 * <pre>{@code
 * Shutdown shutdown = Shutdown.onJvmExit("dispatcher-worker");
 * Metrics metrics = shutdown.register("metrics", Metrics.create("dispatcher-worker"));
 * }</pre>
 */
public final class Shutdown {

    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

    private record Step(String name, AutoCloseable closeable) {
    }

    private final String serviceName;
    private final List<Step> steps = new ArrayList<>();
    private boolean done;

    /** A shutdown run only when {@link #run()} is called (tests; or a hook installed elsewhere). */
    public Shutdown(String serviceName) {
        this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
    }

    /** A shutdown that also runs as a JVM shutdown hook (SIGTERM, SIGINT, end of main). */
    public static Shutdown onJvmExit(String serviceName) {
        Shutdown shutdown = new Shutdown(serviceName);
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, serviceName + "-shutdown"));
        return shutdown;
    }

    /**
     * Registers something to close at shutdown, after everything registered later.
     * Registering once shutdown has run closes it at once: a component still starting up while
     * the process is stopped must not be left open.
     *
     * @return the closeable, for wiring in one line
     */
    public <C extends AutoCloseable> C register(String name, C closeable) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(closeable, "closeable");
        synchronized (this) {
            if (!done) {
                steps.add(new Step(name, closeable));
                return closeable;
            }
        }
        log.warn("{} is already shut down: closing {} at once", serviceName, name);
        close(new Step(name, closeable), 1, 1);
        return closeable;
    }

    /** Closes everything registered, last first. Only the first call does anything. */
    public void run() {
        List<Step> toClose;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            toClose = new ArrayList<>(steps);
        }
        long start = System.nanoTime();
        log.info("shutting down {}: {} steps", serviceName, toClose.size());
        for (int i = toClose.size() - 1, n = 1; i >= 0; i--, n++) {
            close(toClose.get(i), n, toClose.size());
        }
        log.info("{} shut down in {} ms", serviceName, millisSince(start));
    }

    private static void close(Step step, int n, int total) {
        long start = System.nanoTime();
        log.info("shutdown {}/{}: closing {}", n, total, step.name());
        try {
            step.closeable().close();
            log.info("shutdown {}/{}: closed {} in {} ms", n, total, step.name(), millisSince(start));
        } catch (Throwable e) { // whatever one step throws (even an Error), the remaining steps must still run
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.error("shutdown {}/{}: closing {} failed after {} ms", n, total, step.name(), millisSince(start), e);
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
