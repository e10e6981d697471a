package io.callhook.domain;

import io.callhook.model.DeadLetterReplay;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The replay ledger as a topic ({@code <dead-letter topic>.replays}, value {@link DeadLetterReplay},
 * key subscription id). A dead letter of partition {@code p} is recorded in partition {@code p}
 * (modulo the ledger's partition count), so a replay reads one partition of the ledger, and only
 * from the time its window starts: a record of the ledger is always written after the dead
 * letter it names.
 */
public final class KafkaReplayLedger implements ReplayLedger {

    /** The ledger topic of a dead-letter topic. */
    public static String topicOf(String deadLetterTopic) {
        return deadLetterTopic + ".replays";
    }

    private final String topic;
    private final Supplier<Consumer<String, DeadLetterReplay>> consumers;
    private final Producer<String, byte[]> producer;
    private final Serializer<DeadLetterReplay> serializer;

    /**
     * @param consumers a new consumer without group for each read (replays run on several threads)
     * @param producer  a shared producer
     */
    public KafkaReplayLedger(String topic, Supplier<Consumer<String, DeadLetterReplay>> consumers,
                             Producer<String, byte[]> producer, Serializer<DeadLetterReplay> serializer) {
        this.topic = topic;
        this.consumers = consumers;
        this.producer = producer;
        this.serializer = serializer;
    }

    @Override
    public Set<Long> replayed(TopicPartition deadLetters, Instant since) {
        Set<Long> offsets = new HashSet<>();
        try (Consumer<String, DeadLetterReplay> consumer = consumers.get()) {
            TopicPartition partition = new TopicPartition(topic, deadLetters.partition() % partitions(consumer));
            consumer.assign(List.of(partition));
            OffsetAndTimestamp start = consumer.offsetsForTimes(Map.of(partition, since.toEpochMilli())).get(partition);
            if (start == null) {
                return offsets;
            }
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            consumer.seek(partition, start.offset());
            while (consumer.position(partition) < end) {
                try {
                    for (ConsumerRecord<String, DeadLetterReplay> record : consumer.poll(Duration.ofMillis(200))) {
                        DeadLetterReplay replay = record.value();
                        if (replay != null && replay.getTopic().equals(deadLetters.topic())
                                && replay.getPartition() == deadLetters.partition()) {
                            offsets.add(replay.getOffset());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        }
        return offsets;
    }

    @Override
    public CompletableFuture<Void> record(DeadLetterReplay replay) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        int partition = replay.getPartition() % producer.partitionsFor(topic).size();
        producer.send(new ProducerRecord<>(topic, partition, replay.getSubscriptionId(), serializer.serialize(topic, replay)),
                (metadata, error) -> {
                    if (error == null) {
                        written.complete(null);
                    } else {
                        written.completeExceptionally(error);
                    }
                });
        return written;
    }

    private int partitions(Consumer<String, DeadLetterReplay> consumer) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).size();
    }
}
