package io.callhook.demo.traffic;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What the generator produces.
 *
 * @param callsPerSecond    average calls begun per second (the demo's {@code --rate}), above 0 and at
 *                          most {@link #MAX_RATE}; arrivals are random (a Poisson process), so
 *                          seconds vary around it
 * @param accounts          account ids the calls belong to, picked uniformly; an account's
 *                          product follows {@code Traffic.productOf} (odd: CallKeeper, even: Calltracking)
 * @param withoutVisitor    share of calls, 0..1, whose caller the site tracker did not see (no
 *                          visitor id, no visit published): calls straight from an ad or a card
 * @param visitLead         how long after the visit is on the broker the call starts; a visitor
 *                          browses before calling, and the enricher needs a moment to put the visit
 *                          in its table, or the webhook goes out without it
 * @param minCallLength     shortest time from a call's STARTED to its ENDED
 * @param maxCallLength     longest; ENDED comes after a uniform draw between the two
 * @param seed              seed of the generator's own choices (account, visitor, timing)
 */
public record TrafficSettings(double callsPerSecond, List<Long> accounts, double withoutVisitor, Duration visitLead,
                              Duration minCallLength, Duration maxCallLength, long seed) {

    /**
     * Highest rate. Call ids follow the clock in milliseconds ({@code max(previous + 1, now)}), so
     * they stay unique across restarts as long as calls are not begun faster than one per millisecond.
     */
    public static final double MAX_RATE = 1000;

    /** Above this rate calls are short, so the calls open at once (and their pending ENDED) stay few. */
    public static final double BUSY_RATE = 50;

    public TrafficSettings {
        if (!(callsPerSecond > 0 && callsPerSecond <= MAX_RATE)) {
            throw new IllegalArgumentException("calls per second must be above 0 and at most " + MAX_RATE + ", was " + callsPerSecond);
        }
        Objects.requireNonNull(accounts, "accounts");
        accounts = List.copyOf(accounts);
        if (accounts.isEmpty()) {
            throw new IllegalArgumentException("at least one account is needed");
        }
        if (!(withoutVisitor >= 0 && withoutVisitor <= 1)) {
            throw new IllegalArgumentException("the share of calls without visitor must be 0..1, was " + withoutVisitor);
        }
        requireNotNegative(visitLead, "visitLead");
        requireNotNegative(minCallLength, "minCallLength");
        requireNotNegative(maxCallLength, "maxCallLength");
        if (minCallLength.compareTo(maxCallLength) > 0) {
            throw new IllegalArgumentException("minCallLength " + minCallLength + " is above maxCallLength " + maxCallLength);
        }
    }

    /**
     * The demo's defaults for a rate: 15 % of calls without visitor; calls last 2–20 s with the
     * visit 1 s before, or, above {@link #BUSY_RATE}, 0.5–2 s with the visit 0.5 s before.
     */
    public static TrafficSettings of(double callsPerSecond, Collection<Long> accounts) {
        boolean busy = callsPerSecond > BUSY_RATE;
        return new TrafficSettings(callsPerSecond, List.copyOf(accounts), 0.15,
                busy ? Duration.ofMillis(500) : Duration.ofSeconds(1),
                busy ? Duration.ofMillis(500) : Duration.ofSeconds(2),
                busy ? Duration.ofSeconds(2) : Duration.ofSeconds(20),
                System.nanoTime());
    }

    public TrafficSettings withCallLength(Duration min, Duration max) {
        return new TrafficSettings(callsPerSecond, accounts, withoutVisitor, visitLead, min, max, seed);
    }

    public TrafficSettings withVisitLead(Duration lead) {
        return new TrafficSettings(callsPerSecond, accounts, withoutVisitor, lead, minCallLength, maxCallLength, seed);
    }

    public TrafficSettings withWithoutVisitor(double share) {
        return new TrafficSettings(callsPerSecond, accounts, share, visitLead, minCallLength, maxCallLength, seed);
    }

    public TrafficSettings withSeed(long newSeed) {
        return new TrafficSettings(callsPerSecond, accounts, withoutVisitor, visitLead, minCallLength, maxCallLength, newSeed);
    }

    private static void requireNotNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + duration);
        }
    }
}
