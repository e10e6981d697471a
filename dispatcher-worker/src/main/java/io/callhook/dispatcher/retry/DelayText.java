package io.callhook.dispatcher.retry;

import java.time.Duration;
import java.util.Optional;

/**
 * Delays as short text, {@code <whole number><unit>} with unit {@code ms}, {@code s}, {@code m} or
 * {@code h}: the units service-kit accepts for config durations, so operators write one syntax
 * everywhere. The same text names the retry tier topics, so it only uses characters Kafka allows
 * in a topic name.
 */
final class DelayText {

    static final String EXPECTED = "a whole number with unit ms, s, m or h, e.g. 5s, 30m, 2h";

    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    // 18 digits always fit in a long; longer numbers are refused rather than wrapped.
    private static final int MAX_DIGITS = 18;

    private DelayText() {
    }

    /** The delay written in {@code text} (already trimmed), or empty when it is not one. */
    static Optional<Duration> parse(String text) {
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0 || digits > MAX_DIGITS) {
            return Optional.empty();
        }
        long amount = Long.parseLong(text.substring(0, digits));
        try {
            return switch (text.substring(digits)) {
                case "ms" -> Optional.of(Duration.ofMillis(amount));
                case "s" -> Optional.of(Duration.ofSeconds(amount));
                case "m" -> Optional.of(Duration.ofMinutes(amount));
                case "h" -> Optional.of(Duration.ofHours(amount));
                default -> Optional.empty();
            };
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    /**
     * The shortest text for a delay: the largest unit that divides it exactly, so each delay has
     * exactly one text ({@code 90s}, {@code 5m}, {@code 1500ms}; zero is {@code 0s}).
     *
     * @param delay not negative, in whole milliseconds
     */
    static String format(Duration delay) {
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
}
