package io.callhook.dispatcher.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LaneBacklogTest {

    private static final long MS = 1_000_000;
    private final LaneBacklog backlog = new LaneBacklog(Duration.ofSeconds(10));

    @Test
    void aRateLimitedLaneKeepsTenSecondsOfItsLimit() {
        double rate = LaneBacklog.expectedRate(1, 16, 2 * MS, 0);
        assertThat(rate).isEqualTo(1.0);
        assertThat(backlog.allowance(rate)).isEqualTo(10);
        assertThat(LaneBacklog.timeFor(10, rate)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aSlowLaneKeepsWhatItsOpenRequestsGetThroughInTenSeconds() {
        // 16 at once, a second each: 16 per second.
        assertThat(backlog.allowance(LaneBacklog.expectedRate(null, 16, 1000 * MS, 0))).isEqualTo(160);
    }

    @Test
    void aLaneThatHasNotAnsweredForAWhileIsTakenToBeAtLeastThatSlow() {
        // No response measured yet, requests open for 4 s.
        assertThat(backlog.allowance(LaneBacklog.expectedRate(null, 16, 0, 4000 * MS))).isEqualTo(40);
    }

    @Test
    void aFastLaneOrOneNotMeasuredYetKeepsEverything() {
        assertThat(backlog.allowance(LaneBacklog.expectedRate(null, 16, 0, 0))).isEqualTo(Integer.MAX_VALUE);
        assertThat(backlog.allowance(LaneBacklog.expectedRate(null, 16, 1 * MS, 0))).isEqualTo(160_000);
    }

    @Test
    void everyLaneKeepsAtLeastOne() {
        assertThat(backlog.allowance(LaneBacklog.expectedRate(null, 1, 0, 60_000 * MS))).isEqualTo(1);
    }
}
