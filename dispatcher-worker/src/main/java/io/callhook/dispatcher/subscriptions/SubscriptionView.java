package io.callhook.dispatcher.subscriptions;

import io.callhook.body.Validated;
import io.callhook.model.Subscription;
import io.callhook.subscription.SubscriptionRules;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's view of the subscriptions topic: the latest valid version of every
 * subscription, read from the beginning and kept up to date by a consumer thread of its own.
 * Records other producers wrote that break the rules are ignored here (the enricher dead-letters
 * them) and the previous valid version stays in force.
 */
public final class SubscriptionView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionView.class);

    private final Consumer<String, Subscription> consumer;
    private final String topic;
    private final SubscriptionRules rules;
    private final Map<String, Subscription> byId = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    /** @param consumer a consumer without group (it is assigned every partition and never commits) */
    public SubscriptionView(Consumer<String, Subscription> consumer, String topic, SubscriptionRules rules) {
        this.consumer = consumer;
        this.topic = topic;
        this.rules = rules;
        this.thread = new Thread(this::run, "subscription-view");
        thread.setDaemon(true);
    }

    public SubscriptionView start() {
        thread.start();
        return this;
    }

    /** The subscription as it stands, empty when deleted or never seen. */
    public Optional<Subscription> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Whether everything on the topic when we started has been read. */
    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                try {
                    for (ConsumerRecord<String, Subscription> record : consumer.poll(Duration.ofMillis(200))) {
                        apply(record);
                    }
                } catch (RecordDeserializationException e) {
                    // Another producer's undecodable record: the enricher dead-letters it; skip it here.
                    LOG.warn("Skipping undecodable subscription on {} at offset {}: {}", e.topicPartition(), e.offset(),
                            e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    LOG.info("Subscription view caught up: {} subscriptions", byId.size());
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException closing) {
            // close() was called
        } catch (RuntimeException e) {
            LOG.error("Subscription view stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, Subscription> record) {
        if (record.value() == null) {
            byId.remove(record.key());
            return;
        }
        Validated<Subscription> checked = rules.check(record.key(), record.value());
        if (checked instanceof Validated.Valid<Subscription> valid) {
            byId.put(record.key(), valid.value());
        } else if (checked instanceof Validated.Invalid<Subscription> invalid) {
            LOG.warn("Ignoring invalid subscription on {}-{} at offset {}: {}", record.topic(), record.partition(),
                    record.offset(), invalid.errors());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
