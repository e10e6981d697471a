package io.callhook.dispatcher.retry;

import io.callhook.duration.DurationText;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The retry tiers: one Kafka topic ({@code <retry prefix><suffix>}, e.g.
 * {@code webhooks.retry.5m}) per distinct delay of the {@link RetrySchedule}, where failed
 * webhooks wait until they are due. The default schedule gives the tiers {@code 0s}, {@code 5s},
 * {@code 5m}, {@code 30m}, {@code 2h}, {@code 5h} and {@code 10h}.
 *
 * <p><b>Why the smallest tier at least as long as the delay.</b> A tier topic is consumed in
 * order, and each record waits there for its own due time before it is sent again; the records
 * behind it wait too. If every record in a tier is due at most the tier's nominal delay after it
 * was appended, a record is never held back for longer than that nominal delay, however the
 * records around it are timed. A record placed in a shorter tier than its delay would hold back
 * everything appended behind it until it is due (a 10-hour wait at the head of the 5-second tier
 * stalls that tier for 10 hours). Placing it in a tier at least as long as its delay keeps it
 * from blocking; at worst it waits behind records of its own tier, never longer than that tier's
 * nominal delay. A delay beyond every tier gets the largest one, which is why
 * {@link RetryDecision} keeps delays within it. ({@link RetryDecision} picks the tier by the
 * nominal delay, before jitter, so the bound there is the nominal delay plus the jitter's 20%:
 * moving a jittered 6-second retry up to the 5-minute tier would queue it behind retries due
 * minutes later.)
 *
 * <p>Suffixes are the shortest exact text of each delay ({@code 0s}, {@code 90s}, {@code 5m},
 * {@code 1500ms}): stable across restarts, one per delay, and legal in a topic name.
 *
 * <p>Immutable.
 */
public final class RetryTiers {

    /**
     * One tier.
     *
     * @param suffix the topic name suffix, e.g. {@code 5m}
     * @param delay  the tier's nominal delay
     */
    public record Tier(String suffix, Duration delay) {
        public Tier {
            Objects.requireNonNull(suffix, "suffix");
            Objects.requireNonNull(delay, "delay");
        }
    }

    private final List<Tier> tiers;

    private RetryTiers(List<Tier> tiers) {
        this.tiers = tiers;
    }

    /**
     * The tiers of a set of delays (duplicates collapse into one tier).
     *
     * @param delays at least one; none negative or finer than a millisecond
     */
    public static RetryTiers of(Collection<Duration> delays) {
        TreeSet<Duration> distinct = new TreeSet<>(delays);
        if (distinct.isEmpty()) {
            throw new IllegalArgumentException("retry tiers need at least one delay");
        }
        if (distinct.first().isNegative()) {
            throw new IllegalArgumentException("a retry tier delay must not be negative: " + distinct.first());
        }
        for (Duration delay : distinct) {
            if (delay.getNano() % 1_000_000 != 0) {
                throw new IllegalArgumentException("a retry tier delay must be whole milliseconds: " + delay);
            }
        }
        return new RetryTiers(distinct.stream().map(d -> new Tier(suffixOf(d), d)).toList());
    }

    /** The topic name suffix of a delay, e.g. {@code 5m} for five minutes, {@code 0s} for zero. */
    public static String suffixOf(Duration delay) {
        return DurationText.format(delay);
    }

    /** The tiers, shortest first. */
    public List<Tier> all() {
        return tiers;
    }

    /** The suffixes, shortest delay first: what the dispatcher subscribes to and provisions. */
    public List<String> suffixes() {
        return tiers.stream().map(Tier::suffix).toList();
    }

    /** The tier with the longest nominal delay. */
    public Tier largest() {
        return tiers.get(tiers.size() - 1);
    }

    /**
     * The tier a retry waiting {@code delay} goes to: the smallest whose nominal delay is at
     * least {@code delay}, or the largest when {@code delay} exceeds them all (see the class
     * comment for why).
     *
     * @param delay how long the retry waits; not negative
     * @return the tier's suffix
     */
    public String tierFor(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        for (Tier tier : tiers) {
            if (tier.delay().compareTo(delay) >= 0) {
                return tier.suffix();
            }
        }
        return largest().suffix();
    }

    @Override
    public String toString() {
        return "RetryTiers" + suffixes();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RetryTiers that && tiers.equals(that.tiers);
    }

    @Override
    public int hashCode() {
        return tiers.hashCode();
    }
}
