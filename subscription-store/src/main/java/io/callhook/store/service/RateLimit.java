package io.callhook.store.service;

import io.callhook.service.Parsed;
import io.callhook.service.Parsers;
import io.callhook.service.ValueParser;
import java.time.Duration;

/**
 * How often an account may do something: {@code count} times per {@code period}, all at once if
 * it likes (a token bucket holding {@code count}, refilled evenly over {@code period}). Written
 * {@code count/period} in config, e.g. {@code 10/1m}.
 */
public record RateLimit(int count, Duration period) {

    public RateLimit {
        if (count < 1 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("a rate limit needs a count of 1 or more and a period longer than 0");
        }
    }

    /** Parses {@code count/period}, e.g. {@code 10/1m} or {@code 6/1h}. */
    public static ValueParser<RateLimit> parser() {
        String expected = "is not a rate such as 10/1m (a count from 1 to 100000, '/', a duration with unit ms, s, m or h)";
        ValueParser<Integer> counts = Parsers.intInRange(1, 100_000);
        ValueParser<Duration> periods = Parsers.duration();
        return raw -> {
            int slash = raw.indexOf('/');
            if (slash < 0) {
                return Parsed.invalid(expected);
            }
            Parsed<Integer> count = counts.parse(raw.substring(0, slash).strip());
            Parsed<Duration> period = periods.parse(raw.substring(slash + 1).strip());
            if (count instanceof Parsed.Ok<Integer> c && period instanceof Parsed.Ok<Duration> p && !p.value().isZero()) {
                return Parsed.ok(new RateLimit(c.value(), p.value()));
            }
            return Parsed.invalid(expected);
        };
    }

    /** As written in config and told to clients: {@code 10 per 1m}. */
    public String describe() {
        return count + " per " + text(period);
    }

    private static String text(Duration period) {
        if (period.toMillis() % 3_600_000 == 0) {
            return period.toHours() + "h";
        }
        if (period.toMillis() % 60_000 == 0) {
            return period.toMinutes() + "m";
        }
        return period.toMillis() % 1000 == 0 ? period.toSeconds() + "s" : period.toMillis() + "ms";
    }
}
