package io.callhook.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@RealInfra
class RealInfraIT {

    @Test
    void brokerTakesAndGivesBackRecords(Infra infra) throws Exception {
        String topic = "testkit.roundtrip";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "v")).get();
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "testkit",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            ConsumerRecords<String, String> records = ConsumerRecords.empty();
            long deadline = System.currentTimeMillis() + 15_000;
            while (records.isEmpty() && System.currentTimeMillis() < deadline) {
                records = consumer.poll(Duration.ofMillis(200));
            }
            assertThat(records.count()).isEqualTo(1);
            assertThat(records.iterator().next().value()).isEqualTo("v");
        }
    }

    /**
     * The test broker runs what a cluster formatted by Kafka's storage tool runs (the demo's does,
     * and so does a user's new one), above all transactions v2, where every commit bumps the
     * producer's epoch: the enricher and the store are tested on the transaction protocol they meet.
     */
    @Test
    void brokerRunsTheFeatureLevelsOfANewlyFormattedCluster(Infra infra) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            Map<String, Short> finalized = new java.util.TreeMap<>();
            admin.describeFeatures().featureMetadata().get().finalizedFeatures()
                    .forEach((name, range) -> finalized.put(name, range.maxVersionLevel()));
            Map<String, Short> formatted = new java.util.TreeMap<>();
            InProcessKafka.asFormattedByKafka().records().forEach(record -> {
                if (record.message() instanceof org.apache.kafka.common.metadata.FeatureLevelRecord level) {
                    formatted.put(level.name(), level.featureLevel());
                }
            });
            assertThat(finalized).containsAllEntriesOf(formatted).containsEntry("transaction.version", (short) 2)
                    .containsEntry("group.version", (short) 1);
        }
    }

    @Test
    void registryServesItsConfluentCompatibleApi(Infra infra) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(infra.ccompatUrl() + "/subjects")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("[");
    }
}
