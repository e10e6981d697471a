package io.callhook.dispatcher.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callhook.dispatcher.retry.RetryDecision.Exhausted;
import io.callhook.dispatcher.retry.RetryDecision.RetryAt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class RetryDecisionTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final RetrySchedule SVIX = RetrySchedule.DEFAULT;
    // 0.5 is "no jitter", so most expectations below are the schedule's own delays.
    private static final DoubleSupplier NO_JITTER = () -> 0.5;

    private static RetryDecision decide(int attempts, FailureKind failure) {
        return RetryDecision.decide(attempts, failure, SVIX, NOW, NO_JITTER);
    }

    private static RetryAt at(Duration delay, String tier) {
        return new RetryAt(NOW.plus(delay), tier);
    }

    @Test
    void theFirstFailureIsRetriedImmediately() {
        assertThat(decide(1, FailureKind.HttpStatus.of(500))).isEqualTo(at(Duration.ZERO, "0s"));
    }

    @Test
    void followsTheScheduleAttemptByAttempt() {
        List<RetryAt> expected = List.of(
                at(Duration.ZERO, "0s"), at(Duration.ofSeconds(5), "5s"), at(Duration.ofMinutes(5), "5m"),
                at(Duration.ofMinutes(30), "30m"), at(Duration.ofHours(2), "2h"), at(Duration.ofHours(5), "5h"),
                at(Duration.ofHours(10), "10h"), at(Duration.ofHours(10), "10h"));
        for (int attempts = 1; attempts <= 8; attempts++) {
            assertThat(decide(attempts, FailureKind.TIMEOUT)).as("after attempt %d", attempts)
                    .isEqualTo(expected.get(attempts - 1));
        }
    }

    @Test
    void exhaustedAfterTheEighthRetryFails() {
        assertThat(decide(9, FailureKind.HttpStatus.of(500))).isEqualTo(new Exhausted(9));
        assertThat(decide(9, FailureKind.HttpStatus.of(429, "60"))).isEqualTo(new Exhausted(9));
    }

    @Test
    void everyKindWithoutRetryAfterFollowsTheSchedule() {
        List<FailureKind> kinds = List.of(FailureKind.HttpStatus.of(500), FailureKind.HttpStatus.of(404),
                FailureKind.HttpStatus.of(429), FailureKind.HttpStatus.of(503), FailureKind.HttpStatus.of(302),
                FailureKind.TIMEOUT, FailureKind.CONNECT_ERROR, FailureKind.CIRCUIT_OPEN);
        for (FailureKind kind : kinds) {
            assertThat(decide(3, kind)).as("%s", kind).isEqualTo(at(Duration.ofMinutes(5), "5m"));
        }
    }

    @Test
    void retryAfterOn429WinsWhenLongerAndPicksTheTierFittingIt() {
        assertThat(decide(2, FailureKind.HttpStatus.of(429, "120"))).isEqualTo(at(Duration.ofSeconds(120), "5m"));
    }

    @Test
    void retryAfterOn503AsADate() {
        assertThat(decide(2, FailureKind.HttpStatus.of(503, "Sun, 01 Mar 2026 12:45:00 GMT")))
                .isEqualTo(at(Duration.ofMinutes(45), "2h"));
    }

    @Test
    void theScheduleWinsOverAShorterRetryAfter() {
        assertThat(decide(4, FailureKind.HttpStatus.of(429, "10"))).isEqualTo(at(Duration.ofMinutes(30), "30m"));
    }

    @Test
    void retryAfterIsIgnoredOnOtherStatuses() {
        for (int status : List.of(500, 502, 504, 400, 301)) {
            assertThat(decide(2, FailureKind.HttpStatus.of(status, "3600"))).as("status %d", status)
                    .isEqualTo(at(Duration.ofSeconds(5), "5s"));
        }
    }

    @Test
    void garbageRetryAfterFallsBackToTheSchedule() {
        assertThat(decide(2, FailureKind.HttpStatus.of(429, "soon"))).isEqualTo(at(Duration.ofSeconds(5), "5s"));
        assertThat(decide(2, FailureKind.HttpStatus.of(503, "-30"))).isEqualTo(at(Duration.ofSeconds(5), "5s"));
    }

    @Test
    void retryAfterZeroStillWaitsTheMinimum() {
        assertThat(decide(1, FailureKind.HttpStatus.of(429, "0"))).isEqualTo(at(Duration.ofSeconds(1), "5s"));
    }

    @Test
    void retryAfterBeyondTheLargestTierIsShortenedToIt() {
        // A day's wait at the head of the 10h tier would hold back everything queued behind it.
        assertThat(decide(2, FailureKind.HttpStatus.of(503, "86400"))).isEqualTo(at(Duration.ofHours(10), "10h"));
    }

    @Test
    void jitterMovesTheTimeButNotTheTier() {
        assertThat(RetryDecision.decide(2, FailureKind.TIMEOUT, SVIX, NOW, () -> 1.0))
                .isEqualTo(at(Duration.ofSeconds(6), "5s"));
        assertThat(RetryDecision.decide(2, FailureKind.TIMEOUT, SVIX, NOW, () -> 0.0))
                .isEqualTo(at(Duration.ofSeconds(4), "5s"));
        assertThat(RetryDecision.decide(8, FailureKind.TIMEOUT, SVIX, NOW, () -> 1.0))
                .isEqualTo(at(Duration.ofHours(12), "10h"));
    }

    @Test
    void jitterCanStretchTheScheduleBeyondARetryAfter() {
        // Schedule 5 min jittered up to 6 min beats a 5.5 min Retry-After; the tier fits both.
        assertThat(RetryDecision.decide(3, FailureKind.HttpStatus.of(429, "330"), SVIX, NOW, () -> 1.0))
                .isEqualTo(at(Duration.ofMinutes(6), "30m"));
    }

    @Test
    void noRetryWaitsLongerThanItsTierPlusJitter() {
        List<FailureKind> kinds = List.of(FailureKind.TIMEOUT, FailureKind.HttpStatus.of(429, "1"),
                FailureKind.HttpStatus.of(429, "7"), FailureKind.HttpStatus.of(503, "400"),
                FailureKind.HttpStatus.of(503, "7300"), FailureKind.HttpStatus.of(429, "999999"));
        RetryTiers tiers = SVIX.tiers();
        for (FailureKind kind : kinds) {
            for (int attempts = 1; attempts <= SVIX.retries(); attempts++) {
                for (double random : new double[] {0.0, 0.3, 0.5, 0.9, 1.0}) {
                    RetryAt retry = (RetryAt) RetryDecision.decide(attempts, kind, SVIX, NOW, () -> random);
                    Duration tierDelay = tiers.all().stream().filter(t -> t.suffix().equals(retry.tier()))
                            .findFirst().orElseThrow().delay();
                    Duration waited = Duration.between(NOW, retry.due());
                    assertThat(waited).as("%s after attempt %d, random %s", kind, attempts, random)
                            .isLessThanOrEqualTo(Duration.ofMillis(Math.round(tierDelay.toMillis() * 1.2)));
                }
            }
        }
    }

    @Test
    void aCustomScheduleNamesItsOwnTiers() {
        RetrySchedule quick = RetrySchedule.of(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1)));
        assertThat(quick.tiers().suffixes()).containsExactly("1s", "1m");

        assertThat(RetryDecision.decide(2, FailureKind.CONNECT_ERROR, quick, NOW, NO_JITTER))
                .isEqualTo(at(Duration.ofSeconds(1), "1s"));
        assertThat(RetryDecision.decide(3, FailureKind.HttpStatus.of(429, "3600"), quick, NOW, NO_JITTER))
                .isEqualTo(at(Duration.ofMinutes(1), "1m"));
        assertThat(RetryDecision.decide(4, FailureKind.CONNECT_ERROR, quick, NOW, NO_JITTER))
                .isEqualTo(new Exhausted(4));
    }

    @Test
    void refusesImpossibleInput() {
        assertThatThrownBy(() -> decide(0, FailureKind.TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> FailureKind.HttpStatus.of(200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FailureKind.HttpStatus.of(99)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FailureKind.HttpStatus.of(600)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyTooManyRequestsAndServiceUnavailableHonourRetryAfter() {
        assertThat(FailureKind.HttpStatus.of(429).honoursRetryAfter()).isTrue();
        assertThat(FailureKind.HttpStatus.of(503).honoursRetryAfter()).isTrue();
        assertThat(FailureKind.HttpStatus.of(500).honoursRetryAfter()).isFalse();
        assertThat(FailureKind.HttpStatus.of(301).honoursRetryAfter()).isFalse();
    }
}
