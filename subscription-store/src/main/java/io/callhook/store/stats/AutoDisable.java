package io.callhook.store.stats;

import java.time.Duration;
import java.time.Instant;

/**
 * When an endpoint has failed for too long, and who is told.
 *
 * @param after  how long an endpoint may fail every attempt; zero never reports
 * @param report where an endpoint failing for {@code after} or longer is reported
 */
public record AutoDisable(Duration after, FailingEndpoints report) {

    /** Nothing is ever reported. */
    public static final AutoDisable NEVER = new AutoDisable(Duration.ZERO, FailingEndpoints.NONE);

    boolean isDue(Instant failingSince, Instant latestFailure) {
        return !after.isZero() && Duration.between(failingSince, latestFailure).compareTo(after) >= 0;
    }
}
