package io.callhook.dispatcher.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * What happens after a failed delivery attempt: retry at a time, through a tier topic, or give up.
 * {@link #decide} is a pure function of its arguments: no clock, and randomness only through the
 * supplier passed in.
 */
public sealed interface RetryDecision {

    /**
     * Retry at {@code due}, waiting in the tier topic with suffix {@code tier}.
     *
     * @param due  the earliest time of the next attempt ({@code WebhookRequest.notBefore})
     * @param tier suffix of the retry tier topic, one of {@link RetryTiers#suffixes()}
     */
    record RetryAt(Instant due, String tier) implements RetryDecision {
        public RetryAt {
            Objects.requireNonNull(due, "due");
            Objects.requireNonNull(tier, "tier");
        }
    }

    /**
     * The schedule has no retry left: dead-letter the webhook.
     *
     * @param attempts attempts made, the first included
     */
    record Exhausted(int attempts) implements RetryDecision {
    }

    /**
     * Decides the next step after a failed attempt.
     *
     * <ul>
     *   <li>Attempt n failed → retry n of the schedule; none left → {@link Exhausted}.</li>
     *   <li>Delay: the schedule's jittered delay. For 429 and 503 with a valid
     *       {@code Retry-After}, the longer of that and the header's wait, clamped by
     *       {@link RetryAfter#clamp(Duration)}: the receiver knows when it will cope again, and
     *       the schedule still spaces out our own attempts.</li>
     *   <li>Every other kind (other statuses, timeout, connect error, open circuit) follows the
     *       schedule alone.</li>
     *   <li>Tier: {@link RetryTiers#tierFor} of the delay before jitter, so jitter never moves a
     *       retry into a much longer tier where it would queue behind records due far later.</li>
     *   <li>A {@code Retry-After} longer than the largest tier is shortened to it. The tier
     *       topics are consumed in order, so a record waiting beyond its tier's delay would hold
     *       back every record behind it (see {@link RetryTiers}). With the default schedule that
     *       caps a header's wait at 10 hours.</li>
     * </ul>
     *
     * <p>So each retry waits at most its tier's nominal delay plus {@value RetrySchedule#JITTER_PERCENT}%.
     *
     * @param attemptsSoFar attempts made since the schedule started, the failed one included; at least 1
     * @param failure       how the last attempt failed
     * @param schedule      the retry schedule (its tiers name the topics)
     * @param now           when the last attempt failed
     * @param random        values in [0, 1] for jitter, e.g. {@code ThreadLocalRandom.current()::nextDouble}
     * @throws IllegalArgumentException if {@code attemptsSoFar < 1} or the random value is outside [0, 1]
     */
    static RetryDecision decide(int attemptsSoFar, FailureKind failure, RetrySchedule schedule, Instant now,
                                DoubleSupplier random) {
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(now, "now");
        if (attemptsSoFar < 1) {
            throw new IllegalArgumentException("attemptsSoFar counts the failed attempt, so it is at least 1, was "
                    + attemptsSoFar);
        }
        Optional<Duration> nominal = schedule.nominalDelay(attemptsSoFar);
        if (nominal.isEmpty()) {
            return new Exhausted(attemptsSoFar);
        }
        Duration jittered = schedule.delayBeforeRetry(attemptsSoFar, random).orElseThrow();
        RetryTiers tiers = schedule.tiers();
        Duration asked = receiverWait(failure, now, tiers.largest().delay());
        Duration delay = longer(jittered, asked);
        return new RetryAt(now.plus(delay), tiers.tierFor(longer(nominal.get(), asked)));
    }

    /** The clamped {@code Retry-After} wait where it counts, else zero. */
    private static Duration receiverWait(FailureKind failure, Instant now, Duration largestTier) {
        if (failure instanceof FailureKind.HttpStatus http && http.honoursRetryAfter()) {
            return http.retryAfter()
                    .flatMap(value -> RetryAfter.parse(value, now))
                    .map(RetryAfter::clamp)
                    .map(wait -> wait.compareTo(largestTier) > 0 ? largestTier : wait)
                    .orElse(Duration.ZERO);
        }
        return Duration.ZERO;
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
