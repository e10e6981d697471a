package io.callhook.store.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AccountLimiterTest {

    /** A clock the test moves. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-11-23T09:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
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
        clock.now = clock.now.plusSeconds(19);
        assertThat(limiter.tryAcquire(42)).isInstanceOf(AccountLimiter.Admission.Limited.class);
        clock.now = clock.now.plusSeconds(1);
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
