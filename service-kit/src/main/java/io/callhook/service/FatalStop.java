package io.callhook.service;

import java.util.Objects;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service does when a part it cannot run without fails for good (the dispatcher's
 * consumer loop, say): liveness and readiness go DOWN with the reason, and the process exits with
 * {@link #EXIT_STATUS} so that its supervisor (systemd, Kubernetes, the demo) restarts it. A
 * process that stays up doing nothing is worse than one that restarts: it holds its partitions'
 * membership and looks healthy to anything that only checks the process.
 */
public final class FatalStop {

    /** {@code EX_SOFTWARE} of sysexits.h: an internal error, not bad configuration (1). */
    public static final int EXIT_STATUS = 70;

    private static final Logger LOG = LoggerFactory.getLogger(FatalStop.class);

    private final OpsServer ops;
    private final IntConsumer exit;

    /**
     * @param ops  whose health endpoints report the failure
     * @param exit ends the process with a status; {@link System#exit} outside tests
     */
    public FatalStop(OpsServer ops, IntConsumer exit) {
        this.ops = Objects.requireNonNull(ops, "ops");
        this.exit = Objects.requireNonNull(exit, "exit");
    }

    /** A fatal stop that exits the JVM (running its shutdown hooks, so work in hand is finished or handed back). */
    public static FatalStop exitingJvm(OpsServer ops) {
        return new FatalStop(ops, System::exit);
    }

    /**
     * Reports {@code what} as failed and exits. The exit runs on a thread of its own: the caller
     * is often the failed part's own thread, which the shutdown hooks may wait for.
     */
    public void stop(String what, Throwable cause) {
        String reason = what + " stopped: " + cause;
        LOG.error("{}; exiting with status {} to be restarted", reason, EXIT_STATUS, cause);
        ops.markDead(reason);
        Thread exiting = new Thread(() -> exit.accept(EXIT_STATUS), "fatal-stop");
        exiting.start();
    }
}
