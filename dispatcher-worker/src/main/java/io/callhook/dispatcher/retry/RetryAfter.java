package io.callhook.dispatcher.retry;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the {@code Retry-After} response header (RFC 9110 §10.2.3) and bounds what a receiver
 * may ask for. Pure: the current time is passed in.
 *
 * <p>Accepted forms: delta-seconds ({@code 120}) and HTTP-date in all three forms a recipient
 * must accept (RFC 9110 §5.6.7): IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}), the obsolete
 * RFC 850 form ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and asctime
 * ({@code Sun Nov  6 08:49:37 1994}). Names are case-sensitive and the weekday must match the
 * date, as the RFC's grammar says; anything else is ignored (empty), so a broken header falls
 * back to the retry schedule instead of failing the delivery.
 *
 * <p>Bounds ({@link #clamp(Duration)}): at least {@link #DEFAULT_MIN} and at most
 * {@link #DEFAULT_MAX}. The minimum turns "0" or a past date from a receiver that is rejecting us
 * into a short pause rather than an immediate hammering. The maximum stops one header from
 * parking a webhook for longer than a day, about the span of the whole default schedule.
 */
public final class RetryAfter {

    /** Shortest wait a {@code Retry-After} is raised to. */
    public static final Duration DEFAULT_MIN = Duration.ofSeconds(1);

    /** Longest wait a {@code Retry-After} is honoured up to. */
    public static final Duration DEFAULT_MAX = Duration.ofHours(24);

    // RFC 9110 §8.8.3.2 (Age) / RFC 9111 §1.2.2: a delta-seconds too large to hold is taken as
    // 2^31 seconds. Any clamp brings it down; unclamped it still fits in an Instant sum.
    private static final Duration OVERFLOW = Duration.ofSeconds(2_147_483_648L);
    private static final int MAX_DIGITS = 18;

    private static final DateTimeFormatter IMF_FIXDATE = strict("EEE, dd MMM uuuu HH:mm:ss 'GMT'");
    private static final DateTimeFormatter ASCTIME = strict("EEE MMM ppd HH:mm:ss uuuu");

    private RetryAfter() {
    }

    /**
     * How long the receiver asked us to wait.
     *
     * @param headerValue the header's value; null or blank when absent
     * @param now         the time the response arrived
     * @return the wait (zero for a date already past), or empty when the value is absent or not
     *         a valid {@code Retry-After} (negative numbers, fractions, other date formats)
     */
    public static Optional<Duration> parse(String headerValue, Instant now) {
        Objects.requireNonNull(now, "now");
        if (headerValue == null) {
            return Optional.empty();
        }
        String value = headerValue.strip();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (isDigit(value.charAt(0))) {
            return deltaSeconds(value);
        }
        return httpDate(value, now).map(date -> date.isAfter(now) ? Duration.between(now, date) : Duration.ZERO);
    }

    /** Bounds a wait to [{@link #DEFAULT_MIN}, {@link #DEFAULT_MAX}]. */
    public static Duration clamp(Duration wait) {
        return clamp(wait, DEFAULT_MIN, DEFAULT_MAX);
    }

    /**
     * Bounds a wait to [{@code min}, {@code max}].
     *
     * @throws IllegalArgumentException if {@code min > max}
     */
    public static Duration clamp(Duration wait, Duration min, Duration max) {
        Objects.requireNonNull(wait, "wait");
        if (min.compareTo(max) > 0) {
            throw new IllegalArgumentException("min " + min + " exceeds max " + max);
        }
        if (wait.compareTo(min) < 0) {
            return min;
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }

    private static Optional<Duration> deltaSeconds(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (!isDigit(value.charAt(i))) {
                return Optional.empty();
            }
        }
        if (value.length() > MAX_DIGITS) {
            return Optional.of(OVERFLOW);
        }
        return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
    }

    private static Optional<Instant> httpDate(String value, Instant now) {
        for (DateTimeFormatter format : new DateTimeFormatter[] {IMF_FIXDATE, rfc850(now), ASCTIME}) {
            try {
                return Optional.of(LocalDateTime.parse(value, format).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                // not this form; try the next
            }
        }
        return Optional.empty();
    }

    /**
     * The RFC 850 form has a two-digit year. RFC 9110 §5.6.7: a year that would be more than 50
     * years in the future is the most recent past year with those digits. So the century depends
     * on {@code now}, and the formatter is built per call; this form is rare enough for that.
     */
    private static DateTimeFormatter rfc850(Instant now) {
        int year = now.atOffset(ZoneOffset.UTC).getYear();
        return new DateTimeFormatterBuilder()
                .appendPattern("EEEE, dd-MMM-")
                .appendValueReduced(ChronoField.YEAR, 2, 2, year - 49)
                .appendPattern(" HH:mm:ss 'GMT'")
                .toFormatter(Locale.US)
                .withResolverStyle(ResolverStyle.STRICT);
    }

    private static DateTimeFormatter strict(String pattern) {
        // Locale.US: month and day names are English whatever the JVM's locale.
        return DateTimeFormatter.ofPattern(pattern, Locale.US).withResolverStyle(ResolverStyle.STRICT);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
