package io.callhook.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.launch.ChildProcess;
import io.callhook.launch.RegistryProcess;
import io.callhook.model.Product;
import io.callhook.model.SampleSubscriptions;
import io.callhook.model.Subscription;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.HealthStatus;
import io.callhook.subscription.SubscriptionRules;
import io.callhook.testkit.Infra;
import io.callhook.testkit.LogCapture;
import io.callhook.testkit.RealInfra;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The subscription view against a real broker and a real registry. The outage test runs a
 * registry of its own (the shared one must stay up for the other tests), on one port and one
 * data directory, so that when it comes back it serves the same schema ids.
 */
@RealInfra
class SubscriptionViewIT {

    private static final SubscriptionRules RULES = new SubscriptionRules(url -> Optional.empty());

    @Test
    void aRegistryOutageWhileCatchingUpIsWaitedOutNotReadAsDeletion(Infra infra, @TempDir Path dir) throws Exception {
        String topic = topic(infra, "outage");
        int port = ChildProcess.freePort();
        Path data = dir.resolve("registry");
        Path log = Path.of("target", "it-logs", "view-outage-registry.log");
        try (RegistryProcess registry = RegistryProcess.start(data, log, port)) {
            write(infra, topic, registry.baseUrl(), List.of(subscription("a", 1), subscription("b", 2), subscription("c", 3)));
        }

        // A new reader knows no schema yet: every record needs the registry, which is down.
        try (SubscriptionView view = view(infra, topic, "http://127.0.0.1:" + port, RULES)) {
            HealthStatus down = Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(view::health, status -> status instanceof HealthStatus.Down d && d.reason().contains("registry"));
            Thread.sleep(2000);
            assertThat(view.isCaughtUp()).as("nothing skipped: the view is still reading").isFalse();
            assertThat(view.isCurrent()).isFalse();
            assertThat(view.all()).isEmpty();
            assertThat(((HealthStatus.Down) down).reason()).contains("schema registry unavailable").contains(topic);

            try (RegistryProcess back = RegistryProcess.start(data, log, port)) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(view::isCurrent);
                assertThat(view.all()).extracting(Subscription::getId).containsExactlyInAnyOrder("a", "b", "c");
                assertThat(view.health()).isEqualTo(HealthStatus.up());
            }
        }
    }

    @Test
    void aRecordThatBreaksTheViewIsSkippedWithItsCoordinatesAndReadingGoesOn(Infra infra) throws Exception {
        String topic = topic(infra, "breaking");
        // A fake of our own interface: the URL check blows up on one subscription, as a bug would.
        SubscriptionRules rules = new SubscriptionRules(url -> {
            if (url.contains("boom")) {
                throw new IllegalStateException("boom");
            }
            return Optional.empty();
        });
        List<RecordMetadata> written = write(infra, topic, infra.registryBaseUrl(), List.of(subscription("before", 1),
                Subscription.newBuilder(subscription("breaking", 1)).setUrl("https://boom.example.com/hook").build(),
                subscription("after", 1)));

        try (LogCapture logs = new LogCapture(SubscriptionView.class);
             SubscriptionView view = view(infra, topic, infra.registryBaseUrl(), rules)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(view::isCaughtUp);
            assertThat(view.all()).extracting(Subscription::getId).containsExactlyInAnyOrder("before", "after");
            assertThat(logs.lines()).anySatisfy(line -> assertThat(line).startsWith("WARN")
                    .contains(topic + "-0").contains("offset " + written.get(1).offset()));

            write(infra, topic, infra.registryBaseUrl(), List.of(subscription("later", 1)));
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> view.get("later").isPresent());
        }
    }

    @Test
    void undecodableBytesAreSkippedWithTheirCoordinates(Infra infra) throws Exception {
        String topic = topic(infra, "garbage");
        write(infra, topic, infra.registryBaseUrl(), List.of(subscription("first", 1)));
        RecordMetadata garbage;
        try (KafkaProducer<String, byte[]> producer = producer(infra)) {
            garbage = producer.send(new ProducerRecord<>(topic, "garbage", "not avro".getBytes(StandardCharsets.UTF_8)))
                    .get(10, TimeUnit.SECONDS);
        }
        write(infra, topic, infra.registryBaseUrl(), List.of(subscription("second", 1)));

        try (LogCapture logs = new LogCapture(SubscriptionView.class);
             SubscriptionView view = view(infra, topic, infra.registryBaseUrl(), RULES)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(view::isCurrent);
            assertThat(view.all()).extracting(Subscription::getId).containsExactlyInAnyOrder("first", "second");
            assertThat(logs.lines()).anySatisfy(line -> assertThat(line).startsWith("WARN Skipping undecodable")
                    .contains(topic + "-0").contains("offset " + garbage.offset()));
        }
    }

    /** A topic of one partition, so the order of writes is the order of reads. */
    private static String topic(Infra infra, String name) throws Exception {
        String topic = "view-it." + name + "." + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return topic;
    }

    private static SubscriptionView view(Infra infra, String topic, String registryUrl, SubscriptionRules rules) {
        KafkaConsumer<String, Subscription> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()), new StringDeserializer(),
                new AvroSerdes(new RegistryConfig(registryUrl, true)).forValue(Subscription.class).deserializer());
        return new SubscriptionView(consumer, topic, rules).start();
    }

    private static List<RecordMetadata> write(Infra infra, String topic, String registryUrl, List<Subscription> subscriptions)
            throws Exception {
        var serializer = new AvroSerdes(new RegistryConfig(registryUrl, true)).forValue(Subscription.class).serializer();
        try (KafkaProducer<String, byte[]> producer = producer(infra)) {
            List<RecordMetadata> written = new java.util.ArrayList<>();
            for (Subscription subscription : subscriptions) {
                written.add(producer.send(new ProducerRecord<>(topic, subscription.getId(),
                        serializer.serialize(topic, subscription))).get(10, TimeUnit.SECONDS));
            }
            return written;
        }
    }

    private static KafkaProducer<String, byte[]> producer(Infra infra) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static Subscription subscription(String id, long account) {
        Instant now = Instant.now();
        return SampleSubscriptions.of(id, account, Product.CALLKEEPER, "https://crm.example.com/hooks/" + id,
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", now).build();
    }
}
