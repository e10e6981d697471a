package io.callhook.dispatcher;

import static io.callhook.dispatcher.DispatcherHarness.request;
import static io.callhook.dispatcher.DispatcherHarness.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.publish.Publisher;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.domain.DeadLetterReplayer;
import io.callhook.model.AttemptOutcome;
import io.callhook.model.DeadLetter;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import io.callhook.net.AddressPolicy;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testsupport.Receiver;
import io.callhook.testsupport.Receiver.Answer;
import io.callhook.testsupport.Receiver.Hit;
import io.callhook.testsupport.StandardWebhooksVerifier;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Delivery semantics against the real broker and real HTTP receivers on loopback (allowed by
 * the allowlist here; SsrfIT runs without it). Retry schedule shortened to 0 s, 1.5 s, 1.5 s.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryIT {

    private static final RetrySchedule SCHEDULE = RetrySchedule.of(List.of(Duration.ZERO, Duration.ofMillis(1500), Duration.ofMillis(1500)));
    private DispatcherHarness harness;

    @BeforeAll
    void start(Infra infra) throws Exception {
        harness = DispatcherHarness.start(infra, "delivery.", SCHEDULE, AddressPolicy.allowing("127.0.0.0/8,::1/128"),
                Duration.ofSeconds(1), EngineConfig.DEFAULTS);
    }

    @AfterAll
    void stop() throws Exception {
        harness.close();
    }

    private Receiver receiver() {
        return Receiver.start(harness.vertx);
    }

    private List<DeliveryAttempt> awaitAttempts(String webhookId, int count) {
        return Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> harness.attemptsOf(webhookId), attempts -> attempts.size() >= count);
    }

    @Test
    void everyRequestPassesAnIndependentStandardWebhooksCheck() throws Exception {
        try (Receiver receiver = receiver()) {
            Subscription subscription = subscription("signed", receiver.url("/hooks"));
            harness.subscribe(subscription);
            for (int i = 0; i < 20; i++) {
                harness.publish(request("msg_signed_" + i, subscription, 100 + i));
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.hits().size() == 20);

            for (Hit hit : receiver.hits()) {
                assertThat(StandardWebhooksVerifier.verify(hit.headers(), hit.body(), DispatcherHarness.SECRET, Instant.now()))
                        .satisfies(result -> assertThat(result.verified()).as(result.toString()).isTrue());
                assertThat(hit.header("content-type")).isEqualTo("application/json");
                assertThat(hit.header("user-agent")).startsWith("Callhook/");
                assertThat(hit.header("x-customer")).isEqualTo("acme");
                assertThat(new String(hit.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("Москва");
            }
            assertThat(receiver.hits()).extracting(hit -> hit.header("webhook-id")).doesNotHaveDuplicates();
            awaitAttempts("msg_signed_19", 1);
            assertThat(harness.attemptsOf("msg_signed_0")).singleElement()
                    .satisfies(a -> assertThat(a.getOutcome()).isEqualTo(AttemptOutcome.DELIVERED))
                    .satisfies(a -> assertThat(a.getHttpStatus()).isEqualTo(200));
        }
    }

    @Test
    void failuresAreRetriedUntilDelivered() throws Exception {
        try (Receiver receiver = receiver().answering(n -> Answer.status(n < 2 ? 500 : 200))) {
            Subscription subscription = subscription("flaky", receiver.url("/flaky"));
            harness.subscribe(subscription);
            harness.publish(request("msg_flaky", subscription, 200));

            List<DeliveryAttempt> attempts = awaitAttempts("msg_flaky", 3);
            assertThat(attempts).extracting(DeliveryAttempt::getOutcome)
                    .containsExactly(AttemptOutcome.RETRYING, AttemptOutcome.RETRYING, AttemptOutcome.DELIVERED);
            assertThat(attempts).extracting(DeliveryAttempt::getAttemptNumber).containsExactly(1, 2, 3);
            assertThat(attempts).extracting(DeliveryAttempt::getHttpStatus).containsExactly(500, 500, 200);
            assertThat(attempts.get(0).getNextAttemptAt()).isNotNull();
            List<Hit> hits = receiver.hits();
            assertThat(hits).hasSize(3).extracting(hit -> hit.header("webhook-id")).containsOnly("msg_flaky");
            // Second retry waits its tier's 1.5 s (±20 %), the first goes at once.
            assertThat(Duration.between(hits.get(1).at(), hits.get(2).at())).isGreaterThan(Duration.ofMillis(1100));
            // Each attempt names the record it was sent from: the first the outbound topic, the retries their tiers.
            assertThat(attempts).allSatisfy(a -> assertThat(a.getRequest()).isNotNull());
            assertThat(attempts.get(0).getRequest().getTopic()).isEqualTo(harness.names.outbound());
            assertThat(attempts.get(1).getRequest().getTopic()).startsWith(harness.names.retryPrefix());
        }
    }

    @Test
    void aWebhookSentAgainOnRequestHasAttemptsOfItsOwnAndTheSameWebhookId() throws Exception {
        try (Receiver receiver = receiver()) {
            Subscription subscription = subscription("resent", receiver.url("/resent"));
            harness.subscribe(subscription);
            WebhookRequest original = request("msg_resent", subscription, 300);
            harness.publish(original);
            awaitAttempts("msg_resent", 1);
            harness.publish(WebhookRequest.newBuilder(original).setResendId("resend_abc").build());

            List<DeliveryAttempt> attempts = awaitAttempts("msg_resent", 2);
            assertThat(attempts).extracting(DeliveryAttempt::getAttemptId).containsExactlyInAnyOrder("msg_resent/1", "msg_resent/resend_abc/1");
            assertThat(attempts).extracting(DeliveryAttempt::getOutcome).containsOnly(AttemptOutcome.DELIVERED);
            assertThat(receiver.hits()).extracting(hit -> hit.header("webhook-id")).containsExactly("msg_resent", "msg_resent");
        }
    }

    @Test
    void exhaustedRetriesAreDeadLetteredWithTheirHistoryAndCanBeReplayed() throws Exception {
        try (Receiver receiver = receiver().answering(n -> Answer.status(n < 4 ? 503 : 200))) {
            Subscription subscription = subscription("doomed", receiver.url("/doomed"));
            harness.subscribe(subscription);
            Instant before = Instant.now();
            harness.publish(request("msg_doomed", subscription, 300));

            DeadLetter letter = Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                    () -> harness.deadLetters.values().stream().filter(d -> "doomed".equals(d.getSubscriptionId())).findFirst(),
                    java.util.Optional::isPresent).orElseThrow();
            assertThat(letter.getReasonCode()).isEqualTo("RETRIES_EXHAUSTED");
            assertThat(letter.getRequest().getAttempts()).hasSize(4)
                    .extracting(DeliveryAttempt::getHttpStatus).containsOnly(503);
            assertThat(letter.getSource().getTopic()).startsWith(harness.names.retryPrefix());
            assertThat(receiver.hits()).hasSize(4);

            int replayed;
            try (KafkaConsumer<String, DeadLetter> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap()),
                    new StringDeserializer(),
                    harness.topics.deadLetters().valueSerde().deserializer());
                 Publisher publisher = new Publisher(new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap()),
                         new StringSerializer(), new ByteArraySerializer()), harness.topics)) {
                replayed = new DeadLetterReplayer(consumer, harness.names.deadLetters(), publisher::outbound)
                        .replay("doomed", before, Instant.now().plusSeconds(1));
            }
            assertThat(replayed).isEqualTo(1);
            List<DeliveryAttempt> attempts = awaitAttempts("msg_doomed", 5);
            assertThat(attempts.get(4).getOutcome()).isEqualTo(AttemptOutcome.DELIVERED);
            assertThat(attempts.get(4).getAttemptNumber()).isEqualTo(5);
            assertThat(receiver.hits()).hasSize(5).extracting(hit -> hit.header("webhook-id")).containsOnly("msg_doomed");
        }
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        try (Receiver receiver = receiver().answering(n -> n == 0 ? Answer.status(429).withHeader("Retry-After", "1") : Answer.status(200))) {
            Subscription subscription = subscription("throttled", receiver.url("/throttled"));
            harness.subscribe(subscription);
            harness.publish(request("msg_throttled", subscription, 400));

            awaitAttempts("msg_throttled", 2);
            List<Hit> hits = receiver.hits();
            // The schedule alone would retry at once; the receiver asked for 1 s. (A Retry-After
            // beyond the largest tier, 1.5 s here and 10 h by default, is capped to it.)
            assertThat(Duration.between(hits.get(0).at(), hits.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
            assertThat(harness.attemptsOf("msg_throttled").get(0).getHttpStatus()).isEqualTo(429);
        }
    }

    /**
     * A 410 from the current URL: the attempt says DISABLED and names the endpoint, the webhook is
     * kept as a dead letter, and the dispatcher writes nothing to the subscriptions topic (the
     * store, its one writer, disables the subscription from the attempt: EndpointGoneIT there).
     */
    @Test
    void goneIsRecordedAndKeptAsADeadLetterWithoutTheDispatcherWritingTheSubscription() throws Exception {
        try (Receiver receiver = receiver().answering(n -> Answer.status(410))) {
            Subscription subscription = subscription("gone", receiver.url("/gone"));
            harness.subscribe(subscription);
            harness.subscriptions.awaitUntil(read -> read.stream().anyMatch(r -> "gone".equals(r.key())), Duration.ofSeconds(10));
            harness.publish(request("msg_gone_1", subscription, 500));

            DeliveryAttempt attempt = awaitAttempts("msg_gone_1", 1).get(0);
            assertThat(attempt.getOutcome()).isEqualTo(AttemptOutcome.DISABLED);
            assertThat(attempt.getHttpStatus()).isEqualTo(410);
            assertThat(attempt.getErrorMessage()).isEqualTo("410 Gone from " + receiver.url("/gone"));
            // The webhook that met the 410 was not delivered: kept, replayable.
            DeadLetter letter = awaitDeadLetter("msg_gone_1");
            assertThat(letter.getReasonCode()).isEqualTo("SUBSCRIPTION_DISABLED");
            assertThat(letter.getReason()).startsWith("410 Gone from " + receiver.url("/gone") + " at ");

            Thread.sleep(1000);
            assertThat(harness.subscriptions.records()).filteredOn(r -> "gone".equals(r.key()))
                    .as("records of the subscription on its topic: the test's own only").hasSize(1);
            assertThat(isEnabled("gone")).as("enabled until the store disables it").isTrue();
        }
    }

    /**
     * A subscription the customer disabled keeps its webhooks as dead letters (the whole request,
     * with its attempt history), and once enabled again they are replayed and delivered.
     */
    @Test
    void aDisabledSubscriptionsWebhooksAreDeadLetteredThenReplayedOnceEnabled() throws Exception {
        try (Receiver receiver = receiver()) {
            Subscription enabled = subscription("paused", receiver.url("/paused"));
            harness.subscribe(enabled);
            Instant now = Instant.now();
            Subscription disabled = Subscription.newBuilder(enabled).setEnabled(false)
                    .setDisabledReason("disabled by the customer").setUpdatedAt(now).build();
            harness.writeSubscription(disabled);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !isEnabled("paused"));
            Instant before = Instant.now();
            harness.publish(request("msg_paused_1", enabled, 1000));
            harness.publish(request("msg_paused_2", enabled, 1001));

            DeadLetter first = awaitDeadLetter("msg_paused_1");
            awaitDeadLetter("msg_paused_2");
            assertThat(first.getReasonCode()).isEqualTo("SUBSCRIPTION_DISABLED");
            assertThat(first.getReason()).contains("disabled by the customer");
            assertThat(first.getRequest().getBody().remaining()).isPositive();
            assertThat(harness.attemptsOf("msg_paused_1")).singleElement()
                    .satisfies(a -> assertThat(a.getOutcome()).isEqualTo(AttemptOutcome.DEAD_LETTERED));
            assertThat(receiver.hits()).isEmpty();

            harness.subscribe(Subscription.newBuilder(enabled).setUpdatedAt(Instant.now()).build());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> isEnabled("paused"));
            assertThat(replay("paused", before)).isEqualTo(2);

            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.hits().size() == 2);
            assertThat(receiver.hits()).extracting(hit -> hit.header("webhook-id")).containsExactly("msg_paused_1", "msg_paused_2");
            assertThat(awaitAttempts("msg_paused_1", 2).get(1).getOutcome()).isEqualTo(AttemptOutcome.DELIVERED);
        }
    }

    /** Whether the dispatcher sees the subscription enabled now. */
    private boolean isEnabled(String subscriptionId) {
        return harness.app.subscription(subscriptionId).map(Subscription::getEnabled).orElse(false);
    }

    private DeadLetter awaitDeadLetter(String webhookId) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> harness.deadLetters.values().stream()
                        .filter(d -> d.getRequest() != null && d.getRequest().getWebhookId().equals(webhookId)).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    private int replay(String subscriptionId, Instant from) {
        try (KafkaConsumer<String, DeadLetter> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap()),
                new StringDeserializer(), harness.topics.deadLetters().valueSerde().deserializer());
             Publisher publisher = new Publisher(new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap()),
                     new StringSerializer(), new ByteArraySerializer()), harness.topics)) {
            return new DeadLetterReplayer(consumer, harness.names.deadLetters(), publisher::outbound)
                    .replay(subscriptionId, from, Instant.now().plusSeconds(1));
        }
    }

    @Test
    void aSilentEndpointTimesOutAndIsRetried() throws Exception {
        try (Receiver receiver = receiver().answering(n -> n == 0 ? Answer.never() : Answer.status(200))) {
            Subscription subscription = subscription("silent", receiver.url("/silent"));
            harness.subscribe(subscription);
            harness.publish(request("msg_silent", subscription, 600));

            List<DeliveryAttempt> attempts = awaitAttempts("msg_silent", 2);
            assertThat(attempts.get(0).getErrorType()).isEqualTo("TIMEOUT");
            assertThat(attempts.get(0).getLatencyMs()).isBetween(900L, 3000L);
            assertThat(attempts.get(1).getOutcome()).isEqualTo(AttemptOutcome.DELIVERED);
        }
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        try (Receiver target = receiver();
             Receiver redirecting = receiver().answering(n -> Answer.status(302).withHeader("Location", target.url("/elsewhere")))) {
            Subscription subscription = subscription("redirecting", redirecting.url("/moved"));
            harness.subscribe(subscription);
            harness.publish(request("msg_redirect", subscription, 700));

            DeliveryAttempt first = awaitAttempts("msg_redirect", 1).get(0);
            assertThat(first.getHttpStatus()).isEqualTo(302);
            assertThat(first.getOutcome()).isEqualTo(AttemptOutcome.RETRYING);
            Thread.sleep(500);
            assertThat(target.connections()).isZero();
        }
    }

    @Test
    void deletingASubscriptionDropsItsPendingRetries() throws Exception {
        try (Receiver receiver = receiver().answering(n -> Answer.status(500))) {
            Subscription subscription = subscription("deleted", receiver.url("/deleted"));
            harness.subscribe(subscription);
            harness.publish(request("msg_deleted", subscription, 800));

            awaitAttempts("msg_deleted", 2); // the first attempt and the immediate retry; the next waits 1.5 s
            harness.delete("deleted");

            DeliveryAttempt dropped = awaitAttempts("msg_deleted", 3).get(2);
            assertThat(dropped.getOutcome()).isEqualTo(AttemptOutcome.DROPPED);
            assertThat(dropped.getErrorType()).isEqualTo("SUBSCRIPTION_DELETED");
            Thread.sleep(2000);
            assertThat(receiver.hits()).hasSize(2);
            assertThat(harness.attemptsOf("msg_deleted")).hasSize(3);
        }
    }

    @Test
    void aSubscriptionsRateLimitSpacesItsRequests() throws Exception {
        try (Receiver receiver = receiver()) {
            Subscription subscription = Subscription.newBuilder(subscription("limited", receiver.url("/limited")))
                    .setRateLimitPerSecond(5).build();
            harness.subscribe(subscription);
            List<WebhookRequest> requests = new java.util.ArrayList<>();
            for (int i = 0; i < 15; i++) {
                requests.add(request("msg_limited_" + i, subscription, 900 + i));
            }
            harness.publishAll(requests);

            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.hits().size() == 15);
            List<Hit> hits = receiver.hits();
            // A burst of one second's worth (5), then 5 per second: the 15th leaves 2 s after the first.
            // Timed at arrival: the first requests also open connections, which on a busy machine
            // delays them by a few hundred ms; without the limit all 15 would arrive within that.
            assertThat(Duration.between(hits.get(0).at(), hits.get(14).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
            assertThat(hits).extracting(hit -> hit.header("webhook-id"))
                    .as("first attempts leave in order").containsExactlyElementsOf(
                            requests.stream().map(WebhookRequest::getWebhookId).toList());
        }
    }

    private String bootstrap() {
        return harness.bootstrapServers();
    }
}
