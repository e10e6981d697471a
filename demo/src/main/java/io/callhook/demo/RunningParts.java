package io.callhook.demo;

import io.callhook.service.Shutdown;

/**
 * What the demo has started, stopped once, in reverse order of start (a {@link Shutdown}):
 * traffic and the inspector, then the services (which commit and leave their groups while the
 * broker is still up), then the registry, then the broker. A stop may come at any moment of the
 * start (a Ctrl-C while the broker is still coming up): it interrupts the starting thread, so
 * whatever that waits for ends at once, and a part started after the stop began is stopped
 * instead of kept.
 */
final class RunningParts {

    private final Thread starter;
    private final Shutdown shutdown = new Shutdown("the demo");
    private volatile boolean stopping;

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
        shutdown.register(name, part);
        if (stopping) {
            throw new InterruptedException("stopping: " + name + " was stopped as soon as it started");
        }
        return part;
    }

    boolean stopping() {
        return stopping;
    }

    /** Stops every part, the last started first; only the first call does anything. */
    void stopAll() {
        stopping = true;
        starter.interrupt();
        shutdown.run();
    }
}
