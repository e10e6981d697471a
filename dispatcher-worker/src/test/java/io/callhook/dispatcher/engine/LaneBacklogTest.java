package io.callhook.dispatcher.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LaneBacklogTest {

    private static final long MS = 1_000_000;
    private static final int CAP = 16;
    private final LaneBacklog backlog = new LaneBacklog(Duration.ofSeconds(10));

    private static Lane lane() {
        return new Lane("sub", null, CircuitBreaker.ofDefaults("sub"), CAP, 0);
    }

    /** Fills the lane's slots at {@code at} and finishes one request every {@code every} ns, refilling at once. */
    private static long run(Lane lane, long at, int finishing, long every) {
        while (lane.inFlight() < CAP) {
            lane.started(at);
        }
        long now = at;
        for (int i = 0; i < finishing; i++) {
            now += every;
            lane.finished(now);
            lane.started(now);
        }
        return now;
    }

    @Test
    void aRateLimitedLaneKeepsTenSecondsOfItsLimit() {
        double rate = LaneBacklog.expectedRate(1, Double.POSITIVE_INFINITY, 5000);
        assertThat(rate).isEqualTo(1.0);
        assertThat(backlog.allowance(rate)).isEqualTo(10);
    }

    @Test
    void aSlowLaneKeepsWhatItGetsThroughInTenSeconds() {
        Lane lane = lane();
        // 16 at once, a second each: one finishes every 62.5 ms, 16 per second.
        long now = run(lane, 0, 64, 1000 * MS / 16);
        assertThat(lane.pace(now)).isCloseTo(16.0, org.assertj.core.data.Offset.offset(0.5));
        assertThat(backlog.allowance(LaneBacklog.expectedRate(null, lane.pace(now), 2000))).isBetween(155, 165);
    }

    @Test
    void aFastLaneStaysFastThroughAShortStall() {
        Lane lane = lane();
        long now = run(lane, 0, 20_000, MS / 4); // 4,000 per second for 5 s
        // 300 ms without any answer (a pause of our own, or of the receiver): still thousands per second.
        assertThat(backlog.allowance(LaneBacklog.expectedRate(null, lane.pace(now + 300 * MS), 4000))).isGreaterThan(10_000);
    }

    @Test
    void aLaneDoingMuchOfWhatTheEngineDoesIsHeldBackByTheEngineNotByItsEndpoint() {
        // A machine short of CPU: the only busy lane gets 300 per second, which is all the engine does.
        assertThat(LaneBacklog.expectedRate(null, 300, 320)).isInfinite();
        assertThat(LaneBacklog.expectedRate(null, 300, 10_000)).isEqualTo(300);
        // A rate limit is the endpoint's own, whatever the engine does.
        assertThat(LaneBacklog.expectedRate(5, 300, 320)).isEqualTo(5);
    }

    @Test
    void aLaneThatStoppedAnsweringIsSeenSlowingDownWhileItIsSilent() {
        Lane lane = lane();
        run(lane, 0, 0, 0);
        assertThat(lane.pace(500 * MS)).as("too early to say").isInfinite();
        assertThat(backlog.allowance(LaneBacklog.expectedRate(null, lane.pace(2000 * MS), 1000))).isEqualTo(1);
    }

    @Test
    void aLaneThatNeverFilledItsSlotsIsNotJudged() {
        Lane lane = lane();
        lane.started(0);
        lane.finished(5000 * MS);
        assertThat(lane.pace(6000 * MS)).isInfinite();
        assertThat(backlog.allowance(lane.pace(6000 * MS))).isEqualTo(Integer.MAX_VALUE);
    }
}
