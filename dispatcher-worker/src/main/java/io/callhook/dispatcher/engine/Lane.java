package io.callhook.dispatcher.engine;

import io.callhook.dispatcher.http.SendResult;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Context;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One subscription's endpoint inside the engine: its queue (requests leave in the order they
 * came), how many are open and whether another may start (the drain rule), its circuit breaker
 * and what counts against it, its rate limit, how fast its endpoint answers, and the destination
 * connection it may have been handed. Lanes never wait for each other, except in turn for a
 * shared destination's connections ({@link DestinationSlots}), which is what keeps a slow
 * endpoint from holding back the rest. Touched only on its own Vert.x context.
 */
final class Lane {

    /** Seconds of saturation the measured pace covers, roughly: older measurements fade. */
    private static final double PACE_WINDOW_NANOS = 10e9;
    /** Saturated time needed before the pace is trusted. */
    private static final double PACE_MIN_NANOS = 1e9;

    final String subscriptionId;
    final Context context;
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    private final CircuitBreaker breaker;
    private final int inFlightCap;
    private TokenBucket bucket;
    private int inFlight;
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

    /** @param inFlightCap requests the lane may have open at once */
    Lane(String subscriptionId, Context context, CircuitBreaker breaker, int inFlightCap, long nowNanos) {
        this.subscriptionId = subscriptionId;
        this.context = context;
        this.breaker = breaker;
        this.inFlightCap = inFlightCap;
        this.lastActiveNanos = nowNanos;
    }

    // --- the queue -------------------------------------------------------------------------

    void add(Delivery delivery) {
        queue.add(delivery);
    }

    /**
     * The drain rule: the next request may start when the lane is not waiting for a connection and
     * has an in-flight slot free.
     */
    boolean mayStartNext() {
        return !waitingForSlot && inFlight < inFlightCap && !queue.isEmpty();
    }

    Delivery next() {
        return queue.poll();
    }

    /** A request taken by {@link #next} that must wait: it stays first in line. */
    void putBack(Delivery delivery) {
        queue.addFirst(delivery);
    }

    int queued() {
        return queue.size();
    }

    /** The newest request, taken from the back of the line (to shed it). */
    Delivery newest() {
        return queue.pollLast();
    }

    boolean isIdle() {
        return queue.isEmpty() && inFlight == 0 && !drainScheduled && grantedSlot == null && !waitingForSlot;
    }

    // --- the rate limit ----------------------------------------------------------------------

    /**
     * Takes a token of the subscription's rate limit ({@code perSecond}, null for none, which may
     * change between calls); returns 0 when taken, else the nanoseconds until one is there.
     */
    long takeToken(Integer perSecond, long nowNanos) {
        if (perSecond == null) {
            bucket = null;
            return 0;
        }
        if (bucket == null || bucket.perSecond() != perSecond) {
            bucket = new TokenBucket(perSecond, nowNanos);
        }
        return bucket.tryTake(nowNanos) ? 0 : Math.max(1, bucket.nanosUntilNext(nowNanos));
    }

    /** Returns the token of a request that did not go after all. */
    void giveBackToken() {
        if (bucket != null) {
            bucket.giveBack();
        }
    }

    // --- the circuit breaker -----------------------------------------------------------------

    boolean tryAcquirePermission() {
        return breaker.tryAcquirePermission();
    }

    /** Gives back the permission of a request that was not sent. */
    void releasePermission() {
        breaker.releasePermission();
    }

    CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    /**
     * Endpoint health as the breaker sees it: only what the endpoint did counts. Answers other than
     * 2xx and 410, timeouts (with connection slots shared per destination, a connect timeout is a
     * real connect) and broken connections count against it; a refused address, an invalid URL, or
     * a failure of our own ({@code OTHER}) says nothing about it.
     */
    void recordAnswer(SendResult result, long nanos) {
        if (!countsAgainstEndpoint(result)) {
            breaker.releasePermission();
        } else if (result.isDelivered() || (result instanceof SendResult.Rejected rejected && rejected.status() == 410)) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        } else {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, new EndpointFailure(result.errorType()));
        }
    }

    private static boolean countsAgainstEndpoint(SendResult result) {
        if (result instanceof SendResult.ConnectionFailed failed) {
            // A switch without default: a new kind must be placed on one side or the other.
            return switch (failed.kind()) {
                case REFUSED, UNREACHABLE, RESET, DNS_FAILURE, TLS, PROTOCOL -> true;
                // RESOLVER_BUSY: our own lookup queue was full, as waiting for our own pool says nothing of the endpoint.
                case OTHER, RESOLVER_BUSY -> false;
            };
        }
        return !(result instanceof SendResult.AddressRefused || result instanceof SendResult.InvalidUrl);
    }

    // --- in flight, and the pace it shows ------------------------------------------------------

    int inFlight() {
        return inFlight;
    }

    void started(long nowNanos) {
        inFlight++;
        if (inFlight >= inFlightCap && saturatedSinceNanos < 0) {
            saturatedSinceNanos = nowNanos;
        }
    }

    void finished(long nowNanos) {
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

    /** What the breaker records for a failed call: the failure's type, no stack. */
    private static final class EndpointFailure extends RuntimeException {
        EndpointFailure(String errorType) {
            super(errorType, null, false, false);
        }
    }
}
