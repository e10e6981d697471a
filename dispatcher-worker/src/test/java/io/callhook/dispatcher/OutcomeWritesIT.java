package io.callhook.dispatcher;

import static io.callhook.dispatcher.DispatcherHarness.request;
import static io.callhook.dispatcher.DispatcherHarness.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Outcome writes that fail, on the real broker: topic settings make the broker refuse them, for a
 * while (too few in-sync replicas: a passing outage) or for good (records larger than the topic
 * takes). A write that landed is never sent again, an outage is waited out with readiness down, and
 * a record that can never be written is replaced by a smaller dead letter so its partition moves on.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutcomeWritesIT {

    private static final RetrySchedule SCHEDULE = RetrySchedule.of(List.of(Duration.ZERO, Duration.ofHours(1)));
    private DispatcherHarness harness;
    private Admin admin;

    @BeforeAll
    void start(Infra infra) throws Exception {
        // The producer gives up on a batch after 3 s (and on a missing topic after 1 s) instead of
        // minutes: the engine's own resending is what is tested.
        harness = DispatcherHarness.start(infra, "writes.", SCHEDULE, AddressPolicy.allowing("127.0.0.0/8"),
                Duration.ofSeconds(2), EngineConfig.DEFAULTS, new SimpleMeterRegistry(),
                Map.of("delivery.timeout.ms", "3000", "request.timeout.ms", "1000", "max.block.ms", "1000"));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()));
    }

    @AfterAll
    void stop() throws Exception {
        admin.close();
        harness.close();
    }

    /**
     * The attempts topic is gone for a while (deleted, then created again, as in a botched
     * migration); the retry tier takes its write at once. Only the attempt records are sent again:
     * the webhook's retry goes out once (no second retry chain), readiness is down meanwhile, and
     * every attempt record lands once, after the outage.
     */
    @Test
    void anOutageIsWaitedOutAndWhatLandedIsNotWrittenAgain() throws Exception {
        try (Receiver receiver = Receiver.start(harness.vertx).answering(n -> Answer.status(n == 0 ? 500 : 200))) {
            Subscription subscription = subscription("outage", receiver.url("/outage"));
            harness.subscribe(subscription);
            String attempts = harness.names.attempts();
            admin.deleteTopics(List.of(attempts)).all().get(10, TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !admin.listTopics().names().get().contains(attempts));
            try {
                harness.publish(request("msg_outage", subscription, 1));
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> receiver.count() >= 2);
                Thread.sleep(5000);
                assertThat(receiver.count()).as("the retry was written once: no second retry chain").isEqualTo(2);
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !harness.app.readiness().isUp());
                assertThat(harness.app.readiness().toString()).contains("outcome writes waiting");
            } finally {
                admin.createTopics(List.of(new NewTopic(attempts, 3, (short) 1))).all().get(10, TimeUnit.SECONDS);
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> harness.app.readiness().isUp());
            Thread.sleep(2000);
            List<String> written = Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> attemptIds(attempts, "msg_outage"), ids -> ids.size() >= 2);
            assertThat(written).as("each attempt record written once").containsExactlyInAnyOrder("msg_outage/1", "msg_outage/2");
            assertThat(receiver.count()).isEqualTo(2);
        }
    }

    /** Attempt ids of a webhook on the attempts topic, read from its beginning by a consumer of its own. */
    private List<String> attemptIds(String topic, String webhookId) {
        try (KafkaConsumer<String, DeliveryAttempt> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.bootstrapServers()), new StringDeserializer(),
                harness.topics.attempts().valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> ids = new java.util.ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value().getWebhookId().equals(webhookId)) {
                        ids.add(record.value().getAttemptId());
                    }
                }
            }
            return ids;
        }
    }

    /**
     * A retry too large for its tier's topic can never be written: the webhook becomes a dead
     * letter saying so (request kept, replayable), its attempt record is written once, and the
     * partition's committed offset moves past it.
     */
    @Test
    void aRetryTheTierCanNeverTakeBecomesADeadLetter() throws Exception {
        try (Receiver receiver = Receiver.start(harness.vertx).answering(n -> Answer.status(500))) {
            Subscription subscription = subscription("too-large", receiver.url("/too-large"));
            harness.subscribe(subscription);
            setTopicConfig(harness.names.retryTier("0s"), "max.message.bytes", "3000");
            WebhookRequest large = WebhookRequest.newBuilder(request("msg_too_large", subscription, 2))
                    .setBody(ByteBuffer.wrap(incompressible(4000).getBytes(StandardCharsets.UTF_8))).build();
            harness.publish(large);

            DeadLetter letter = awaitDeadLetter(d -> d.getRequest() != null && d.getRequest().getWebhookId().equals("msg_too_large"));
            assertThat(letter.getReasonCode()).isEqualTo("RETRY_UNWRITABLE");
            assertThat(letter.getReason()).contains("RecordTooLargeException");
            assertThat(letter.getRequest().getBody().remaining()).isEqualTo(4000);
            assertOffsetsCommitted(harness.names.outbound(), DispatcherHarness.partitionOf("too-large"));
            Thread.sleep(3000);
            assertThat(harness.attemptsOf("msg_too_large")).as("the attempt record was written once")
                    .extracting(DeliveryAttempt::getAttemptId).containsExactly("msg_too_large/1");
            assertThat(harness.attemptsOf("msg_too_large").get(0).getOutcome()).isEqualTo(AttemptOutcome.RETRYING);
            assertThat(receiver.count()).isEqualTo(1);
        }
    }

    /**
     * An undecodable record too large to be dead-lettered with its bytes is dead-lettered without
     * them, naming where it was, and its offset is committed.
     */
    @Test
    void anUndecodableRecordWhoseDeadLetterIsTooLargeStillFinishes() throws Exception {
        setTopicConfig(harness.names.deadLetters(), "max.message.bytes", "8000");
        String key = "garbage-key";
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(harness.names.outbound(), key,
                    incompressible(10_000).getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        }
        DeadLetter letter = awaitDeadLetter(d -> "UNDECODABLE".equals(d.getReasonCode())
                && d.getReason().contains("written without its content"));
        assertThat(letter.getRawValue()).isNull();
        assertThat(letter.getSource().getTopic()).isEqualTo(harness.names.outbound());
        assertThat(letter.getReason()).contains("RecordTooLargeException");
        assertOffsetsCommitted(harness.names.outbound(), DispatcherHarness.partitionOf(key));
    }

    private void assertOffsetsCommitted(String topic, int partition) throws Exception {
        long end = harness.endOffset(topic, partition);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(harness.committedOffsets(topic).get(partition)).as("committed offset of %s-%s", topic, partition)
                        .isEqualTo(end));
    }

    private DeadLetter awaitDeadLetter(java.util.function.Predicate<DeadLetter> which) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> harness.deadLetters.values().stream().filter(which).findFirst(), Optional::isPresent).orElseThrow();
    }

    private void setTopicConfig(String topic, String name, String value) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET))))
                .all().get(10, TimeUnit.SECONDS);
        // Topic configs reach the broker's log through metadata; give it a moment.
        Thread.sleep(500);
    }

    /** Text that no compression makes smaller than the topic limits here. */
    private static String incompressible(int length) {
        byte[] random = new byte[length];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random).substring(0, length);
    }
}
