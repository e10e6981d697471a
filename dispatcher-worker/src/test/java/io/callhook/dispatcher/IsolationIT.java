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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dead endpoint does not slow a healthy one: with one endpoint that never answers and one
 * that answers at once, the healthy endpoint's deliveries finish within 20 % of the time they
 * take when it is alone.
 *
 * <p>The dead endpoint gets one request for every {@link #DEAD_SHARE} of the healthy one's: far
 * more than fill its in-flight slots and open its breaker, so any waiting on it would show. At
 * equal volume the dead records' own handling (consumed, moved to a retry tier, an attempt
 * recorded; consumed again from the tiers) adds CPU in this one JVM that also runs the broker
 * on two cores, and pair ratios then ranged 0.8 to 1.7 run to run: that measures the machine,
 * not whether the healthy endpoint waits.
 */
@RealInfra
class IsolationIT {

    private static final Logger LOG = LoggerFactory.getLogger(IsolationIT.class);
    private static final int REQUESTS = 15_000;
    private static final int WARMUP_ROUNDS = 3;
    private static final int ROUNDS = 7;
    private static final int DEAD_SHARE = 4;

    @Test
    void aDeadEndpointDoesNotHoldBackAHealthyOne(Infra infra) throws Exception {
        // The receivers get a Vert.x of their own: sharing the dispatcher's event loops would
        // measure the test's receivers competing with the dispatcher, not the dispatcher.
        Vertx receivers = Vertx.vertx();
        try (DispatcherHarness harness = DispatcherHarness.start(infra, "isolation.", RetrySchedule.DEFAULT,
                AddressPolicy.allowing("127.0.0.0/8"), Duration.ofSeconds(2), EngineConfig.DEFAULTS);
             Receiver healthy = Receiver.start(receivers).countingOnly();
             Receiver dead = Receiver.start(receivers).answering(n -> Answer.never())) {
            Subscription fast = subscription("healthy", healthy.url("/ok"));
            Subscription stuck = subscription("dead", dead.url("/never"));
            harness.subscribe(fast);
            harness.subscribe(stuck);

            // Warm up (JIT, connections) before measuring. Runs still speed up round after round and
            // vary by a third on a shared two-core machine, so each round pairs a run alone with a run
            // next to the dead endpoint, in alternating order, and the median of the pairs' ratios counts.
            for (int round = 0; round < WARMUP_ROUNDS; round++) {
                deliver(harness, healthy, fast, null, "warmup" + round, REQUESTS);
                deliver(harness, healthy, fast, stuck, "warmup-mixed" + round, REQUESTS);
            }
            List<Long> alone = new ArrayList<>();
            List<Long> withDead = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                long aloneMs;
                long withDeadMs;
                if (round % 2 == 0) {
                    aloneMs = deliver(harness, healthy, fast, null, "alone" + round, REQUESTS);
                    withDeadMs = deliver(harness, healthy, fast, stuck, "mixed" + round, REQUESTS);
                } else {
                    withDeadMs = deliver(harness, healthy, fast, stuck, "mixed" + round, REQUESTS);
                    aloneMs = deliver(harness, healthy, fast, null, "alone" + round, REQUESTS);
                }
                alone.add(aloneMs);
                withDead.add(withDeadMs);
                ratios.add((double) withDeadMs / aloneMs);
            }
            LOG.info("Healthy endpoint, {} deliveries: alone {} ms, next to a dead endpoint {} ms, ratios {} ({} requests reached it)",
                    REQUESTS, alone, withDead, ratios, dead.hits().size());

            assertThat(dead.hits()).as("the dead endpoint was tried").isNotEmpty();
            // Once its breaker opened, the dead endpoint's requests went to the retry tiers unsent.
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> harness.attempts.values().stream()
                    .anyMatch(a -> a.getSubscriptionId().equals("dead") && "CIRCUIT_OPEN".equals(a.getErrorType())));
            assertThat(dead.hits().size()).as("requests that reached the dead endpoint").isLessThan(3 * REQUESTS / 10);
            assertThat(median(ratios)).as("median ratio of time next to a dead endpoint to time alone (%s ms vs %s ms)",
                    withDead, alone).isLessThanOrEqualTo(1.2);
        } finally {
            receivers.close().await();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Publishes {@code count} requests to {@code target} (and a share to {@code other}) and times the target's deliveries. */
    private static long deliver(DispatcherHarness harness, Receiver receiver, Subscription target, Subscription other,
                                String run, int count) throws Exception {
        int before = receiver.count();
        List<WebhookRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(request("msg_" + run + "_" + i, target, i));
            if (other != null && i % DEAD_SHARE == 0) {
                requests.add(request("msg_" + run + "_dead_" + i, other, i));
            }
        }
        List<ProducerRecord<String, byte[]>> records = harness.encode(requests);
        long started = System.nanoTime();
        harness.publishEncoded(records);
        // Polls the count, not hits(): copying tens of thousands of hits every 5 ms, under the lock
        // the receiver takes for each request, would be part of what is timed.
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> receiver.count() >= before + count);
        return (System.nanoTime() - started) / 1_000_000;
    }
}
