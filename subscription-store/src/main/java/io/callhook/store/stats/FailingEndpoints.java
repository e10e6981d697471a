package io.callhook.store.stats;

import java.time.Instant;

/**
 * Where the counters report an endpoint that has failed every attempt for the auto-disable
 * period. The counters run on a stream thread and must not wait: an implementation takes the
 * report and acts on it elsewhere (the store disables the subscription on its current record).
 * Reported again at each later failure until the subscription is disabled, so a report lost to
 * a crash is made good by the next failure.
 */
@FunctionalInterface
public interface FailingEndpoints {

    /** Nothing is ever disabled. */
    FailingEndpoints NONE = (subscriptionId, failingSince, latestFailure) -> { };

    /**
     * @param failingSince  start of the first failed attempt after the last success
     * @param latestFailure start of the failed attempt just counted
     */
    void failingTooLong(String subscriptionId, Instant failingSince, Instant latestFailure);
}
