package io.callhook.domain;

import io.callhook.body.Validated;
import io.callhook.model.Subscription;
import io.callhook.serde.RegistryFailures;
import io.callhook.service.HealthStatus;
import io.callhook.subscription.SubscriptionRules;
import java.time.Duration;
import java.time.Instant;
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
 *
 * <p><b>Outages are waited out, never read as data.</b> A record that cannot be decoded because
 * the schema registry cannot be reached ({@link RegistryFailures#isInfrastructure}) is read again,
 * with backoff, until it can: skipping it would lose a subscription, and every webhook for it
 * would be taken as meant for a deleted one. Until then the view is not {@linkplain #isCurrent()
 * current} and {@link #health()} says why. Only a record that is itself broken (bytes that are not
 * Avro, an unknown schema id, data that makes the rules fail) is skipped, with a log line naming
 * its topic, partition and offset. Any other failure is logged and retried: the thread never ends
 * before {@link #close()}.
 */
public final class SubscriptionView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionView.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

    private final Consumer<String, Subscription> consumer;
    private final String topic;
    private final SubscriptionRules rules;
    private final Map<String, Subscription> byId = new ConcurrentHashMap<>();
    private final Map<Long, Set<String>> idsByAccount = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    /** Why the latest record of a subscription was refused, for ids with no valid version in force. */
    private final Map<String, List<String>> refused = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    /** Why the view cannot read on now; null while it reads normally. */
    private volatile Stall stall;

    /**
     * What holds the view back.
     *
     * @param partition the partition it is stuck on, null when reading failed as a whole
     * @param offset    the record it is stuck on there
     */
    private record Stall(TopicPartition partition, long offset, String reason, Instant since) {
    }

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

    /** Whether everything on the topic when we started has been read (and stays so once true). */
    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Whether what {@link #get} answers can be acted on: caught up, and not held back by an outage.
     * While it is not, "absent" may only mean "not read yet": nothing may be dropped as deleted.
     */
    public boolean isCurrent() {
        return isCaughtUp() && stall == null;
    }

    /** Up while {@linkplain #isCurrent() current}; otherwise down, saying why. */
    public HealthStatus health() {
        Stall now = stall;
        if (now != null) {
            String where = now.partition() == null ? "" : " at " + now.partition() + " offset " + now.offset();
            return HealthStatus.down("subscriptions not current since " + now.since() + where + ": " + now.reason());
        }
        return isCaughtUp() ? HealthStatus.up() : HealthStatus.down("reading subscriptions");
    }

    private void run() {
        Duration retry = FIRST_RETRY;
        List<TopicPartition> partitions = null;
        Map<TopicPartition, Long> end = null;
        while (running) {
            try {
                if (partitions == null) {
                    List<TopicPartition> all = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(info -> new TopicPartition(topic, info.partition())).toList();
                    consumer.assign(all);
                    consumer.seekToBeginning(all);
                    end = consumer.endOffsets(all);
                    partitions = all;
                }
                for (ConsumerRecord<String, Subscription> record : consumer.poll(Duration.ofMillis(200))) {
                    applyOrSkip(record);
                }
                for (TopicPartition partition : partitions) {
                    positions.put(partition, consumer.position(partition));
                }
                clearStallIfPassed();
                if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> positions.get(e.getKey()) >= e.getValue())) {
                    LOG.info("Subscription view caught up: {} subscriptions", byId.size());
                    caughtUp.countDown();
                }
                retry = FIRST_RETRY;
            } catch (RecordDeserializationException e) {
                if (RegistryFailures.isInfrastructure(e)) {
                    // Not the record's fault: read it again once the registry answers. Never skip it.
                    stalled(new Stall(e.topicPartition(), e.offset(), "schema registry unavailable: " + rootMessage(e),
                            Instant.now()), e);
                    consumer.seek(e.topicPartition(), e.offset());
                    retry = pause(retry);
                } else {
                    // The record itself is broken: the enricher dead-letters it; here it is skipped.
                    LOG.warn("Skipping undecodable subscription on {} at offset {}: {}", e.topicPartition(), e.offset(),
                            rootMessage(e));
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            } catch (WakeupException closing) {
                // close() was called, or a stray wakeup: the loop condition decides.
            } catch (RuntimeException e) {
                // The broker unreachable past the client's timeouts, or anything else: retried, never the end.
                stalled(new Stall(null, -1, "reading " + topic + " failed: " + rootMessage(e), Instant.now()), e);
                retry = pause(retry);
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }

    private void applyOrSkip(ConsumerRecord<String, Subscription> record) {
        try {
            apply(record);
        } catch (RuntimeException e) {
            LOG.warn("Skipping subscription on {}-{} at offset {} that could not be applied", record.topic(), record.partition(),
                    record.offset(), e);
        }
    }

    private void stalled(Stall now, RuntimeException cause) {
        Stall before = stall;
        stall = before == null ? now : new Stall(now.partition(), now.offset(), now.reason(), before.since());
        if (before == null) {
            LOG.warn("Subscriptions not current{}: {}; retrying until it reads on",
                    now.partition() == null ? "" : " at " + now.partition() + " offset " + now.offset(), now.reason(), cause);
        } else {
            LOG.debug("Subscriptions still not current: {}", now.reason());
        }
    }

    /** A stall ends once its record has been read (or, for a failure of reading as a whole, once a poll succeeds). */
    private void clearStallIfPassed() {
        Stall now = stall;
        if (now != null && (now.partition() == null || positions.getOrDefault(now.partition(), -1L) > now.offset())) {
            stall = null;
            LOG.info("Subscriptions current again after {}: {}", Duration.between(now.since(), Instant.now()), now.reason());
        }
    }

    /** Waits before retrying, unless closing; returns the next wait, doubled up to a bound. */
    private Duration pause(Duration wait) {
        try {
            closing.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        Duration next = wait.multipliedBy(2);
        return next.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : next;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 16; depth++) {
            root = root.getCause();
        }
        return root == failure ? String.valueOf(failure) : failure.getClass().getSimpleName() + " caused by " + root;
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
        closing.countDown();
        consumer.wakeup();
        thread.join(10_000);
    }
}
