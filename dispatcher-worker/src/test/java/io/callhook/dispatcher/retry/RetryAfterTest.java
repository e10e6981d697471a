package io.callhook.dispatcher.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

    // RFC 9110's example date: Sunday, 6 November 1994, 08:49:37 UTC.
    private static final Instant RFC_DATE = Instant.parse("1994-11-06T08:49:37Z");
    private static final Instant TWO_MINUTES_BEFORE = RFC_DATE.minusSeconds(120);

    @Test
    void deltaSeconds() {
        assertThat(RetryAfter.parse("120", RFC_DATE)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("0", RFC_DATE)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse(" 7 ", RFC_DATE)).contains(Duration.ofSeconds(7));
    }

    @Test
    void deltaSecondsTooLargeToHoldAreTakenAsTwoToTheThirtyOneSeconds() {
        assertThat(RetryAfter.parse("99999999999999999999999", RFC_DATE)).contains(Duration.ofSeconds(1L << 31));
    }

    @Test
    void imfFixdate() {
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", TWO_MINUTES_BEFORE))
                .contains(Duration.ofSeconds(120));
    }

    @Test
    void obsoleteRfc850Date() {
        assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", TWO_MINUTES_BEFORE))
                .contains(Duration.ofSeconds(120));
    }

    @Test
    void rfc850TwoDigitYearsMoreThanFiftyYearsAheadMeanThePast() {
        // Seen from 2026, "94" is 1994 (2094 would be 68 years ahead) and "26" is 2026.
        Instant now = Instant.parse("2026-03-01T00:00:00Z");
        assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", now)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("Sunday, 01-Mar-26 00:01:00 GMT", now)).contains(Duration.ofMinutes(1));
    }

    @Test
    void asctimeDate() {
        assertThat(RetryAfter.parse("Sun Nov  6 08:49:37 1994", TWO_MINUTES_BEFORE)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("Wed Nov 16 08:49:37 1994", Instant.parse("1994-11-16T08:49:00Z")))
                .contains(Duration.ofSeconds(37));
    }

    @Test
    void aDateInThePastMeansNoWait() {
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", RFC_DATE.plusSeconds(3600)))
                .contains(Duration.ZERO);
    }

    @Test
    void subSecondClockIsKept() {
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", RFC_DATE.minusMillis(1500)))
                .contains(Duration.ofMillis(1500));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "-5", "+5", "1.5", "5s", "soon", "0x10", "12 34",
            "Mon, 06 Nov 1994 08:49:37 GMT",   // wrong weekday
            "Sun, 6 Nov 1994 08:49:37 GMT",    // IMF-fixdate has a two-digit day
            "sun, 06 nov 1994 08:49:37 GMT",   // names are case-sensitive
            "Sun, 06 Nov 1994 08:49:37 UTC",   // only GMT
            "Sun, 06 Nov 1994 08:49:37 +0000",
            "Sun, 31 Nov 1994 08:49:37 GMT",   // no such day
            "1994-11-06T08:49:37Z"})
    void garbageIsIgnored(String value) {
        assertThat(RetryAfter.parse(value, RFC_DATE)).isEmpty();
    }

    @Test
    void clampsToOneSecondThroughOneDayByDefault() {
        assertThat(RetryAfter.clamp(Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryAfter.clamp(Duration.ofMinutes(3))).isEqualTo(Duration.ofMinutes(3));
        assertThat(RetryAfter.clamp(Duration.ofDays(3))).isEqualTo(Duration.ofHours(24));
        assertThat(RetryAfter.clamp(Duration.ofSeconds(1L << 31))).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void clampsToChosenBounds() {
        Duration min = Duration.ofSeconds(10);
        Duration max = Duration.ofMinutes(1);

        assertThat(RetryAfter.clamp(Duration.ofSeconds(3), min, max)).isEqualTo(min);
        assertThat(RetryAfter.clamp(Duration.ofSeconds(10), min, max)).isEqualTo(min);
        assertThat(RetryAfter.clamp(Duration.ofSeconds(30), min, max)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.clamp(Duration.ofMinutes(1), min, max)).isEqualTo(max);
        assertThat(RetryAfter.clamp(Duration.ofMinutes(2), min, max)).isEqualTo(max);
        assertThatThrownBy(() -> RetryAfter.clamp(Duration.ZERO, max, min)).isInstanceOf(IllegalArgumentException.class);
    }
}
