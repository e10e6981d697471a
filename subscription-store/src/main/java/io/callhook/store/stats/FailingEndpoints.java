package io.callhook.store.stats;

import java.time.Instant;

/**
 * Where the counters report endpoints that should no longer be sent to: one that has failed every
 * attempt for the auto-disable period, and one that answered 410 Gone. The counters run on a
 * stream thread and must not wait: an implementation takes the report and acts on it elsewhere
 * (the store, the one writer of the subscriptions topic, disables the subscription on its current
 * record). A failing endpoint is reported again at each later failure until it is disabled, so a
 * report lost to a crash is made good by the next failure; a 410 likewise by the next 410.
 */
public interface FailingEndpoints {

    /** Nothing is ever disabled. */
    FailingEndpoints NONE = new FailingEndpoints() {
        @Override
        public void failingTooLong(String subscriptionId, Instant failingSince, Instant latestFailure) {
        }

        @Override
        public void gone(String subscriptionId, String gone, Instant attemptStarted) {
        }
    };

    /**
     * @param failingSince  start of the first failed attempt after the last success
     * @param latestFailure start of the failed attempt just counted
     */
    void failingTooLong(String subscriptionId, Instant failingSince, Instant latestFailure);

    /**
     * The subscription's current URL answered 410 Gone (the dispatcher checked it was the current
     * one when it sent).
     *
     * @param gone           what the attempt says of it, e.g. "410 Gone from https://crm.example.com/hook"
     * @param attemptStarted when that attempt began: a change of the subscription after it wins
     */
    void gone(String subscriptionId, String gone, Instant attemptStarted);
}
