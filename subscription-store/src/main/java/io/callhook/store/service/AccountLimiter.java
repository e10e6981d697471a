package io.callhook.store.service;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per account for something costly an account may ask for (test calls,
 * replays): a tenant that asks too often waits, the others do not notice. Asking costs nothing
 * but a map lookup, so a refused caller never takes a worker thread.
 */
public final class AccountLimiter {

    /** Buckets kept before full ones are dropped (a full bucket is the same as no bucket). */
    private static final int TIDY_ABOVE = 10_000;

    private final String what;
    private final RateLimit limit;
    private final Clock clock;
    private final Map<Long, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param what the action, as the refusal names it, e.g. "test calls" */
    public AccountLimiter(String what, RateLimit limit, Clock clock) {
        this.what = what;
        this.limit = limit;
        this.clock = clock;
    }

    /** Takes one token of the account's bucket, or says how long until one is there. */
    public Admission tryAcquire(long accountId) {
        if (buckets.size() > TIDY_ABOVE) {
            tidy();
        }
        Bucket bucket = buckets.computeIfAbsent(accountId, id -> new Bucket(limit.count(), clock.millis()));
        synchronized (bucket) {
            bucket.refill(clock.millis(), limit);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return new Admission.Allowed();
            }
            double perMilli = limit.count() / (double) limit.period().toMillis();
            Duration wait = Duration.ofMillis((long) Math.ceil((1 - bucket.tokens) / perMilli));
            return new Admission.Limited(wait, "too many " + what + ": at most " + limit.describe() + " per account; try again in "
                    + Math.max(1, (wait.toMillis() + 999) / 1000) + " s");
        }
    }

    private void tidy() {
        long now = clock.millis();
        buckets.entrySet().removeIf(entry -> {
            synchronized (entry.getValue()) {
                entry.getValue().refill(now, limit);
                return entry.getValue().tokens >= limit.count();
            }
        });
    }

    /** Whether an account may go ahead now. */
    public sealed interface Admission {

        record Allowed() implements Admission {
        }

        /** @param retryAfter how long until the account may ask again; {@code message} says so to the client */
        record Limited(Duration retryAfter, String message) implements Admission {
        }
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        void refill(long now, RateLimit limit) {
            double added = (now - refilledAt) * limit.count() / (double) limit.period().toMillis();
            tokens = Math.min(limit.count(), tokens + added);
            refilledAt = now;
        }
    }
}
