package io.callhook.bench;

import io.callhook.model.WebhookRequest;
import io.callhook.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Splits a webhook's latency at the outbound topic: when the enricher rendered it (the request's
 * {@code createdAt}) and when its transaction committed and it became readable, as a
 * {@code read_committed} consumer like the dispatcher sees it. Reads from the end of the topic as
 * it was when started, on a thread of its own.
 */
final class OutboundWatch implements AutoCloseable {

    /** When one webhook was rendered and when it became readable (epoch ms). */
    record Seen(long renderedAt, long readableAt) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topic<String, WebhookRequest> outbound;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final Thread thread;

    OutboundWatch(String bootstrapServers, Topic<String, WebhookRequest> outbound) {
        this.outbound = outbound;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(outbound.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // The seek is lazy: take the end now, before the records to watch are published.
        partitions.forEach(consumer::position);
        this.thread = new Thread(this::run, "outbound-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<String, byte[]> record : records) {
                    WebhookRequest request = outbound.valueSerde().deserializer().deserialize(record.topic(), record.value());
                    seen.putIfAbsent(request.getWebhookId(), new Seen(request.getCreatedAt().toEpochMilli(), now));
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the poll: done.
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** When the webhook was rendered and became readable, or null when not seen. */
    Seen of(String webhookId) {
        return seen.get(webhookId);
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(5_000);
    }
}
