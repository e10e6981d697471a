package io.callhook.dispatcher;

import static io.callhook.dispatcher.DispatcherHarness.partitionOf;
import static io.callhook.dispatcher.DispatcherHarness.request;
import static io.callhook.dispatcher.DispatcherHarness.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.model.AttemptOutcome;
import io.callhook.model.DeadLetter;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import io.callhook.net.AddressPolicy;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testsupport.Receiver;
import io.callhook.testsupport.Receiver.Hit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhooks that cannot be sent never hold up the partition they came on: a subscription whose
 * headers differ only in case (written straight to the topic, past the store's checks), and a
 * request rendered with such headers before the rule existed, sit on the same partition as
 * healthy subscriptions. The healthy ones are delivered, the others are dead-lettered naming
 * what is wrong, the partition's committed offset reaches its end, and a restarted dispatcher
 * sends nothing again.
 */
@RealInfra
class UnsendableWebhooksIT {

    private static final Logger LOG = LoggerFactory.getLogger(UnsendableWebhooksIT.class);
    private static final int ROUNDS = 30;

    @Test
    void caseDuplicateHeadersNeverHoldUpThePartition(Infra infra) throws Exception {
        List<String> ids = samePartition(5);
        int partition = partitionOf(ids.get(0));
        try (DispatcherHarness harness = DispatcherHarness.start(infra, "unsendable.", RetrySchedule.of(List.of(Duration.ZERO)),
                AddressPolicy.allowing("127.0.0.0/8"), Duration.ofSeconds(2), EngineConfig.DEFAULTS);
             Receiver receiver = Receiver.start(harness.vertx)) {
            List<Subscription> healthy = new ArrayList<>();
            for (String id : ids.subList(0, 3)) {
                Subscription subscription = subscription(id, receiver.url("/" + id));
                harness.subscribe(subscription);
                healthy.add(subscription);
            }
            Map<String, String> caseDuplicates = new LinkedHashMap<>();
            caseDuplicates.put("X-A", "1");
            caseDuplicates.put("x-a", "2");
            // Another producer's subscription, never seen by the store's checks.
            Subscription invalid = Subscription.newBuilder(subscription(ids.get(3), receiver.url("/invalid")))
                    .setHeaders(caseDuplicates).build();
            harness.writeSubscription(invalid);
            // A valid subscription whose pending webhooks were rendered with such headers before the rule.
            Subscription stale = subscription(ids.get(4), receiver.url("/stale"));
            harness.subscribe(stale);

            List<WebhookRequest> requests = new ArrayList<>();
            List<String> healthyIds = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (Subscription subscription : healthy) {
                    WebhookRequest request = request("msg_ok_" + subscription.getId() + "_" + round, subscription, round);
                    requests.add(request);
                    healthyIds.add(request.getWebhookId());
                }
                if (round % 10 == 0) {
                    requests.add(request("msg_invalid_" + round, invalid, round));
                    requests.add(WebhookRequest.newBuilder(request("msg_stale_" + round, stale, round)).setHeaders(caseDuplicates).build());
                }
            }
            harness.publishAll(requests);

            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(receivedIds(receiver)).as("healthy webhooks received").containsAll(healthyIds));
            Map<String, DeadLetter> letters = Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                    () -> harness.deadLetters.values().stream().filter(d -> d.getRequest() != null)
                            .collect(Collectors.toMap(d -> d.getRequest().getWebhookId(), Function.identity(), (a, b) -> a)),
                    byId -> byId.keySet().containsAll(List.of("msg_invalid_0", "msg_invalid_10", "msg_invalid_20",
                            "msg_stale_0", "msg_stale_10", "msg_stale_20")));
            assertThat(letters.get("msg_invalid_10").getReasonCode()).isEqualTo("SUBSCRIPTION_INVALID");
            assertThat(letters.get("msg_invalid_10").getReason()).contains("headers").contains("given twice").containsIgnoringCase("x-a");
            assertThat(letters.get("msg_stale_10").getReasonCode()).isEqualTo("PREPARE_FAILED");
            assertThat(letters.get("msg_stale_10").getReason()).containsIgnoringCase("x-a").contains("twice");
            assertThat(letters.get("msg_stale_10").getRequest().getBody()).as("kept whole, replayable").isNotNull();
            assertThat(harness.attemptsOf("msg_stale_10")).extracting(a -> a.getOutcome()).containsExactly(AttemptOutcome.DEAD_LETTERED);
            assertThat(receiver.hits()).noneMatch(hit -> hit.uri().equals("/invalid") || hit.uri().equals("/stale"));

            long end = harness.endOffset(harness.names.outbound(), partition);
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(harness.committedOffsets(harness.names.outbound()).get(partition))
                            .as("committed offset of %s-%s", harness.names.outbound(), partition).isEqualTo(end));

            int before = receiver.count();
            harness.restart();
            WebhookRequest marker = request("msg_after_restart", healthy.get(0), 999);
            harness.publish(marker);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> receivedIds(receiver).contains("msg_after_restart"));
            Thread.sleep(1000);
            List<Hit> hits = receiver.hits();
            LOG.info("{} healthy webhooks, {} received before the restart, {} in all", healthyIds.size(), before, hits.size());
            assertThat(hits).as("nothing re-sent after the restart").hasSize(healthyIds.size() + 1);
            assertThat(hits).extracting(hit -> hit.header("webhook-id")).doesNotHaveDuplicates();
        }
    }

    private static Set<String> receivedIds(Receiver receiver) {
        return receiver.hits().stream().map(hit -> hit.header("webhook-id")).collect(Collectors.toSet());
    }

    /** Subscription ids whose records land on one partition. */
    private static List<String> samePartition(int count) {
        List<String> ids = new ArrayList<>();
        int target = partitionOf("unsendable-0");
        for (int i = 0; ids.size() < count; i++) {
            if (partitionOf("unsendable-" + i) == target) {
                ids.add("unsendable-" + i);
            }
        }
        return ids;
    }
}
