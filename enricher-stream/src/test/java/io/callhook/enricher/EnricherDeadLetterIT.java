package io.callhook.enricher;

import static io.callhook.enricher.Fixtures.callKeeper;
import static io.callhook.enricher.RunningEnricher.awaitRunning;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.deadletter.DeadLetterReason;
import io.callhook.enricher.app.EnricherApp;
import io.callhook.enricher.app.EnricherConfig;
import io.callhook.enricher.geo.GeoLookups;
import io.callhook.model.DeadLetter;
import io.callhook.model.Subscription;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.TopicLayout;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.ScratchDirs;
import io.callhook.testkit.TopicTail;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * Bad records on the real broker with exactly_once_v2: a poison pill arriving alone and a
 * subscription with a malformed URL each end up committed on the dead-letter topic, and the
 * enricher keeps running.
 */
@RealInfra
class EnricherDeadLetterIT {

    @Test
    void poisonPillsAndInvalidRecordsAreDeadLetteredAndTheAppGoesOn(Infra infra) throws Exception {
        TopicNames names = TopicNames.DEFAULTS.withPrefix("dlq.");
        EnricherConfig config = new EnricherConfig(new KafkaSettings(infra.bootstrapServers(),
                new RegistryConfig(infra.registryBaseUrl(), true), names, new TopicLayout(true, 2, (short) -1), Map.of()),
                "enricher-dlq-it", 1, Optional.of(ScratchDirs.create("enricher-dlq")), Duration.ofMillis(100),
                Optional.empty(), "127.0.0.1", 0);
        AvroSerdes serdes = new AvroSerdes(config.registry());
        Topics topics = new Topics(names, serdes);

        try (EnricherApp app = EnricherApp.start(config, GeoLookups.open(Optional.empty()), url -> Optional.empty(),
                     new SimpleMeterRegistry());
             TopicTail<String, DeadLetter> deadLetters = new TopicTail<>(infra.bootstrapServers(), names.deadLetters(),
                     new StringDeserializer(), topics.deadLetters().valueSerde().deserializer());
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer());
             KafkaProducer<String, Subscription> subscriptions = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                     new StringSerializer(), topics.subscriptions().valueSerde().serializer())) {
            awaitRunning(app);

            byte[] poison = "{\"callId\": 1, \"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8);
            raw.send(new ProducerRecord<>(names.callEvents(), "900", poison)).get();
            List<ConsumerRecord<String, DeadLetter>> read = deadLetters.awaitCount(1, Duration.ofSeconds(30));
            DeadLetter letter = read.get(0).value();
            assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.UNDECODABLE.code());
            assertThat(letter.getSource().getTopic()).isEqualTo(names.callEvents());
            assertThat(letter.getRawValue().array()).isEqualTo(poison);
            assertThat(read.get(0).key()).isEqualTo("900");

            Subscription bad = callKeeper("dlq-bad", 5).setUrl("http://user:pw@crm.example.com/x").build();
            subscriptions.send(new ProducerRecord<>(names.subscriptions(), bad.getId(), bad)).get();
            letter = deadLetters.awaitCount(2, Duration.ofSeconds(30)).get(1).value();
            assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.INVALID_RECORD.code());
            assertThat(letter.getReason()).contains("url: must not carry a user name or password");
            assertThat(letter.getSource().getTopic()).isEqualTo(names.subscriptions());

            assertThat(app.state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
            assertCompacted(infra, names.visits(), names.subscriptions(), "enricher-dlq-it.visits-valid",
                    "enricher-dlq-it.account-subscriptions");
        }
    }

    /** The topics read as tables were created compacted at start. */
    private static void assertCompacted(Infra infra, String... topics) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            for (String topic : topics) {
                var resource = new org.apache.kafka.common.config.ConfigResource(
                        org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
                String policy = admin.describeConfigs(List.of(resource)).all().get().get(resource).get("cleanup.policy").value();
                assertThat(policy).as(topic).isEqualTo("compact");
            }
        }
    }
}
