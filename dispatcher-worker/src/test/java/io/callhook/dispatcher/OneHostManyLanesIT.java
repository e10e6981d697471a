package io.callhook.dispatcher;

import static io.callhook.dispatcher.DispatcherHarness.request;
import static io.callhook.dispatcher.DispatcherHarness.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.launch.NginxReceiver;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import io.callhook.net.AddressPolicy;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.ScratchDirs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many customers' URLs point at one receiver host (a CRM's webhook endpoint): 1,000
 * subscriptions on one healthy host, 200,000 webhooks queued for them. The receiver is nginx, a
 * process of its own, so it answers in microseconds and is never what limits the run.
 *
 * <p>The host's connections (the per-destination pool) are far fewer than the lanes' in-flight
 * allowance (1,000 × 16), so most requests wait for a connection. That wait is back-pressure,
 * not the endpoint's failure: every webhook must be delivered at its first attempt, no breaker may
 * open, nothing may be deferred to a retry tier. It used to end with thousands of attempts failed
 * "waiting for the connect" and breakers opened on a host that answered everything.
 */
@RealInfra
class OneHostManyLanesIT {

    private static final Logger LOG = LoggerFactory.getLogger(OneHostManyLanesIT.class);
    private static final int SUBSCRIPTIONS = 1_000;
    private static final int WEBHOOKS = 200_000;
    private static final int BATCH = 10_000;
    /** Retries (there should be none) stay away for the whole test, so none is ever delivered and counted. */
    private static final RetrySchedule AN_HOUR_LATER = RetrySchedule.of(List.of(Duration.ofHours(1)));

    @Test
    void everyWebhookToOneBusyHostIsDeliveredAtItsFirstAttempt(Infra infra) throws Exception {
        Path dir = ScratchDirs.create("one-host-nginx");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (NginxReceiver nginx = NginxReceiver.start(dir, 1);
             DispatcherHarness harness = DispatcherHarness.start(infra, "onehost.", AN_HOUR_LATER,
                     AddressPolicy.allowing("127.0.0.0/8"), Duration.ofSeconds(10), EngineConfig.DEFAULTS, registry)) {
            List<Subscription> subscriptions = new ArrayList<>();
            for (int i = 0; i < SUBSCRIPTIONS; i++) {
                Subscription subscription = subscription("crm-" + i, nginx.url("/crm/hooks/" + i));
                harness.writeSubscription(subscription);
                subscriptions.add(subscription);
            }
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> subscriptions.stream().allMatch(s -> harness.app.knows(s.getId())));

            AtomicLong mostOpen = new AtomicLong();
            Thread watcher = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    Gauge open = registry.find("callhook.dispatcher.circuit_breakers").tag("state", "open").gauge();
                    if (open != null) {
                        mostOpen.accumulateAndGet((long) open.value(), Math::max);
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "breaker-watch");
            watcher.setDaemon(true);
            watcher.start();

            long started = System.nanoTime();
            for (int from = 0; from < WEBHOOKS; from += BATCH) {
                List<WebhookRequest> batch = new ArrayList<>(BATCH);
                for (int i = from; i < from + BATCH; i++) {
                    batch.add(request("w-" + i, subscriptions.get(i % SUBSCRIPTIONS), i));
                }
                harness.publishAll(batch);
            }
            LOG.info("{} webhooks queued in {} ms", WEBHOOKS, (System.nanoTime() - started) / 1_000_000);

            Awaitility.await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> delivered(registry) + notDelivered(registry) >= WEBHOOKS);
            double seconds = (System.nanoTime() - started) / 1e9;
            watcher.interrupt();
            LOG.info("{} attempts in {} s ({} a second); nginx counted {}", WEBHOOKS, String.format("%.1f", seconds),
                    Math.round(WEBHOOKS / seconds), nginx.requests());

            assertThat(notDelivered(registry)).as("attempts that did not deliver").isZero();
            assertThat(delivered(registry)).isEqualTo(WEBHOOKS);
            assertThat(nginx.requests()).as("requests the receiver answered").isEqualTo(WEBHOOKS);
            assertThat(sum(registry, "callhook.dispatcher.deferred")).as("webhooks deferred without an attempt").isZero();
            assertThat(sum(registry, "callhook.dispatcher.retries.scheduled")).as("retries scheduled").isZero();
            assertThat(sum(registry, "callhook.dispatcher.dead_letters")).as("dead letters").isZero();
            assertThat(mostOpen.get()).as("breakers open at any moment").isZero();
        }
    }

    private static double delivered(SimpleMeterRegistry registry) {
        return registry.find("callhook.dispatcher.deliveries").tag("outcome", "delivered").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static double notDelivered(SimpleMeterRegistry registry) {
        return registry.find("callhook.dispatcher.deliveries").counters().stream()
                .filter(c -> !"delivered".equals(c.getId().getTag("outcome")))
                .mapToDouble(Counter::count).sum();
    }

    private static double sum(SimpleMeterRegistry registry, String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }
}
