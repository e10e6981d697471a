package io.callhook.dispatcher.retry;

import io.callhook.duration.DurationText;
import io.callhook.service.ConfigKey;
import io.callhook.service.Parsed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before each retry of a failed webhook: the n-th entry is the delay before the
 * n-th retry, counted after the first attempt. When the entries run out the webhook is given up
 * (dead-lettered).
 *
 * <p>The default is Svix's: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, i.e. 8 retries
 * spread over about 27.5 hours, long enough to ride out a receiver's bad day without keeping a
 * call's webhook for ever. In config it is written {@value #DEFAULT_TEXT}.
 *
 * <p>Each delay is jittered by ±{@value #JITTER_PERCENT}% so that the many webhooks failing
 * together during a receiver's outage do not all come back in the same second when it recovers.
 * Randomness comes in as a {@link DoubleSupplier}, so tests choose it and the schedule stays a
 * pure function.
 *
 * <p>Immutable; equal when the delays are.
 */
public final class RetrySchedule {

    // Constants used by of() come first: DEFAULT below is built while the class initialises.

    /**
     * The longest delay allowed. A waiting retry sits in a Kafka tier topic; with jitter this
     * delay becomes at most 6 days, inside Kafka's default retention of 7 days, past which the
     * broker would delete the record before it is due.
     */
    public static final Duration MAX_DELAY = Duration.ofDays(5);

    /** Jitter either way, in percent of the nominal delay. */
    public static final int JITTER_PERCENT = 20;

    private static final double JITTER = JITTER_PERCENT / 100.0;

    /** Svix's schedule as config text. */
    public static final String DEFAULT_TEXT = "0s,5s,5m,30m,2h,5h,10h,10h";

    /** Svix's schedule: {@value #DEFAULT_TEXT}. */
    public static final RetrySchedule DEFAULT = of(List.of(Duration.ZERO, Duration.ofSeconds(5),
            Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5),
            Duration.ofHours(10), Duration.ofHours(10)));

    /** The schedule as a config key, for the dispatcher's config. */
    public static final ConfigKey<RetrySchedule> KEY = ConfigKey.of("callhook.retry.schedule",
            "Delays before each retry after the first attempt, comma-separated (units ms, s, m, h); "
                    + "one retry tier topic exists per distinct delay. Default: Svix's schedule.",
            RetrySchedule::parse).withDefault(DEFAULT_TEXT);

    private final List<Duration> delays;
    private final RetryTiers tiers;

    private RetrySchedule(List<Duration> delays) {
        this.delays = delays;
        this.tiers = RetryTiers.of(delays);
    }

    /**
     * A schedule of the given delays.
     *
     * @throws IllegalArgumentException if there are none, or one is negative, finer than a
     *                                  millisecond or longer than {@link #MAX_DELAY}
     */
    public static RetrySchedule of(List<Duration> delays) {
        List<Duration> copy = List.copyOf(delays);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a retry schedule needs at least one delay");
        }
        for (int i = 0; i < copy.size(); i++) {
            String problem = problem(copy.get(i));
            if (problem != null) {
                throw new IllegalArgumentException("retry delay " + (i + 1) + " (" + copy.get(i) + ") " + problem);
            }
        }
        return new RetrySchedule(copy);
    }

    /**
     * Reads config text such as {@value #DEFAULT_TEXT}: comma-separated delays, blanks around
     * entries ignored. Usable as a service-kit {@code ValueParser}.
     *
     * @return the schedule, or the problem naming the first bad entry by position and text
     */
    public static Parsed<RetrySchedule> parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            return Parsed.invalid("is empty: give at least one delay, e.g. " + DEFAULT_TEXT);
        }
        String[] entries = text.split(",", -1); // -1 keeps trailing empty entries, to refuse them
        List<Duration> delays = new ArrayList<>(entries.length);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            if (entry.isEmpty()) {
                return Parsed.invalid("has an empty entry " + (i + 1) + " (entries are separated by single commas)");
            }
            DurationText.Reading delay = DurationText.parse(entry);
            String problem = delay.isValid() ? problem(delay.duration()) : delay.problem();
            if (problem != null) {
                return Parsed.invalid("has entry " + (i + 1) + " '" + entry + "', which " + problem);
            }
            delays.add(delay.duration());
        }
        return Parsed.ok(new RetrySchedule(List.copyOf(delays)));
    }

    private static String problem(Duration delay) {
        if (delay.isNegative()) {
            return "is negative";
        }
        if (delay.getNano() % 1_000_000 != 0) {
            return "is not a whole number of milliseconds";
        }
        if (delay.compareTo(MAX_DELAY) > 0) {
            return "is longer than the maximum of " + DurationText.format(MAX_DELAY)
                    + " (with jitter it must stay within Kafka's default retention of 7 days)";
        }
        return null;
    }

    /** How many retries follow the first attempt. */
    public int retries() {
        return delays.size();
    }

    /** The nominal delays, in retry order. */
    public List<Duration> delays() {
        return delays;
    }

    /** The retry tiers: one per distinct delay. */
    public RetryTiers tiers() {
        return tiers;
    }

    /**
     * The delay before a retry, without jitter.
     *
     * @param retryNumber 1 for the first retry (the second attempt)
     * @return empty when the schedule has no such retry
     */
    public Optional<Duration> nominalDelay(int retryNumber) {
        if (retryNumber < 1) {
            throw new IllegalArgumentException("retryNumber is 1-based, was " + retryNumber);
        }
        return retryNumber <= delays.size() ? Optional.of(delays.get(retryNumber - 1)) : Optional.empty();
    }

    /**
     * The delay before a retry, jittered uniformly within ±{@value #JITTER_PERCENT}% of the
     * nominal delay (to the millisecond). A zero delay stays zero: "immediately" means it.
     *
     * @param retryNumber 1 for the first retry (the second attempt)
     * @param random      a value in [0, 1], e.g. {@code ThreadLocalRandom.current()::nextDouble};
     *                    0 gives 80% of the nominal delay, 0.5 exactly it, 1 gives 120%
     * @return empty when the schedule is exhausted
     * @throws IllegalArgumentException if {@code retryNumber < 1} or the random value is outside [0, 1]
     */
    public Optional<Duration> delayBeforeRetry(int retryNumber, DoubleSupplier random) {
        Objects.requireNonNull(random, "random");
        return nominalDelay(retryNumber).map(nominal -> jittered(nominal, random.getAsDouble()));
    }

    private static Duration jittered(Duration nominal, double random) {
        if (!(random >= 0.0 && random <= 1.0)) { // written so NaN fails too
            throw new IllegalArgumentException("random must be within [0, 1], was " + random);
        }
        double factor = 1.0 - JITTER + 2 * JITTER * random;
        return Duration.ofMillis(Math.round(nominal.toMillis() * factor));
    }

    /** The schedule as config text, e.g. {@value #DEFAULT_TEXT}; {@link #parse} reads it back. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Duration delay : delays) {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(DurationText.format(delay));
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RetrySchedule schedule && delays.equals(schedule.delays);
    }

    @Override
    public int hashCode() {
        return delays.hashCode();
    }
}
