package io.callhook.dispatcher.consume;

import io.callhook.deadletter.DeadLetterReason;
import io.callhook.dispatcher.engine.Delivery;
import io.callhook.dispatcher.engine.DeliveryEngine;
import io.callhook.dispatcher.publish.OutcomeWriter;
import io.callhook.dispatcher.publish.Outputs;
import io.callhook.dispatcher.publish.Publisher;
import io.callhook.model.DeadLetter;
import io.callhook.model.SourceCoordinates;
import io.callhook.model.WebhookRequest;
import io.callhook.serde.RegistryFailures;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's consumer thread. Reads first attempts from the outbound topic and retries
 * from the retry tier topics, hands due requests to the {@link DeliveryEngine} and commits
 * offsets of finished work only.
 *
 * <p>A retry tier record that is not due yet is not held in memory: its partition is sought
 * back to it and paused until it is due, so waiting costs neither a busy loop nor other
 * partitions' progress. The consumer also pauses everything while the engine holds more than
 * {@code maxBuffered} requests.
 */
public final class DispatchLoop implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchLoop.class);
    private static final Duration COMMIT_EVERY = Duration.ofMillis(200);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /**
     * After the grace, the last commit and leaving the group share this. Against a live broker
     * both take milliseconds; with the broker gone each would wait for the client's default API
     * timeout (a minute), and a process manager kills the process long before.
     */
    private static final Duration FAREWELL = Duration.ofSeconds(2);
    /** A commit of revoked partitions in a rebalance while running; past it they are read again. */
    private static final Duration REVOKED_COMMIT = Duration.ofSeconds(10);
    private static final Duration LEAST_LEAVE = Duration.ofMillis(200);
    /** Reading the group's offsets of partitions given back; past it they start afresh (read again). */
    private static final Duration GIVEN_BACK_LOOKUP = Duration.ofSeconds(5);

    private final Consumer<String, byte[]> consumer;
    private final Deserializer<WebhookRequest> requests;
    private final List<String> topics;
    private final String outboundTopic;
    private final DeliverySink engine;
    private final Publisher publisher;
    private final OutcomeWriter writer;
    private final Clock clock;
    private final int maxBuffered;
    private final OffsetTracker offsets = new OffsetTracker();
    private final Map<TopicPartition, Instant> waitingUntil = new HashMap<>();
    private final Set<TopicPartition> pausedForBackpressure = new HashSet<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private volatile boolean running = true;
    private volatile boolean polling;
    private volatile boolean joined;
    /** When the farewell ends (nanoTime), once the loop is past its grace; 0 before. */
    private long farewellEnds;

    public DispatchLoop(Consumer<String, byte[]> consumer, Deserializer<WebhookRequest> requests, String outboundTopic,
                        Collection<String> retryTopics, DeliverySink engine, Outputs outputs, Clock clock,
                        int maxBuffered) {
        this.consumer = consumer;
        this.requests = requests;
        this.outboundTopic = outboundTopic;
        this.topics = new java.util.ArrayList<>(List.of(outboundTopic));
        this.topics.addAll(retryTopics);
        this.engine = engine;
        this.publisher = outputs.publisher();
        this.writer = outputs.writer();
        this.clock = clock;
        this.maxBuffered = maxBuffered;
    }

    /**
     * Whether the loop polls as a member of its group (for readiness): the group has given it its
     * partitions, possibly none, so a restarted instance is not called ready while it still waits
     * to join.
     */
    public boolean isPolling() {
        return polling && joined;
    }

    /**
     * Completes with the cause if the loop ends by an error rather than by {@link #close()};
     * after its last commit and its leaving the group.
     */
    public CompletionStage<Throwable> failure() {
        return failure.minimalCompletionStage();
    }

    /** The error that ended the loop, if one did. */
    public java.util.Optional<Throwable> failed() {
        return java.util.Optional.ofNullable(failure.getNow(null));
    }

    @Override
    public void run() {
        Throwable fatal = null;
        try {
            consumer.subscribe(topics, new Rebalance());
            long lastCommit = System.nanoTime();
            while (running) {
                resumeDue();
                applyBackpressure();
                ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout());
                polling = true;
                for (TopicPartition partition : records.partitions()) {
                    dispatch(partition, records.records(partition));
                }
                if (System.nanoTime() - lastCommit >= COMMIT_EVERY.toNanos()) {
                    commitAsync();
                    lastCommit = System.nanoTime();
                }
            }
        } catch (WakeupException closing) {
            // close() was called
        } catch (RuntimeException | Error e) {
            // Nothing restarts a loop in place (its consumer's state is unknown now): the failure
            // is made known so readiness and liveness go DOWN and the process exits to be restarted.
            LOG.error("Dispatch loop stopped", e);
            fatal = e;
        } finally {
            polling = false;
            letSentDeliveriesFinish();
            farewellEnds = System.nanoTime() + FAREWELL.toNanos();
            try {
                consumer.commitSync(offsets.committable(), FAREWELL);
            } catch (RuntimeException e) {
                LOG.warn("Final offset commit failed; unfinished deliveries will be read again: {}", e.toString());
            }
            // Leaves the group even as a static member: the others take its partitions at once.
            try {
                consumer.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(farewellLeft()));
            } catch (RuntimeException e) {
                LOG.warn("Closing the consumer failed: {}", e.toString());
            }
            stopped.countDown();
            if (fatal != null) {
                failure.complete(fatal);
            }
        }
    }

    /**
     * On a stop, reads nothing more but lets what was handed to the engine finish, for up to
     * {@link #STOP_GRACE}, so that its offsets are committed and a restart does not send it again.
     * Polling on (all partitions paused) keeps the membership while it waits.
     */
    private void letSentDeliveriesFinish() {
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        try {
            consumer.pause(consumer.assignment());
            while (offsets.unfinished() > 0 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
            }
        } catch (RuntimeException e) {
            LOG.warn("Stopped waiting for deliveries in flight: {}", e.toString());
        }
        if (offsets.unfinished() > 0) {
            LOG.info("{} deliveries still unfinished at stop; they will be sent again after a restart", offsets.unfinished());
        }
    }

    private Duration farewellLeft() {
        Duration left = Duration.ofNanos(farewellEnds - System.nanoTime());
        return left.compareTo(LEAST_LEAVE) < 0 ? LEAST_LEAVE : left;
    }

    private void dispatch(TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
        boolean tier = !partition.topic().equals(outboundTopic);
        for (ConsumerRecord<String, byte[]> record : records) {
            if (offsets.begun(partition, record.offset())) {
                // Read again after the partition came back: already on its way from here.
                continue;
            }
            WebhookRequest request;
            try {
                request = requests.deserialize(record.topic(), record.value());
            } catch (RuntimeException e) {
                if (RegistryFailures.isInfrastructure(e)) {
                    // Not the record's fault: read it again a little later.
                    LOG.warn("Cannot decode {}-{} at offset {} for now: {}", record.topic(), record.partition(), record.offset(), e.toString());
                    waitFrom(partition, record.offset(), clock.instant().plusSeconds(2));
                    return;
                }
                deadLetterUndecodable(partition, record, e);
                continue;
            }
            if (request == null) {
                deadLetterUndecodable(partition, record, new IllegalArgumentException("record has no value"));
                continue;
            }
            Instant due = request.getNotBefore();
            if (tier && due != null && due.isAfter(clock.instant())) {
                waitFrom(partition, record.offset(), due);
                return;
            }
            offsets.begin(partition, record.offset());
            long offset = record.offset();
            engine.submit(new Delivery(request, new SourceCoordinates(record.topic(), record.partition(), offset),
                    () -> offsets.finish(partition, offset)));
        }
    }

    /** Parks a partition at {@code offset} until {@code due}: seek back, pause, resume later. */
    private void waitFrom(TopicPartition partition, long offset, Instant due) {
        consumer.seek(partition, offset);
        consumer.pause(List.of(partition));
        waitingUntil.put(partition, due);
    }

    private void resumeDue() {
        Instant now = clock.instant();
        List<TopicPartition> due = waitingUntil.entrySet().stream().filter(e -> !e.getValue().isAfter(now))
                .map(Map.Entry::getKey).toList();
        due.forEach(waitingUntil::remove);
        List<TopicPartition> resumable = due.stream().filter(p -> !pausedForBackpressure.contains(p)).toList();
        if (!resumable.isEmpty()) {
            consumer.resume(resumable);
        }
    }

    private Duration pollTimeout() {
        Instant now = clock.instant();
        return waitingUntil.values().stream().min(Instant::compareTo)
                .map(next -> Duration.between(now, next))
                .filter(wait -> wait.compareTo(Duration.ofMillis(100)) < 0)
                .map(wait -> wait.isNegative() ? Duration.ZERO : wait)
                .orElse(Duration.ofMillis(100));
    }

    private void applyBackpressure() {
        int buffered = engine.buffered();
        if (buffered >= maxBuffered && pausedForBackpressure.isEmpty()) {
            Set<TopicPartition> assigned = new HashSet<>(consumer.assignment());
            assigned.removeAll(waitingUntil.keySet());
            consumer.pause(assigned);
            pausedForBackpressure.addAll(assigned);
        } else if (buffered < maxBuffered / 2 && !pausedForBackpressure.isEmpty()) {
            List<TopicPartition> resumable = pausedForBackpressure.stream()
                    .filter(p -> !waitingUntil.containsKey(p) && consumer.assignment().contains(p)).toList();
            consumer.resume(resumable);
            pausedForBackpressure.clear();
        }
    }

    private void deadLetterUndecodable(TopicPartition partition, ConsumerRecord<String, byte[]> record, Exception error) {
        LOG.warn("Undecodable request on {}-{} at offset {} dead-lettered: {}", record.topic(), record.partition(),
                record.offset(), error.toString());
        offsets.begin(partition, record.offset());
        DeadLetter letter = DeadLetter.newBuilder()
                .setReasonCode(DeadLetterReason.UNDECODABLE.code())
                .setReason(DeadLetterReason.text(error.toString()))
                .setSource(new SourceCoordinates(record.topic(), record.partition(), record.offset()))
                .setDeadAt(clock.instant())
                .setRawKey(record.key() == null ? null : ByteBuffer.wrap(record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .setRawValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .build();
        long offset = record.offset();
        // Until it lands, or, if it never can, a dead letter without the bytes: the partition moves on either way.
        writer.write(publisher.deadLetterWrite(record.key(), letter)).whenComplete((ok, e) -> offsets.finish(partition, offset));
    }

    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> committable = offsets.committable();
        if (!committable.isEmpty()) {
            consumer.commitAsync(committable, (done, error) -> {
                if (error != null) {
                    LOG.warn("Offset commit failed (will be retried with the next one): {}", error.toString());
                    offsets.commitFailed(committable.keySet());
                }
            });
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                // Also called by the consumer's close, on the farewell's time.
                consumer.commitSync(offsets.release(partitions), farewellEnds == 0 ? REVOKED_COMMIT : farewellLeft());
            } catch (RuntimeException e) {
                LOG.warn("Commit on revocation failed; those deliveries will be read again: {}", e.toString());
            }
            forget(partitions);
        }

        /**
         * The group went on without this instance (its session ended, e.g. while the broker was
         * gone): no commit is possible for them now. What it began is remembered in case they
         * come back.
         */
        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            LOG.warn("The group took {} partitions without a commit; deliveries begun are kept in case they come back",
                    partitions.size());
            offsets.lose(partitions);
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(waitingUntil::remove);
            pausedForBackpressure.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            joined = true;
            LOG.info("Dispatching from {}", partitions);
            // The consumer's assignment is already the new one here (eager: all of it; cooperative: with these added).
            Set<TopicPartition> back = offsets.givenBack(consumer.assignment());
            if (back.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed;
            try {
                committed = consumer.committed(back, GIVEN_BACK_LOOKUP);
            } catch (RuntimeException e) {
                LOG.warn("Cannot read the group's offsets of {} partitions given back; they start afresh from their "
                        + "last commit, and what this instance began there may be sent again: {}", back.size(), e.toString());
                committed = null;
            }
            int resumed = offsets.reclaim(back, committed);
            LOG.info("{} of {} partitions given back go on where this instance left off ({} deliveries still on their way)",
                    resumed, back.size(), offsets.unfinished());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        stopped.await();
    }
}
