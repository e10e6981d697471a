package io.callhook.dispatcher.engine;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Context;
import java.util.ArrayDeque;

/**
 * One subscription's endpoint inside the engine: its queue (requests leave in the order they
 * came), how many are open, its circuit breaker and rate limit, how fast its endpoint answers,
 * and the destination connection it may have been handed. Lanes never wait for each other,
 * except in turn for a shared destination's connections ({@link DestinationSlots}), which is
 * what keeps a slow endpoint from holding back the rest. Touched only on its own Vert.x context.
 */
final class Lane {

    /** Weight of the newest response time in the moving average. */
    private static final double LATENCY_WEIGHT = 0.2;

    final String subscriptionId;
    final Context context;
    final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    final CircuitBreaker breaker;
    TokenBucket bucket;
    int inFlight;
    boolean drainScheduled;
    long lastActiveNanos;
    /** Moving average of response times; 0 until one is measured. */
    double latencyNanos;
    /** When a request of this lane last finished, or when it last started from idle. */
    long lastProgressNanos;
    /** The destination of a connection slot handed to this lane and not used yet; null when none. */
    String grantedSlot;
    /** Queued for a destination's connection: nothing is tried until it is handed one. */
    boolean waitingForSlot;
    /** The URL whose destination {@link #destination} is, so that it is parsed once per URL. */
    private String destinationUrl;
    private String destination;

    Lane(String subscriptionId, Context context, CircuitBreaker breaker, long nowNanos) {
        this.subscriptionId = subscriptionId;
        this.context = context;
        this.breaker = breaker;
        this.lastActiveNanos = nowNanos;
    }

    boolean isIdle() {
        return queue.isEmpty() && inFlight == 0 && !drainScheduled && grantedSlot == null && !waitingForSlot;
    }

    void started(long nowNanos) {
        if (inFlight == 0) {
            lastProgressNanos = nowNanos;
        }
        inFlight++;
    }

    void finished(long latency, long nowNanos) {
        inFlight--;
        latencyNanos = latencyNanos == 0 ? latency : (1 - LATENCY_WEIGHT) * latencyNanos + LATENCY_WEIGHT * latency;
        lastProgressNanos = nowNanos;
    }

    /** How long requests have been open without any finishing; 0 when none is open. */
    long stalledNanos(long nowNanos) {
        return inFlight == 0 ? 0 : nowNanos - lastProgressNanos;
    }

    /** The destination (scheme, host, port) of a URL, remembered for the URL last asked about. */
    String destinationOf(String url) {
        if (!url.equals(destinationUrl)) {
            destination = DestinationSlots.destinationOf(url);
            destinationUrl = url;
        }
        return destination;
    }
}
