package io.callhook.demo;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the demo has started, stopped once, in reverse order of start: traffic and the inspector,
 * then the services (which commit and leave their groups while the broker is still up), then
 * the registry, then the broker. A stop may come at any moment of the start (a Ctrl-C while the
 * broker is still coming up): it interrupts the starting thread, so whatever it waits for ends
 * at once, and anything added after the stop began is stopped instead of kept.
 */
final class RunningParts {

    private static final Logger LOG = LoggerFactory.getLogger(RunningParts.class);

    private record Part(String name, AutoCloseable closeable) {
    }

    private final Thread starter;
    private final List<Part> parts = new ArrayList<>();
    private boolean stopping;

    /** @param starter the thread that starts the parts, interrupted by {@link #stopAll} */
    RunningParts(Thread starter) {
        this.starter = starter;
    }

    /**
     * Keeps a started part for the stop.
     *
     * @throws InterruptedException when the stop has begun: the part is stopped at once instead
     */
    <T extends AutoCloseable> T add(String name, T part) throws InterruptedException {
        synchronized (this) {
            if (!stopping) {
                parts.add(new Part(name, part));
                return part;
            }
        }
        close(new Part(name, part));
        throw new InterruptedException("stopping: " + name + " was stopped as soon as it started");
    }

    synchronized boolean stopping() {
        return stopping;
    }

    /** Stops every part, the last started first; only the first call does anything. */
    void stopAll() {
        List<Part> toStop;
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            toStop = new ArrayList<>(parts);
        }
        starter.interrupt();
        for (int i = toStop.size() - 1; i >= 0; i--) {
            close(toStop.get(i));
        }
    }

    private static void close(Part part) {
        long started = System.nanoTime();
        try {
            part.closeable().close();
            LOG.info("Stopped {} in {} ms", part.name(), (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("Stopping {} failed: {}", part.name(), e.toString());
        }
    }
}
