package io.callhook.dispatcher.engine;

import java.time.Duration;

/**
 * How much waiting work one lane may hold while the dispatcher's buffer is filling: what its
 * endpoint is expected to take within {@code maxBacklog}, judged by its rate limit and how long its
 * responses take. A lane that is slow (answers late, or not at all) or rate-limited would
 * otherwise fill the shared buffer with requests it cannot send for minutes, and the consumer,
 * paused for everyone, would stop every other endpoint. Pure: the engine passes what it measured.
 *
 * @param maxBacklog how much of an endpoint's work a lane may hold ({@link EngineConfig#laneMaxBacklog()})
 */
record LaneBacklog(Duration maxBacklog) {

    /**
     * Requests per second the endpoint is expected to take, or infinity when nothing says it is slow.
     *
     * @param rateLimit    the subscription's limit per second, or null
     * @param inFlightCap  how many requests the lane may have open at once
     * @param latencyNanos recent response time (moving average), 0 when none was measured yet
     * @param stalledNanos how long the lane has had requests open without any finishing, 0 when none are open
     */
    static double expectedRate(Integer rateLimit, int inFlightCap, double latencyNanos, long stalledNanos) {
        double slowest = Math.max(latencyNanos, stalledNanos);
        double byLatency = slowest <= 0 ? Double.POSITIVE_INFINITY : inFlightCap / (slowest / 1e9);
        return rateLimit == null ? byLatency : Math.min(rateLimit, byLatency);
    }

    /** How many waiting requests a lane taking {@code rate} per second may hold: at least one. */
    int allowance(double rate) {
        if (Double.isInfinite(rate)) {
            return Integer.MAX_VALUE;
        }
        double seconds = maxBacklog.toNanos() / 1e9;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(rate * seconds)));
    }

    /** How long {@code waiting} requests take a lane taking {@code rate} per second. */
    static Duration timeFor(int waiting, double rate) {
        if (Double.isInfinite(rate) || rate <= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil(waiting / rate * 1e9));
    }
}
