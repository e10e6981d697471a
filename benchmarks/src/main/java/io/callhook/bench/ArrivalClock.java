package io.callhook.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Watches a topic and notes when each record became visible (committed), so a run's steady
 * state rate can be read off between two fractions of the expected count, leaving out start-up
 * and the tail.
 */
final class ArrivalClock implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final long[] arrivals;
    private final int skip;
    private volatile int count;
    private final Thread thread;

    ArrivalClock(String bootstrap, String topic, int expected) {
        this(bootstrap, topic, 0, expected);
    }

    /** @param skip records already on the topic (an earlier run's): read, not timed */
    ArrivalClock(String bootstrap, String topic, int skip, int expected) {
        this.arrivals = new long[expected];
        this.skip = skip;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "arrivals-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        this.thread = new Thread(this::run, "arrivals-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            int skipped = 0;
            while (count < arrivals.length) {
                int read = consumer.poll(Duration.ofMillis(50)).count();
                long now = System.nanoTime();
                int skipping = Math.min(read, skip - skipped);
                skipped += skipping;
                read -= skipping;
                int upTo = Math.min(arrivals.length, count + read);
                for (int i = count; i < upTo; i++) {
                    arrivals[i] = now;
                }
                count = upTo;
            }
        } catch (org.apache.kafka.common.errors.WakeupException closing) {
            // closed early
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Blocks until every expected record arrived. */
    void awaitAll(Duration timeout) throws InterruptedException {
        await(null, timeout);
    }

    /**
     * Blocks until every expected record arrived, or until none has arrived for {@code settled}
     * after some did; returns how many arrived.
     */
    int awaitAllOrSettled(Duration settled, Duration timeout) throws InterruptedException {
        return await(settled, timeout);
    }

    /** @param settled how long no new record means no more will come; null to wait for every one */
    private int await(Duration settled, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        long lastChange = System.nanoTime();
        while (count < arrivals.length) {
            int now = count;
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (settled != null && now > 0 && System.nanoTime() - lastChange > settled.toNanos()) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count + " of " + arrivals.length + " records within " + timeout);
            }
            Thread.sleep(20);
        }
        return count;
    }

    /** Records per second between the given fractions of the expected count. */
    double ratePerSecond(double from, double to) {
        return (indexAt(to) - indexAt(from)) / ((nanosAt(to) - nanosAt(from)) / 1e9);
    }

    /** Records that arrived between the given fractions of the expected count. */
    int countBetween(double from, double to) {
        return indexAt(to) - indexAt(from);
    }

    /** When ({@link System#nanoTime()}) the record at this fraction of the expected count arrived. */
    long nanosAt(double fraction) {
        return arrivals[indexAt(fraction)];
    }

    private int indexAt(double fraction) {
        return Math.max(0, (int) (arrivals.length * fraction) - (fraction >= 1 ? 1 : 0));
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(10_000);
    }
}
