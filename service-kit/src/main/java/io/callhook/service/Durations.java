package io.callhook.service;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses config durations: a whole number with a unit ({@code 500ms}, {@code 5s}, {@code 2m},
 * {@code 1h}) or ISO-8601 ({@code PT5S}). A bare number is refused: without a unit nobody can
 * tell whether {@code 30} meant seconds or milliseconds.
 */
final class Durations {

    static final String EXPECTED = "is not a duration (a whole number with unit ms, s, m or h, e.g. 500ms, 5s, 2m, 1h;"
            + " or ISO-8601 such as PT5S)";

    private static final Pattern SHORT = Pattern.compile("(\\d{1,18})(ms|s|m|h)");

    private Durations() {
    }

    static Parsed<Duration> parse(String raw) {
        Matcher m = SHORT.matcher(raw);
        if (m.matches()) {
            return ofUnit(Long.parseLong(m.group(1)), m.group(2));
        }
        if (raw.startsWith("P") || raw.startsWith("p")) {
            return iso(raw);
        }
        return Parsed.invalid(EXPECTED);
    }

    private static Parsed<Duration> ofUnit(long amount, String unit) {
        try {
            return Parsed.ok(switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
        } catch (ArithmeticException e) {
            return Parsed.invalid("is too long a duration");
        }
    }

    private static Parsed<Duration> iso(String raw) {
        try {
            Duration d = Duration.parse(raw);
            return d.isNegative() ? Parsed.invalid("is a negative duration") : Parsed.ok(d);
        } catch (DateTimeParseException e) {
            return Parsed.invalid(EXPECTED);
        }
    }
}
