package io.callhook.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallIdsTest {

    @Test
    void followTheClockAndNeverRepeat() {
        AtomicLong millis = new AtomicLong(1_760_000_000_000L);
        CallIds ids = new CallIds(millis::get);

        assertThat(ids.next()).isEqualTo(1_760_000_000_000L);
        // Several calls in one millisecond run ahead of the clock...
        assertThat(ids.next()).isEqualTo(1_760_000_000_001L);
        assertThat(ids.next()).isEqualTo(1_760_000_000_002L);
        // ...and the clock catches up.
        millis.set(1_760_000_000_100L);
        assertThat(ids.next()).isEqualTo(1_760_000_000_100L);
        // A clock stepping back does not bring back an id.
        millis.set(1_759_000_000_000L);
        assertThat(ids.next()).isEqualTo(1_760_000_000_101L);
    }

    @Test
    void aRestartLaterStartsPastTheEarlierRun() {
        AtomicLong millis = new AtomicLong(1_760_000_000_000L);
        CallIds first = new CallIds(millis::get);
        long last = 0;
        // One second at the highest rate, in bursts of ten calls every ten milliseconds.
        for (int i = 0; i < 1000; i++) {
            last = first.next();
            if (i % 10 == 9) {
                millis.addAndGet(10);
            }
        }

        CallIds restarted = new CallIds(millis::get);

        assertThat(restarted.next()).isGreaterThan(last);
    }

    @Test
    void stayBelowTheTestCallsRange() {
        assertThat(new CallIds(System::currentTimeMillis).next()).isLessThan(1L << 52);
        CallIds nearTheEnd = new CallIds(() -> (1L << 52) - 1);
        nearTheEnd.next();
        assertThatThrownBy(nearTheEnd::next).isInstanceOf(IllegalStateException.class);
    }
}
