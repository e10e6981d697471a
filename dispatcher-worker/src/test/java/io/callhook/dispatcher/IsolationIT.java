package io.callhook.dispatcher;

import static io.callhook.dispatcher.DispatcherHarness.request;
import static io.callhook.dispatcher.DispatcherHarness.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import io.callhook.net.AddressPolicy;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testsupport.Receiver;
import io.callhook.testsupport.Receiver.Answer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dead endpoint does not slow a healthy one: with one endpoint that never answers and one
 * that answers at once, the healthy endpoint's deliveries finish within 20 % of the time they
 * take when it is alone.
 */
@RealInfra
class IsolationIT {

    private static final Logger LOG = LoggerFactory.getLogger(IsolationIT.class);
    private static final int REQUESTS = 4000;

    @Test
    void aDeadEndpointDoesNotHoldBackAHealthyOne(Infra infra) throws Exception {
        // The receivers get a Vert.x of their own: sharing the dispatcher's event loops would
        // measure the test's receivers competing with the dispatcher, not the dispatcher.
        Vertx receivers = Vertx.vertx();
        try (DispatcherHarness harness = DispatcherHarness.start(infra, "isolation.", RetrySchedule.DEFAULT,
                AddressPolicy.allowing("127.0.0.0/8"), Duration.ofSeconds(2), EngineConfig.DEFAULTS);
             Receiver healthy = Receiver.start(receivers);
             Receiver dead = Receiver.start(receivers).answering(n -> Answer.never())) {
            Subscription fast = subscription("healthy", healthy.url("/ok"));
            Subscription stuck = subscription("dead", dead.url("/never"));
            harness.subscribe(fast);
            harness.subscribe(stuck);

            // Warm up (JIT, connections) before measuring; then alternate, and compare medians.
            deliver(harness, healthy, fast, null, "warmup", REQUESTS);
            List<Long> alone = new ArrayList<>();
            List<Long> withDead = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                alone.add(deliver(harness, healthy, fast, null, "alone" + round, REQUESTS));
                withDead.add(deliver(harness, healthy, fast, stuck, "mixed" + round, REQUESTS));
            }
            LOG.info("Healthy endpoint, {} deliveries: alone {} ms, next to a dead endpoint {} ms ({} requests reached it)",
                    REQUESTS, alone, withDead, dead.hits().size());

            assertThat(dead.hits()).as("the dead endpoint was tried").isNotEmpty();
            // Once its breaker opened, the dead endpoint's requests went to the retry tiers unsent.
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> harness.attempts.values().stream()
                    .anyMatch(a -> a.getSubscriptionId().equals("dead") && "CIRCUIT_OPEN".equals(a.getErrorType())));
            assertThat(dead.hits().size()).as("requests that reached the dead endpoint").isLessThan(3 * REQUESTS / 10);
            assertThat((double) median(withDead)).as("median time next to a dead endpoint vs alone (%s ms)", alone)
                    .isLessThanOrEqualTo(median(alone) * 1.2);
        } finally {
            receivers.close().await();
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Publishes {@code count} requests to {@code target} (and as many to {@code other}) and times the target's deliveries. */
    private static long deliver(DispatcherHarness harness, Receiver receiver, Subscription target, Subscription other,
                                String run, int count) throws Exception {
        int before = receiver.hits().size();
        List<WebhookRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(request("msg_" + run + "_" + i, target, i));
            if (other != null) {
                requests.add(request("msg_" + run + "_dead_" + i, other, i));
            }
        }
        long started = System.nanoTime();
        harness.publishAll(requests);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> receiver.hits().size() >= before + count);
        return (System.nanoTime() - started) / 1_000_000;
    }
}
