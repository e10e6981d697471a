package io.callhook.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callhook.demo.Traffic;
import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.VisitSnapshot;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.TopicTail;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The generator against a real broker and registry, with the producer settings the demo uses. */
@RealInfra
class TrafficGeneratorIT {

    @Test
    void publishesReadableVisitsAndCallsInOrder(Infra infra) throws Exception {
        TopicNames names = TopicNames.DEFAULTS.withPrefix("traffic-it-" + UUID.randomUUID() + ".");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(names.visits(), 3, (short) 1), new NewTopic(names.callEvents(), 3, (short) 1)))
                    .all().get();
        }
        Topics topics = new Topics(names, new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true)));
        TrafficSettings settings = new TrafficSettings(20, List.of(41L, 42L), 0.2, Duration.ofMillis(100),
                Duration.ofMillis(200), Duration.ofMillis(500), 3);
        TrafficStats stats;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(TrafficGenerator.producerConfig(infra.bootstrapServers()));
             TrafficGenerator generator = new TrafficGenerator(producer, topics, new Traffic(5, Instant.now()), settings)) {
            generator.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> generator.stats().ended() >= 20);
            generator.stop();
            producer.flush();
            stats = generator.stats();
        }
        assertThat(stats.failed()).isZero();

        try (TopicTail<String, VisitSnapshot> visits = new TopicTail<>(infra.bootstrapServers(), names.visits(),
                new StringDeserializer(), topics.visits().valueSerde().deserializer());
             TopicTail<String, CallEvent> calls = new TopicTail<>(infra.bootstrapServers(), names.callEvents(),
                     new StringDeserializer(), topics.callEvents().valueSerde().deserializer())) {
            List<ConsumerRecord<String, VisitSnapshot>> visitRecords = visits.awaitCount((int) stats.visits(), Duration.ofSeconds(30));
            List<ConsumerRecord<String, CallEvent>> callRecords = calls.awaitCount((int) stats.callEvents(), Duration.ofSeconds(30));

            Map<String, ConsumerRecord<String, VisitSnapshot>> visitByKey = new HashMap<>();
            visitRecords.forEach(record -> visitByKey.put(record.key(), record));
            Map<Long, ConsumerRecord<String, CallEvent>> startedById = new HashMap<>();
            int ended = 0;
            // One partition per call id keeps a call's events in order; read order within a partition is offset order.
            for (ConsumerRecord<String, CallEvent> record : callRecords) {
                CallEvent call = record.value();
                assertThat(record.key()).isEqualTo(Long.toString(call.getCallId()));
                if (call.getPhase() == CallPhase.STARTED) {
                    startedById.put(call.getCallId(), record);
                    if (call.getVisitorId() != null) {
                        ConsumerRecord<String, VisitSnapshot> visit = visitByKey.get(call.getVisitorId());
                        assertThat(visit).as("visit of call %d", call.getCallId()).isNotNull();
                        assertThat(visit.value().getIp()).isEqualTo(call.getClientIp());
                        assertThat(visit.timestamp()).as("visit on the broker before the call").isLessThan(record.timestamp());
                    }
                } else {
                    ConsumerRecord<String, CallEvent> start = startedById.get(call.getCallId());
                    assertThat(start).as("STARTED before ENDED of call %d", call.getCallId()).isNotNull();
                    assertThat(record.partition()).isEqualTo(start.partition());
                    assertThat(record.offset()).isGreaterThan(start.offset());
                    ended++;
                }
            }
            assertThat(ended).isEqualTo(startedById.size());
            assertThat(startedById.values()).anyMatch(record -> record.value().getVisitorId() == null);
        }
    }
}
