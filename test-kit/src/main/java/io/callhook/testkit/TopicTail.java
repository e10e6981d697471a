package io.callhook.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a topic from the beginning in a background thread and keeps every record, for tests
 * that watch a pipeline's output while it runs. Reads only committed records of transactional
 * producers, as a downstream consumer would.
 */
public final class TopicTail<K, V> implements AutoCloseable {

    private final KafkaConsumer<K, V> consumer;
    private final List<ConsumerRecord<K, V>> records = new ArrayList<>();
    private final Thread thread;
    private volatile RuntimeException failure;
    private final java.util.concurrent.atomic.AtomicInteger skipped = new java.util.concurrent.atomic.AtomicInteger();

    public TopicTail(String bootstrapServers, String topic, Deserializer<K> keys, Deserializer<V> values) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "tail-" + topic + "-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), keys, values);
        consumer.subscribe(List.of(topic));
        this.thread = new Thread(this::run, "tail-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                try {
                    for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(100))) {
                        synchronized (records) {
                            records.add(record);
                        }
                    }
                } catch (RecordDeserializationException e) {
                    // Tests write undecodable records on purpose; step over them like a tolerant reader.
                    skipped.incrementAndGet();
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException closing) {
            // close() was called.
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** What has been read so far, in read order. */
    public List<ConsumerRecord<K, V>> records() {
        if (failure != null) {
            throw failure;
        }
        synchronized (records) {
            return new ArrayList<>(records);
        }
    }

    /** Records that could not be decoded and were stepped over. */
    public int skipped() {
        return skipped.get();
    }

    public List<V> values() {
        return records().stream().map(ConsumerRecord::value).toList();
    }

    /** Waits until what has been read satisfies {@code done}; fails with what was read if it never does. */
    public List<ConsumerRecord<K, V>> awaitUntil(Predicate<List<ConsumerRecord<K, V>>> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ConsumerRecord<K, V>> now = records();
            if (done.test(now)) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout + " after reading " + now.size() + " records");
            }
            Thread.sleep(50);
        }
    }

    /** Waits until {@code done} holds or the timeout passes, and returns what was read either way. */
    public List<ConsumerRecord<K, V>> readUntil(Predicate<List<ConsumerRecord<K, V>>> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<K, V>> now = records();
        while (!done.test(now) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            now = records();
        }
        return now;
    }

    /** Waits until at least {@code count} records have been read. */
    public List<ConsumerRecord<K, V>> awaitCount(int count, Duration timeout) throws InterruptedException {
        return awaitUntil(read -> read.size() >= count, timeout);
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(10_000);
    }
}
