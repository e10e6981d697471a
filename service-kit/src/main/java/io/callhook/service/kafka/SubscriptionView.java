package io.callhook.service.kafka;

import io.callhook.body.Validated;
import io.callhook.model.Subscription;
import io.callhook.subscription.SubscriptionRules;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * A service's view of the subscriptions topic: the latest valid version of every subscription,
 * read from the beginning and kept up to date by a consumer thread of its own (the dispatcher's
 * lookups, the subscription store's reads). Records other producers wrote that break the rules
 * are ignored here (the enricher dead-letters them) and the previous valid version stays in force;
 * without one, {@link #refusal} says why.
 */
public final class SubscriptionView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionView.class);

    private final Consumer<String, Subscription> consumer;
    private final String topic;
    private final SubscriptionRules rules;
    private final Map<String, Subscription> byId = new ConcurrentHashMap<>();
    private final Map<Long, Set<String>> idsByAccount = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    /** Why the latest record of a subscription was refused, for ids with no valid version in force. */
    private final Map<String, List<String>> refused = new ConcurrentHashMap<>();
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

    /**
     * Why the subscription's latest record on the topic breaks the rules, when no valid version of
     * it is in force (one written by another producer, or before a rule existed): its webhooks are
     * then neither deliverable nor meant for a deleted subscription. Empty otherwise.
     */
    public Optional<List<String>> refusal(String id) {
        return byId.containsKey(id) ? Optional.empty() : Optional.ofNullable(refused.get(id));
    }

    /** The account's subscriptions, in no particular order. */
    public List<Subscription> ofAccount(long accountId) {
        return idsByAccount.getOrDefault(accountId, Set.of()).stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    /** Every subscription (admin listings). */
    public java.util.Collection<Subscription> all() {
        return List.copyOf(byId.values());
    }

    /**
     * Waits until the record at {@code offset} of {@code partition} has been read: after a
     * write, the writer's next read sees it.
     */
    public boolean awaitRead(TopicPartition partition, long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (positions.getOrDefault(partition, -1L) <= offset) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
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
                    for (TopicPartition partition : partitions) {
                        positions.put(partition, consumer.position(partition));
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
            refused.remove(record.key());
            Subscription removed = byId.remove(record.key());
            if (removed != null) {
                idsByAccount.getOrDefault(removed.getAccountId(), Set.of()).remove(record.key());
            }
            return;
        }
        Validated<Subscription> checked = rules.check(record.key(), record.value());
        if (checked instanceof Validated.Valid<Subscription> valid) {
            refused.remove(record.key());
            Subscription previous = byId.put(record.key(), valid.value());
            if (previous != null && previous.getAccountId() != valid.value().getAccountId()) {
                idsByAccount.getOrDefault(previous.getAccountId(), Set.of()).remove(record.key());
            }
            idsByAccount.computeIfAbsent(valid.value().getAccountId(), account -> ConcurrentHashMap.newKeySet()).add(record.key());
        } else if (checked instanceof Validated.Invalid<Subscription> invalid) {
            LOG.warn("Ignoring invalid subscription on {}-{} at offset {}: {}", record.topic(), record.partition(),
                    record.offset(), invalid.errors());
            refused.put(record.key(), invalid.errors());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
