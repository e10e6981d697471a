package io.callhook.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ArrivalsTest {

    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void averageTheRateWhateverTheTick() {
        for (long tick : new long[] {5 * MILLI, 37 * MILLI, 100 * MILLI}) {
            Arrivals arrivals = new Arrivals(100, new SplittableRandom(3), 0);
            long calls = 0;
            for (long now = tick; now <= TimeUnit.SECONDS.toNanos(100); now += tick) {
                calls += arrivals.due(now);
            }
            // 10,000 expected; a Poisson count's deviation is 100.
            assertThat(calls).as("tick %d ms", tick / MILLI).isBetween(9_600L, 10_400L);
        }
    }

    @Test
    void slowRatesLeaveMostTicksEmpty() {
        Arrivals arrivals = new Arrivals(0.5, new SplittableRandom(5), 0);
        long calls = 0;
        int busyTicks = 0;
        for (long now = 100 * MILLI; now <= TimeUnit.SECONDS.toNanos(1000); now += 100 * MILLI) {
            int due = arrivals.due(now);
            calls += due;
            busyTicks += due > 0 ? 1 : 0;
        }
        assertThat(calls).isBetween(430L, 570L);
        assertThat(busyTicks).isLessThan(600);
    }

    @Test
    void dropTheBacklogOfASuspendedProcess() {
        Arrivals arrivals = new Arrivals(1000, new SplittableRandom(7), 0);
        arrivals.due(10 * MILLI);

        int afterTenSeconds = arrivals.due(TimeUnit.SECONDS.toNanos(10));

        assertThat(afterTenSeconds).isLessThan(20);
    }
}
