package io.callhook.duration;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them, in config keys and retry schedules alike: a whole number
 * with a unit ({@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}) or ISO-8601 ({@code PT5S}).
 * A bare number is refused: without a unit nobody can tell whether {@code 30} meant seconds or
 * milliseconds. {@link #format} writes the short form, which also names the retry tier topics,
 * so it uses only characters Kafka allows in a topic name.
 */
public final class DurationText {

    /** What a duration looks like, for messages that refuse one. */
    public static final String EXPECTED = "a whole number with unit ms, s, m or h, e.g. 500ms, 5s, 2m, 1h;"
            + " or ISO-8601 such as PT5S";

    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    // 18 digits always fit in a long; longer numbers are refused rather than wrapped.
    private static final Pattern SHORT = Pattern.compile("(\\d{1,18})(ms|s|m|h)");

    private DurationText() {
    }

    /**
     * What a text reads as: a non-negative duration, or (duration null) the problem, worded to
     * complete "the value ...".
     */
    public record Reading(Duration duration, String problem) {

        static Reading of(Duration duration) {
            return new Reading(duration, null);
        }

        static Reading invalid(String problem) {
            return new Reading(null, problem);
        }

        public boolean isValid() {
            return duration != null;
        }
    }

    /** Reads {@code text} (already trimmed). */
    public static Reading parse(String text) {
        Matcher m = SHORT.matcher(text);
        if (m.matches()) {
            return ofUnit(Long.parseLong(m.group(1)), m.group(2));
        }
        if (text.startsWith("P") || text.startsWith("p")) {
            return iso(text);
        }
        return notADuration();
    }

    /**
     * The shortest text for a delay: the largest unit that divides it exactly, so each delay has
     * exactly one text ({@code 90s}, {@code 5m}, {@code 1500ms}; zero is {@code 0s}).
     *
     * @param delay not negative, in whole milliseconds
     */
    public static String format(Duration delay) {
        long millis = delay.toMillis();
        if (millis % HOUR == 0 && millis != 0) {
            return millis / HOUR + "h";
        }
        if (millis % MINUTE == 0 && millis != 0) {
            return millis / MINUTE + "m";
        }
        if (millis % SECOND == 0) {
            return millis / SECOND + "s";
        }
        return millis + "ms";
    }

    private static Reading ofUnit(long amount, String unit) {
        try {
            return Reading.of(switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
        } catch (ArithmeticException e) {
            return Reading.invalid("is too long a duration");
        }
    }

    private static Reading iso(String text) {
        try {
            Duration d = Duration.parse(text);
            return d.isNegative() ? Reading.invalid("is a negative duration") : Reading.of(d);
        } catch (DateTimeParseException e) {
            return notADuration();
        }
    }

    private static Reading notADuration() {
        return Reading.invalid("is not a duration (" + EXPECTED + ")");
    }
}
