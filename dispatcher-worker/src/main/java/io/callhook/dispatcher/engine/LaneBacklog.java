package io.callhook.dispatcher.engine;

import java.time.Duration;

/**
 * How much waiting work one lane may hold while the dispatcher's buffer is filling: what its
 * endpoint is expected to take within {@code maxBacklog}, judged by its rate limit and how long its
 * responses take. A lane that is slow (answers late, or not at all) or rate-limited would
 * otherwise fill the shared buffer with requests it cannot send for minutes, and the consumer,
 * paused for everyone, would stop every other endpoint. Pure: the engine passes what it measured.
 * What is shed waits {@code maxBacklog} in a retry tier: about the time the lane takes for what it keeps.
 *
 * @param maxBacklog how much of an endpoint's work a lane may hold ({@link EngineConfig#laneMaxBacklog()})
 */
record LaneBacklog(Duration maxBacklog) {

    /**
     * A lane that does this share of all the engine delivers, or more, is held back by the engine
     * (its CPU, the consumer), not by its endpoint: its pace says nothing about the endpoint.
     */
    static final double SLOW_SHARE = 0.1;

    /**
     * Requests per second the endpoint is expected to take: its rate limit, or its measured pace
     * ({@link Lane#pace}) if slower and the lane is slow next to the engine as a whole (below
     * {@link #SLOW_SHARE} of {@code enginePace}); infinity when nothing says it is slow. A machine
     * short of CPU slows every lane alike: deferring work would then only add writes, and the
     * consumer's pause is the right back-pressure.
     *
     * @param rateLimit  the subscription's limit per second, or null
     * @param pace       the lane's measured pace, infinity when unknown
     * @param enginePace requests per second the engine finishes, all lanes together
     */
    static double expectedRate(Integer rateLimit, double pace, double enginePace) {
        double measured = pace < SLOW_SHARE * enginePace ? pace : Double.POSITIVE_INFINITY;
        return rateLimit == null ? measured : Math.min(rateLimit, measured);
    }

    /** How many waiting requests a lane taking {@code rate} per second may hold: at least one. */
    int allowance(double rate) {
        if (Double.isInfinite(rate)) {
            return Integer.MAX_VALUE;
        }
        double seconds = maxBacklog.toNanos() / 1e9;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(rate * seconds)));
    }

}
