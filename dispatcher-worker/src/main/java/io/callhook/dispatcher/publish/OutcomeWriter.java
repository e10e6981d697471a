package io.callhook.dispatcher.publish;

import io.callhook.serde.RegistryFailures;
import io.callhook.service.HealthStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the records of one outcome until each has landed, so that a delivery's offset is freed
 * only when its outcome is on the broker, and never re-sends a record that already landed.
 *
 * <p>Each {@link Write} goes its own way:
 * <ul>
 *   <li>landed: done, never sent again;</li>
 *   <li>failed for a reason that passes (the broker or the registry unreachable, a leader moving,
 *       not enough replicas, credentials or ACLs being fixed): sent again, alone, after a growing
 *       pause (up to {@value #LONGEST_PAUSE_SECONDS} s), for as long as it takes. An outage is waited
 *       out, and {@link #health()} is down meanwhile; once writes land again, every write waiting
 *       is sent at once rather than at the end of its pause (up to 10 s after the broker came
 *       back, its offsets uncommitted and readiness down all that while);</li>
 *   <li>failed for a reason that never passes (too large for the topic, a record that cannot be
 *       serialised, an unknown topic): replaced by what {@link Write#instead()} gives, a smaller
 *       record naming the failure; with nothing smaller left, logged with everything known about it
 *       and given up, so that the partition moves on.</li>
 * </ul>
 * Classified by the exception's type, never by its message.
 */
public final class OutcomeWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeWriter.class);
    private static final long FIRST_PAUSE_MILLIS = 500;
    private static final long LONGEST_PAUSE_SECONDS = 10;
    private static final long LONGEST_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(LONGEST_PAUSE_SECONDS);

    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicReference<Failing> failing = new AtomicReference<>();
    private final AtomicBoolean toldClosed = new AtomicBoolean();
    /** Writes waiting for their pause to end. */
    private final Set<Resend> resends = ConcurrentHashMap.newKeySet();
    /** When a write that had not waited last sent the waiting ones (nanoTime). */
    private final AtomicLong lastWake = new AtomicLong(System.nanoTime() - LONGEST_PAUSE_NANOS);

    /** A write sent again once, at the end of its pause or earlier when writes land again. */
    private final class Resend implements Runnable {
        private final Write write;
        private final CompletableFuture<Void> done;
        private final long nextPauseMillis;

        Resend(Write write, CompletableFuture<Void> done, long nextPauseMillis) {
            this.write = write;
            this.done = done;
            this.nextPauseMillis = nextPauseMillis;
        }

        @Override
        public void run() {
            // Its timer and a wake-up may both run it: whichever takes it out of the set sends it.
            if (resends.remove(this)) {
                attempt(write, done, nextPauseMillis, true);
            }
        }
    }

    /** Since when writes have been failing and waiting to be sent again, and the latest reason. */
    private record Failing(Instant since, String lastError) {
    }

    public OutcomeWriter(Clock clock) {
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "outcome-writes-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Completes once every write has landed, or been replaced, or been given up; never fails. */
    public CompletableFuture<Void> write(List<Write> writes) {
        if (writes.size() == 1) {
            return write(writes.get(0));
        }
        return CompletableFuture.allOf(writes.stream().map(this::write).toArray(CompletableFuture[]::new));
    }

    /** Completes once the write has landed, or been replaced, or been given up; never fails. */
    public CompletableFuture<Void> write(Write write) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt(write, done, FIRST_PAUSE_MILLIS, false);
        return done;
    }

    /** Down while writes fail for a passing reason and wait to be sent again; says since when and why. */
    public HealthStatus health() {
        Failing now = failing.get();
        if (now == null || waiting.get() == 0) {
            return HealthStatus.up();
        }
        return HealthStatus.down(waiting.get() + " outcome writes waiting since " + now.since() + ": " + now.lastError());
    }

    private void attempt(Write write, CompletableFuture<Void> done, long pauseMillis, boolean wasWaiting) {
        CompletableFuture<Void> sent;
        try {
            sent = write.send().get();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, error) -> {
            if (error == null) {
                if (wasWaiting) {
                    stoppedWaiting();
                }
                if (!resends.isEmpty() && (wasWaiting || wakeDue())) {
                    // The broker takes writes again: the others need not wait out their pauses.
                    resends.forEach(resend -> run(resend, 0));
                }
                done.complete(null);
            } else {
                // Handled on the writer's own thread: a completion runs on the producer's I/O thread, and a
                // send from there (a resend, a smaller record) could wait for metadata only that thread fetches.
                run(() -> failed(write, done, unwrap(error), pauseMillis, wasWaiting), 0);
            }
        });
    }

    private void failed(Write write, CompletableFuture<Void> done, Throwable cause, long pauseMillis, boolean wasWaiting) {
        if (passes(cause)) {
            boolean first = !wasWaiting && startedWaiting(cause);
            if (wasWaiting) {
                failing.updateAndGet(now -> now == null ? new Failing(clock.instant(), cause.toString())
                        : new Failing(now.since(), cause.toString()));
            }
            // Once per outage: every delivery in flight comes here, again after each pause.
            if (first) {
                LOG.warn("Writing {} failed ({}); it and the writes failing after it are sent again after growing pauses "
                        + "until they land, readiness down meanwhile", write.what(), cause.toString());
            } else {
                LOG.debug("Writing {} failed, sending it again in {} ms: {}", write.what(), pauseMillis, cause.toString());
            }
            Resend resend = new Resend(write, done, Math.min(pauseMillis * 2, LONGEST_PAUSE_SECONDS * 1000));
            resends.add(resend);
            run(resend, pauseMillis);
            return;
        }
        if (wasWaiting) {
            stoppedWaiting();
        }
        Optional<Write> instead = smaller(write, cause);
        if (instead.isPresent()) {
            LOG.warn("{} can never be written ({}); writing {} instead", write.what(), cause.toString(), instead.get().what());
            attempt(instead.get(), done, FIRST_PAUSE_MILLIS, false);
        } else {
            LOG.error("{} can never be written and nothing smaller is left to write; given up so that its partition "
                    + "moves on", write.what(), cause);
            done.complete(null);
        }
    }

    private static Optional<Write> smaller(Write write, Throwable cause) {
        try {
            return write.instead().apply(cause);
        } catch (RuntimeException e) {
            LOG.error("Building what to write instead of {} failed", write.what(), e);
            return Optional.empty();
        }
    }

    private void run(Runnable action, long delayMillis) {
        try {
            timer.schedule(action, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // Shutting down: the outcome stays unfinished and its delivery is read again after a restart.
            // Said once: with the broker gone every delivery in flight comes here.
            if (toldClosed.compareAndSet(false, true)) {
                LOG.info("Not sending outcome writes again after close; their deliveries will be read again after a restart");
            }
        }
    }

    /**
     * Whether a write that lands without having waited may send the waiting ones at once: once per
     * longest pause. Writes failing for a reason of their own (one topic's partition without a
     * leader) while the others land are then not sent again at the rate the others land.
     */
    private boolean wakeDue() {
        long now = System.nanoTime();
        long last = lastWake.get();
        return now - last >= LONGEST_PAUSE_NANOS && lastWake.compareAndSet(last, now);
    }

    /** Whether this write's failure starts a period of failing writes. */
    private boolean startedWaiting(Throwable cause) {
        if (waiting.getAndIncrement() == 0) {
            failing.set(new Failing(clock.instant(), cause.toString()));
            return true;
        }
        return false;
    }

    private void stoppedWaiting() {
        if (waiting.decrementAndGet() == 0) {
            Failing was = failing.getAndSet(null);
            if (was != null) {
                LOG.info("Outcome writes land again after failing since {}", was.since());
            }
        }
    }

    /**
     * Whether a failed write may succeed if sent again: a passing state of the broker or the
     * registry, or access being fixed (refusing access for good would lose the record).
     */
    static boolean passes(Throwable failure) {
        return failure instanceof RetriableException || failure instanceof AuthorizationException
                || failure instanceof AuthenticationException || RegistryFailures.isInfrastructure(failure);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Writes waiting to be sent again are abandoned: their deliveries stay unfinished and are read again. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
