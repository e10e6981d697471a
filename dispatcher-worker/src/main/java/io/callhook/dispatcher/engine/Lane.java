package io.callhook.dispatcher.engine;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Context;
import java.util.ArrayDeque;

/**
 * One subscription's endpoint inside the engine: its queue (requests leave in the order they
 * came), how many are open, its circuit breaker and rate limit. Lanes never wait for each other,
 * which is what keeps a slow endpoint from holding back the rest. Touched only on its own
 * Vert.x context.
 */
final class Lane {

    final String subscriptionId;
    final Context context;
    final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    final CircuitBreaker breaker;
    TokenBucket bucket;
    int inFlight;
    boolean drainScheduled;
    long lastActiveNanos;

    Lane(String subscriptionId, Context context, CircuitBreaker breaker, long nowNanos) {
        this.subscriptionId = subscriptionId;
        this.context = context;
        this.breaker = breaker;
        this.lastActiveNanos = nowNanos;
    }

    boolean isIdle() {
        return queue.isEmpty() && inFlight == 0 && !drainScheduled;
    }
}
