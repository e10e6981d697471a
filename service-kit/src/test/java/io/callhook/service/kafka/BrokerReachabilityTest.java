package io.callhook.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.service.HealthStatus;
import io.callhook.testkit.LogCapture;
import io.callhook.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class BrokerReachabilityTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T10:00:00Z"));
    /** What the next question gets: null for an answer, else the failure. */
    private Exception next;
    private final BrokerReachability reachability = new BrokerReachability(within -> {
        if (next != null) {
            throw next;
        }
    }, Duration.ofSeconds(2), clock, () -> { });

    @Test
    void upWhileTheBrokersAnswer() {
        ask(null);
        ask(null);

        assertThat(reachability.health()).isEqualTo(HealthStatus.up());
    }

    @Test
    void oneUnansweredQuestionIsNoOutage() {
        ask(null);
        ask(unreachable());
        ask(null);
        ask(unreachable());

        assertThat(reachability.health().isUp()).isTrue();
    }

    @Test
    void downAfterQuestionsInARowWentUnansweredSayingSinceWhenAndWhy() {
        ask(null);
        ask(unreachable());
        ask(unreachable());

        assertThat(reachability.health()).isEqualTo(HealthStatus.down("no broker answers since 2026-12-05T10:00:02Z: "
                + "TimeoutException: Timed out waiting for a node assignment. Call: describeCluster"));
    }

    @Test
    void upAgainAtTheFirstAnswerAndLogsEachChangeOnce() {
        try (LogCapture log = new LogCapture(BrokerReachability.class)) {
            ask(unreachable());
            ask(unreachable());
            ask(unreachable());
            ask(null);
            ask(unreachable());

            assertThat(reachability.health().isUp()).isTrue();
            assertThat(log.lines()).hasSize(2);
            assertThat(log.lines().get(0)).contains("Kafka unreachable").contains("since 2026-12-05T10:00:00Z");
            assertThat(log.lines().get(1)).contains("A broker answers again").contains("2026-12-05T10:00:00Z");
        }
    }

    @Test
    void theSinceOfALaterOutageIsItsOwn() {
        ask(unreachable());
        ask(unreachable());
        ask(null);
        ask(unreachable());
        ask(unreachable());

        assertThat(reachability.health()).isInstanceOfSatisfying(HealthStatus.Down.class,
                down -> assertThat(down.reason()).startsWith("no broker answers since 2026-12-05T10:00:06Z: "));
    }

    /** One question, then 2 s pass (the service's pace). */
    private void ask(Exception failure) {
        next = failure;
        reachability.check();
        clock.advance(Duration.ofSeconds(2));
    }

    private static Exception unreachable() {
        return new ExecutionException(new TimeoutException("Timed out waiting for a node assignment. Call: describeCluster"));
    }
}
