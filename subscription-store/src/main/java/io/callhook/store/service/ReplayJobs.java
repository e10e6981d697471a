package io.callhook.store.service;

import io.callhook.domain.DeadLetterReplayer.ReplayResult;
import io.callhook.domain.DeadLetterReplayer.ReplayScope;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Dead-letter replays as jobs, run on threads of their own (never the API's worker pool), at
 * most one per account at a time. Asking for the replay that is running already joins it
 * instead of sending its letters again; asking for another while one runs is refused, and so is
 * asking more often than the account's {@link AccountLimiter} allows. Jobs stay findable by id
 * for {@link #KEEP_FINISHED} after they end.
 */
public final class ReplayJobs implements AutoCloseable {

    static final Duration KEEP_FINISHED = Duration.ofHours(1);
    /** Replays waiting for a thread, all accounts together, before more are refused. */
    static final int QUEUE = 64;

    /** Runs one replay; blocking. */
    @FunctionalInterface
    public interface Runner {
        ReplayResult run(ReplayScope scope, String replayId);
    }

    private final Runner runner;
    private final AccountLimiter limiter;
    private final Clock clock;
    private final ThreadPoolExecutor executor;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, ReplayJob> running = new LinkedHashMap<>();
    private final Map<String, ReplayJob> byId = new LinkedHashMap<>();

    public ReplayJobs(Runner runner, AccountLimiter limiter, int threads, Clock clock) {
        this.runner = runner;
        this.limiter = limiter;
        this.clock = clock;
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), task -> {
            Thread thread = new Thread(task, "replay-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** How a request for a replay was taken. */
    public sealed interface Admission {

        /** A new job. */
        record Started(ReplayJob job) implements Admission {
        }

        /** The same replay was running already: this is it. */
        record Joined(ReplayJob job) implements Admission {
        }

        /** Another replay of the account is running (409). */
        record Busy(ReplayJob running) implements Admission {
        }

        /** The account asked too often (429). */
        record Limited(Duration retryAfter, String message) implements Admission {
        }

        /** Every replay thread is taken and the queue is full (503). */
        record Full() implements Admission {
        }
    }

    /**
     * Starts a replay for the account, or says why not.
     *
     * @param request what identifies "the same replay" to the client: its request as sent
     */
    public synchronized Admission start(long accountId, String request, ReplayScope scope) {
        forgetOldJobs();
        ReplayJob current = running.get(accountId);
        if (current != null) {
            return current.request().equals(request) ? new Admission.Joined(current) : new Admission.Busy(current);
        }
        if (executor.getQueue().remainingCapacity() == 0) {
            return new Admission.Full();
        }
        if (limiter.tryAcquire(accountId) instanceof AccountLimiter.Admission.Limited limited) {
            return new Admission.Limited(limited.retryAfter(), limited.message());
        }
        ReplayJob job = new ReplayJob(newId(), accountId, request, scope, clock.instant(), new CompletableFuture<>());
        try {
            executor.execute(() -> run(job));
        } catch (RejectedExecutionException full) {
            return new Admission.Full();
        }
        running.put(accountId, job);
        byId.put(job.id(), job);
        return new Admission.Started(job);
    }

    /** A job by id, while it runs and for a while after. */
    public synchronized Optional<ReplayJob> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    private void run(ReplayJob job) {
        ReplayResult result = null;
        RuntimeException failure = null;
        try {
            result = runner.run(job.scope(), job.id());
        } catch (RuntimeException e) {
            failure = e;
        }
        // Not running any more before anyone hears it ended: the account may start its next one at once.
        synchronized (this) {
            job.finished(clock.instant());
            running.remove(job.accountId(), job);
        }
        if (failure == null) {
            job.result().complete(result);
        } else {
            job.result().completeExceptionally(failure);
        }
    }

    private void forgetOldJobs() {
        Instant cutoff = clock.instant().minus(KEEP_FINISHED);
        byId.values().removeIf(job -> job.finishedAt().map(cutoff::isAfter).orElse(false));
    }

    private String newId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "rpl_" + HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** One replay: what it covers and, once it ends, how it went. */
    public static final class ReplayJob {
        private final String id;
        private final long accountId;
        private final String request;
        private final ReplayScope scope;
        private final Instant startedAt;
        private final CompletableFuture<ReplayResult> result;
        private volatile Instant finishedAt;

        ReplayJob(String id, long accountId, String request, ReplayScope scope, Instant startedAt,
                  CompletableFuture<ReplayResult> result) {
            this.id = id;
            this.accountId = accountId;
            this.request = request;
            this.scope = scope;
            this.startedAt = startedAt;
            this.result = result;
        }

        public String id() {
            return id;
        }

        public long accountId() {
            return accountId;
        }

        String request() {
            return request;
        }

        public ReplayScope scope() {
            return scope;
        }

        public Instant startedAt() {
            return startedAt;
        }

        /** Completes when the replay ends; exceptionally when it failed. */
        public CompletableFuture<ReplayResult> result() {
            return result;
        }

        public Optional<Instant> finishedAt() {
            return Optional.ofNullable(finishedAt);
        }

        void finished(Instant at) {
            finishedAt = at;
        }
    }
}
