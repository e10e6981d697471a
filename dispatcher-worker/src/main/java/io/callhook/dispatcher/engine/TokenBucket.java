package io.callhook.dispatcher.engine;

/**
 * A subscription's rate limit: up to {@code perSecond} requests in any second, with bursts of
 * at most one second's worth. Not thread-safe: used on the engine's context only.
 */
final class TokenBucket {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long updatedNanos;

    TokenBucket(int perSecond, long nowNanos) {
        this.perNano = perSecond / 1e9;
        this.capacity = perSecond;
        this.tokens = perSecond;
        this.updatedNanos = nowNanos;
    }

    /** Takes a token if one is there. */
    boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Returns a token taken for a request that did not go after all. */
    void giveBack() {
        tokens = Math.min(capacity, tokens + 1);
    }

    /** Nanoseconds until the next token. */
    long nanosUntilNext(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
    }

    int perSecond() {
        return (int) capacity;
    }

    private void refill(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - updatedNanos) * perNano);
        updatedNanos = nowNanos;
    }
}
