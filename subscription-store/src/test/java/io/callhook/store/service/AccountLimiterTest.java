package io.callhook.store.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccountLimiterTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T09:00:00Z"));
    private final AccountLimiter limiter = new AccountLimiter("test calls", new RateLimit(3, Duration.ofMinutes(1)), clock);

    @Test
    void aBurstOfTheCountThenOneEveryPeriodOverCount() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire(42)).isInstanceOf(AccountLimiter.Admission.Allowed.class);
        }

        AccountLimiter.Admission refused = limiter.tryAcquire(42);

        assertThat(refused).isInstanceOf(AccountLimiter.Admission.Limited.class);
        AccountLimiter.Admission.Limited limited = (AccountLimiter.Admission.Limited) refused;
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(20));
        assertThat(limited.message()).isEqualTo("too many test calls: at most 3 per 1m per account; try again in 20 s");
        clock.advance(Duration.ofSeconds(19));
        assertThat(limiter.tryAcquire(42)).isInstanceOf(AccountLimiter.Admission.Limited.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire(42)).isInstanceOf(AccountLimiter.Admission.Allowed.class);
    }

    @Test
    void accountsHaveBucketsOfTheirOwn() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire(42);
        }

        assertThat(limiter.tryAcquire(42)).isInstanceOf(AccountLimiter.Admission.Limited.class);
        assertThat(limiter.tryAcquire(43)).isInstanceOf(AccountLimiter.Admission.Allowed.class);
    }
}
