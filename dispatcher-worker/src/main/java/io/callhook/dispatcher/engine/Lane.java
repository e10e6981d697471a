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

    /** Seconds of saturation the measured pace covers, roughly: older measurements fade. */
    private static final double PACE_WINDOW_NANOS = 10e9;
    /** Saturated time needed before the pace is trusted. */
    private static final double PACE_MIN_NANOS = 1e9;

    final String subscriptionId;
    final Context context;
    final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    final CircuitBreaker breaker;
    TokenBucket bucket;
    int inFlight;
    boolean drainScheduled;
    long lastActiveNanos;
    /** When the lane last had all its in-flight slots taken; -1 while it has room. */
    private long saturatedSinceNanos = -1;
    /** Time spent with every in-flight slot taken, and requests finished meanwhile (both fading). */
    private double saturatedNanos;
    private double finishedWhileSaturated;
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

    void started(long nowNanos, int inFlightCap) {
        inFlight++;
        if (inFlight >= inFlightCap && saturatedSinceNanos < 0) {
            saturatedSinceNanos = nowNanos;
        }
    }

    void finished(long nowNanos, int inFlightCap) {
        if (saturatedSinceNanos >= 0) {
            saturatedNanos += nowNanos - saturatedSinceNanos;
            finishedWhileSaturated++;
            saturatedSinceNanos = inFlight - 1 >= inFlightCap ? nowNanos : -1;
            if (saturatedNanos > PACE_WINDOW_NANOS) {
                saturatedNanos /= 2;
                finishedWhileSaturated /= 2;
            }
        }
        inFlight--;
    }

    /**
     * Requests per second the endpoint takes when the lane gives it all it may, measured only
     * while every in-flight slot was taken (so a lane with little to send is not taken for a slow
     * one), over roughly the last {@value #PACE_WINDOW_NANOS} ns of it, the current stretch
     * included: an endpoint that stopped answering is seen slowing down while it is silent.
     * Infinity until a second of it has been seen.
     */
    double pace(long nowNanos) {
        double observed = saturatedNanos + (saturatedSinceNanos < 0 ? 0 : nowNanos - saturatedSinceNanos);
        return observed < PACE_MIN_NANOS ? Double.POSITIVE_INFINITY : finishedWhileSaturated / (observed / 1e9);
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
