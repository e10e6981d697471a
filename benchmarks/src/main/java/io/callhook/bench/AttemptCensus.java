package io.callhook.bench;

import io.callhook.model.DeliveryAttempt;
import io.callhook.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a dispatcher run wrote to the attempts topic: how many attempts, by outcome and error.
 * That the delivered attempts equal the POSTs nginx counted shows attempt records were on; when
 * a run stalls, the errors say why.
 */
final class AttemptCensus {

    private final String bootstrap;
    private final Topics topics;

    AttemptCensus(String bootstrap, Topics topics) {
        this.bootstrap = bootstrap;
        this.topics = topics;
    }

    /** End offsets of the attempts topic now (none before the first dispatcher has created it). */
    Map<TopicPartition, Long> mark() throws InterruptedException {
        String topic = topics.attempts().name();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            Map<TopicPartition, OffsetSpec> latest = description.partitions().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, info) -> offsets.put(partition, info.offset()));
            return offsets;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Map.of();
            }
            throw new IllegalStateException("Cannot read the end offsets of " + topic, e.getCause());
        }
    }

    /** Attempts written since {@code since}, counted by "OUTCOME" or "OUTCOME errorType: message". */
    Map<String, Long> since(Map<TopicPartition, Long> since) throws InterruptedException {
        Map<TopicPartition, Long> until = mark();
        Map<String, Long> counts = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "max.poll.records", 5000), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(until.keySet());
            until.keySet().forEach(partition -> consumer.seek(partition, since.getOrDefault(partition, 0L)));
            long remaining = until.entrySet().stream().mapToLong(e -> e.getValue() - since.getOrDefault(e.getKey(), 0L)).sum();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (remaining > 0 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= until.get(partition)) {
                        continue;
                    }
                    remaining--;
                    DeliveryAttempt attempt = topics.attempts().valueSerde().deserializer().deserialize(record.topic(), record.value());
                    counts.merge(label(attempt), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    private static String label(DeliveryAttempt attempt) {
        if (attempt.getErrorType() == null) {
            return attempt.getOutcome() + (attempt.getHttpStatus() == null ? "" : " " + attempt.getHttpStatus());
        }
        String message = attempt.getErrorMessage() == null ? "" : attempt.getErrorMessage().replaceAll("\\d+", "N");
        return attempt.getOutcome() + " " + attempt.getErrorType() + ": " + (message.length() > 80 ? message.substring(0, 80) + "…" : message);
    }
}
