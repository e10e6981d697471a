package io.callhook.dispatcher.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callhook.service.Parsed;
import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryScheduleTest {

    private static final DoubleSupplier LOWEST = () -> 0.0;
    private static final DoubleSupplier MIDDLE = () -> 0.5;
    private static final DoubleSupplier HIGHEST = () -> 1.0;

    @Test
    void defaultIsSvixSchedule() {
        assertThat(RetrySchedule.DEFAULT.delays()).containsExactly(
                Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
                Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
        assertThat(RetrySchedule.DEFAULT.retries()).isEqualTo(8);
        assertThat(RetrySchedule.DEFAULT).hasToString("0s,5s,5m,30m,2h,5h,10h,10h");
    }

    @Test
    void defaultTextParsesToTheDefault() {
        assertThat(RetrySchedule.parse(RetrySchedule.DEFAULT_TEXT)).isEqualTo(Parsed.ok(RetrySchedule.DEFAULT));
    }

    @Test
    void configKeyDefaultsToSvixSchedule() {
        assertThat(RetrySchedule.KEY.name()).isEqualTo("callhook.retry.schedule");
        assertThat(RetrySchedule.KEY.defaultValue()).contains(RetrySchedule.DEFAULT_TEXT);
        assertThat(RetrySchedule.KEY.parse(" 1s, 2m ")).isEqualTo(Parsed.ok(RetrySchedule.of(
                List.of(Duration.ofSeconds(1), Duration.ofMinutes(2)))));
    }

    @Test
    void nominalDelaysWithoutJitter() {
        assertThat(RetrySchedule.DEFAULT.nominalDelay(1)).contains(Duration.ZERO);
        assertThat(RetrySchedule.DEFAULT.nominalDelay(3)).contains(Duration.ofMinutes(5));
        assertThat(RetrySchedule.DEFAULT.nominalDelay(8)).contains(Duration.ofHours(10));
    }

    @Test
    void jitterSpansEightyToOneHundredTwentyPercent() {
        assertThat(RetrySchedule.DEFAULT.delayBeforeRetry(2, LOWEST)).contains(Duration.ofSeconds(4));
        assertThat(RetrySchedule.DEFAULT.delayBeforeRetry(2, MIDDLE)).contains(Duration.ofSeconds(5));
        assertThat(RetrySchedule.DEFAULT.delayBeforeRetry(2, HIGHEST)).contains(Duration.ofSeconds(6));

        assertThat(RetrySchedule.DEFAULT.delayBeforeRetry(8, LOWEST)).contains(Duration.ofHours(8));
        assertThat(RetrySchedule.DEFAULT.delayBeforeRetry(8, MIDDLE)).contains(Duration.ofHours(10));
        assertThat(RetrySchedule.DEFAULT.delayBeforeRetry(8, HIGHEST)).contains(Duration.ofHours(12));
    }

    @Test
    void jitterIsUniformBetweenTheBounds() {
        assertThat(RetrySchedule.DEFAULT.delayBeforeRetry(3, () -> 0.25)).contains(Duration.ofMinutes(4).plusSeconds(30));
        assertThat(RetrySchedule.DEFAULT.delayBeforeRetry(3, () -> 0.75)).contains(Duration.ofMinutes(5).plusSeconds(30));
    }

    @Test
    void immediatelyStaysImmediate() {
        for (DoubleSupplier random : List.of(LOWEST, MIDDLE, HIGHEST)) {
            assertThat(RetrySchedule.DEFAULT.delayBeforeRetry(1, random)).contains(Duration.ZERO);
        }
    }

    @Test
    void exhaustedAfterEightRetries() {
        for (int retry = 1; retry <= 8; retry++) {
            assertThat(RetrySchedule.DEFAULT.delayBeforeRetry(retry, MIDDLE)).as("retry %d", retry).isPresent();
        }
        assertThat(RetrySchedule.DEFAULT.delayBeforeRetry(9, MIDDLE)).isEmpty();
        assertThat(RetrySchedule.DEFAULT.nominalDelay(9)).isEmpty();
    }

    @Test
    void refusesRetryNumbersBelowOneAndRandomOutsideTheUnitInterval() {
        assertThatThrownBy(() -> RetrySchedule.DEFAULT.delayBeforeRetry(0, MIDDLE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-based");
        assertThatThrownBy(() -> RetrySchedule.DEFAULT.delayBeforeRetry(2, () -> 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> RetrySchedule.DEFAULT.delayBeforeRetry(2, () -> Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesEveryUnitAndIgnoresBlanksAroundEntries() {
        assertThat(RetrySchedule.parse(" 250ms , 1s,2m ,3h")).isEqualTo(Parsed.ok(RetrySchedule.of(List.of(
                Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofHours(3)))));
    }

    @Test
    void writtenFormReadsBack() {
        RetrySchedule schedule = RetrySchedule.of(List.of(Duration.ofMillis(1500), Duration.ofSeconds(90),
                Duration.ofMinutes(120), Duration.ofHours(36)));

        assertThat(schedule).hasToString("1500ms,90s,2h,36h");
        assertThat(RetrySchedule.parse(schedule.toString())).isEqualTo(Parsed.ok(schedule));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0s,5x,5m      | has entry 2 '5x', which is not a duration (a whole number with unit ms, s, m or h, e.g. 500ms, 5s, 2m, 1h; or ISO-8601 such as PT5S)",
            "0s,5s,-5m     | has entry 3 '-5m', which is not a duration (a whole number with unit ms, s, m or h, e.g. 500ms, 5s, 2m, 1h; or ISO-8601 such as PT5S)",
            "1.5s          | has entry 1 '1.5s', which is not a duration (a whole number with unit ms, s, m or h, e.g. 500ms, 5s, 2m, 1h; or ISO-8601 such as PT5S)",
            "5             | has entry 1 '5', which is not a duration (a whole number with unit ms, s, m or h, e.g. 500ms, 5s, 2m, 1h; or ISO-8601 such as PT5S)",
            "1d            | has entry 1 '1d', which is not a duration (a whole number with unit ms, s, m or h, e.g. 500ms, 5s, 2m, 1h; or ISO-8601 such as PT5S)",
            "5 s           | has entry 1 '5 s', which is not a duration (a whole number with unit ms, s, m or h, e.g. 500ms, 5s, 2m, 1h; or ISO-8601 such as PT5S)",
            "0s,,5m        | has an empty entry 2 (entries are separated by single commas)",
            "0s,5s,        | has an empty entry 3 (entries are separated by single commas)",
            "0s,121h       | has entry 2 '121h', which is longer than the maximum of 120h (with jitter it must stay within Kafka's default retention of 7 days)",
            "9999999999999999999s | has entry 1 '9999999999999999999s', which is not a duration (a whole number with unit ms, s, m or h, e.g. 500ms, 5s, 2m, 1h; or ISO-8601 such as PT5S)",
            "999999999999999999h  | has entry 1 '999999999999999999h', which is too long a duration",
    })
    void parseErrorsNameTheEntry(String text, String problem) {
        assertThat(RetrySchedule.parse(text)).isEqualTo(Parsed.invalid(problem));
    }

    @Test
    void emptyTextIsRefused() {
        assertThat(RetrySchedule.parse("  ")).isInstanceOf(Parsed.Invalid.class);
        assertThat(((Parsed.Invalid<RetrySchedule>) RetrySchedule.parse("")).problem()).startsWith("is empty");
    }

    @Test
    void theMaximumDelayIsAllowed() {
        assertThat(RetrySchedule.parse("120h")).isInstanceOf(Parsed.Ok.class);
    }

    @Test
    void ofValidatesLikeParse() {
        assertThatThrownBy(() -> RetrySchedule.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> RetrySchedule.of(List.of(Duration.ofSeconds(1), Duration.ofSeconds(-1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("retry delay 2 (PT-1S) is negative");
        assertThatThrownBy(() -> RetrySchedule.of(List.of(Duration.ofNanos(1500))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("milliseconds");
    }

    @Test
    void equalByDelays() {
        RetrySchedule fiveSeconds = RetrySchedule.of(List.of(Duration.ofSeconds(5)));

        assertThat(RetrySchedule.parse("5000ms")).isEqualTo(Parsed.ok(fiveSeconds));
        assertThat(fiveSeconds).hasSameHashCodeAs(RetrySchedule.of(List.of(Duration.ofMillis(5000))));
    }
}
