package io.callhook.dispatcher;

import static io.callhook.dispatcher.DispatcherHarness.request;
import static io.callhook.dispatcher.DispatcherHarness.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.model.AttemptOutcome;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.Subscription;
import io.callhook.net.AddressPolicy;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testsupport.Receiver;
import io.callhook.testsupport.Receiver.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A customer changes a subscription's URL while one of its webhooks waits for a retry: the
 * retry goes to the URL as it now is, a 410 from the old URL does not disable the new one, and
 * the reason a subscription was disabled names the URL without its query (for GET, the call's
 * data). Real broker, registry and loopback receivers. Retries wait 3 s (±20 %), time enough for
 * the changed subscription to reach the dispatcher.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UrlChangeIT {

    private static final RetrySchedule SCHEDULE = RetrySchedule.of(List.of(Duration.ofSeconds(3), Duration.ofSeconds(3)));
    private static final String PAIRS = "id=1001&phone2=%2B79990001122&hook_event=Call+is+over";
    private DispatcherHarness harness;

    @BeforeAll
    void start(Infra infra) throws Exception {
        harness = DispatcherHarness.start(infra, "urlchange.", SCHEDULE, AddressPolicy.allowing("127.0.0.0/8"),
                Duration.ofSeconds(5), EngineConfig.DEFAULTS);
    }

    @AfterAll
    void stop() throws Exception {
        harness.close();
    }

    @Test
    void aRetryGoesToTheSubscriptionsCurrentUrl() throws Exception {
        try (Receiver old = Receiver.start(harness.vertx).answering(n -> Answer.status(500));
             Receiver moved = Receiver.start(harness.vertx)) {
            Subscription subscription = subscription("moving", old.url("/old"));
            harness.subscribe(subscription);
            harness.publish(request("msg_moving", subscription, 1));
            assertThat(awaitAttempts("msg_moving", 1).get(0).getOutcome()).isEqualTo(AttemptOutcome.RETRYING);

            harness.subscribe(Subscription.newBuilder(subscription).setUrl(moved.url("/new")).setUpdatedAt(Instant.now()).build());

            assertThat(awaitAttempts("msg_moving", 2).get(1).getOutcome()).isEqualTo(AttemptOutcome.DELIVERED);
            assertThat(moved.hits()).singleElement().satisfies(hit -> assertThat(hit.uri()).isEqualTo("/new"));
            assertThat(old.hits()).hasSize(1);
        }
    }

    @Test
    void goneFromAnOldUrlDoesNotDisableTheNewOne() throws Exception {
        try (Receiver old = Receiver.start(harness.vertx).answering(n -> Answer.status(410)).delaying(2000);
             Receiver moved = Receiver.start(harness.vertx)) {
            Subscription subscription = subscription("moved-while-sending", old.url("/old"));
            harness.subscribe(subscription);
            harness.publish(request("msg_moved_while_sending", subscription, 2));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> old.hits().size() == 1);

            // The old URL answers 410 two seconds later, when the subscription points elsewhere.
            harness.subscribe(Subscription.newBuilder(subscription).setUrl(moved.url("/new")).setUpdatedAt(Instant.now()).build());

            List<DeliveryAttempt> attempts = awaitAttempts("msg_moved_while_sending", 2);
            assertThat(attempts.get(0).getHttpStatus()).isEqualTo(410);
            assertThat(attempts.get(0).getOutcome()).isEqualTo(AttemptOutcome.RETRYING);
            assertThat(attempts.get(1).getOutcome()).isEqualTo(AttemptOutcome.DELIVERED);
            assertThat(moved.hits()).hasSize(1);
            assertThat(harness.subscriptions.values()).filteredOn(s -> s != null && s.getId().equals("moved-while-sending"))
                    .as("nothing disabled the subscription or put its old URL back")
                    .allSatisfy(s -> assertThat(s.getEnabled()).isTrue())
                    .last().satisfies(s -> assertThat(s.getUrl()).isEqualTo(moved.url("/new")));
        }
    }

    @Test
    void theGoneAttemptNamesTheUrlWithoutItsQuery() throws Exception {
        try (Receiver gone = Receiver.start(harness.vertx).answering(n -> Answer.status(410))) {
            Subscription subscription = DispatcherHarness.getSubscription("gone-get", gone.url("/gone?token=t0p"));
            harness.subscribe(subscription);
            harness.publish(DispatcherHarness.getRequest("msg_gone_get", subscription, PAIRS, true));

            assertThat(awaitAttempts("msg_gone_get", 1).get(0).getOutcome()).isEqualTo(AttemptOutcome.DISABLED);
            assertThat(gone.hits()).singleElement().satisfies(hit -> assertThat(hit.uri()).isEqualTo("/gone?token=t0p&" + PAIRS));
            // What the store quotes when it disables the subscription.
            assertThat(awaitAttempts("msg_gone_get", 1).get(0).getErrorMessage())
                    .isEqualTo("410 Gone from " + gone.url("/gone"))
                    .doesNotContain("?").doesNotContain("token").doesNotContain("phone2");
        }
    }

    @Test
    void aGetRetryCarriesItsPairsToTheNewUrl() throws Exception {
        try (Receiver old = Receiver.start(harness.vertx).answering(n -> Answer.status(503));
             Receiver moved = Receiver.start(harness.vertx)) {
            Subscription subscription = DispatcherHarness.getSubscription("moving-get", old.url("/old?k=1"));
            harness.subscribe(subscription);
            harness.publish(DispatcherHarness.getRequest("msg_moving_get", subscription, PAIRS, true));
            assertThat(awaitAttempts("msg_moving_get", 1).get(0).getOutcome()).isEqualTo(AttemptOutcome.RETRYING);

            harness.subscribe(Subscription.newBuilder(subscription).setUrl(moved.url("/new?k=2")).setUpdatedAt(Instant.now()).build());

            assertThat(awaitAttempts("msg_moving_get", 2).get(1).getOutcome()).isEqualTo(AttemptOutcome.DELIVERED);
            assertThat(moved.hits()).singleElement().satisfies(hit -> assertThat(hit.uri()).isEqualTo("/new?k=2&" + PAIRS));
            assertThat(old.hits()).singleElement().satisfies(hit -> assertThat(hit.uri()).isEqualTo("/old?k=1&" + PAIRS));
        }
    }

    @Test
    void aGetWrittenBeforeV3IsStillDeliveredToItsUrl() throws Exception {
        try (Receiver receiver = Receiver.start(harness.vertx)) {
            Subscription subscription = DispatcherHarness.getSubscription("legacy-get", receiver.url("/legacy"));
            harness.subscribe(subscription);
            harness.publish(DispatcherHarness.getRequest("msg_legacy_get", subscription, PAIRS, false));

            assertThat(awaitAttempts("msg_legacy_get", 1).get(0).getOutcome()).isEqualTo(AttemptOutcome.DELIVERED);
            assertThat(receiver.hits()).singleElement().satisfies(hit -> assertThat(hit.uri()).isEqualTo("/legacy?" + PAIRS));
        }
    }

    private List<DeliveryAttempt> awaitAttempts(String webhookId, int count) {
        return Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> harness.attemptsOf(webhookId), attempts -> attempts.size() >= count);
    }

}
