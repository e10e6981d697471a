package io.callhook.domain;

import io.callhook.model.DeadLetter;
import io.callhook.model.DeadLetterReplay;
import io.callhook.model.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends dead-lettered webhooks of one subscription back into delivery: every dead letter that
 * carries a request, belongs to the subscription and died in {@code [from, to)} goes to the
 * outbound topic again. Its attempt history is kept (the attempt log stays whole) and its retry
 * schedule starts over; the receiver sees the same {@code webhook-id} as before.
 *
 * <p>Bounded: dead letters are keyed by subscription id, so only that key's partition is read,
 * and only from the first record written at {@code from} (less a margin for clocks) up to where
 * the partition ended when the replay began; at most {@link ReplayScope#maxLetters()} are sent.
 *
 * <p>Idempotent, with a {@link ReplayLedger}: a dead letter is identified by its coordinates
 * (topic, partition, offset); one the ledger says was replayed is not sent again, and the ones
 * sent are recorded there once the broker has their outbound copies. A crash between the two
 * sends them again on the next replay, with the same {@code webhook-id} (at least once, like
 * every delivery).
 */
public final class DeadLetterReplayer {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplayer.class);
    /**
     * How much earlier than {@code from} reading starts: a dead letter's record is written just
     * after its {@code deadAt}, by clocks that may differ a little.
     */
    static final Duration CLOCK_MARGIN = Duration.ofMinutes(5);

    private final Consumer<String, DeadLetter> consumer;
    private final String topic;
    private final Function<WebhookRequest, CompletableFuture<Void>> outbound;
    private final ReplayLedger ledger;
    private final Clock clock;

    /** A replayer without ledger: every matching dead letter is sent, however often it was sent before. */
    public DeadLetterReplayer(Consumer<String, DeadLetter> consumer, String topic,
                              Function<WebhookRequest, CompletableFuture<Void>> outbound) {
        this(consumer, topic, outbound, ReplayLedger.NONE, Clock.systemUTC());
    }

    /**
     * @param consumer a consumer without group, used for this replay only
     * @param outbound writes a request to the outbound topic, completing once the broker has it
     * @param ledger   what was replayed before, and where each replay is recorded
     */
    public DeadLetterReplayer(Consumer<String, DeadLetter> consumer, String topic,
                              Function<WebhookRequest, CompletableFuture<Void>> outbound, ReplayLedger ledger, Clock clock) {
        this.consumer = consumer;
        this.topic = topic;
        this.outbound = outbound;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** @return how many webhooks were sent back */
    public int replay(String subscriptionId, Instant from, Instant to) {
        return replay(new ReplayScope(subscriptionId, from, to, Integer.MAX_VALUE), "rpl_" + UUID.randomUUID()).replayed();
    }

    /** Replays what the scope covers, recording each letter sent under {@code replayId}. */
    public ReplayResult replay(ReplayScope scope, String replayId) {
        TopicPartition partition = partitionOf(scope.subscriptionId());
        Instant readFrom = scope.from().minus(CLOCK_MARGIN);
        consumer.assign(List.of(partition));
        OffsetAndTimestamp start = consumer.offsetsForTimes(Map.of(partition, readFrom.toEpochMilli())).get(partition);
        if (start == null) {
            return new ReplayResult(0, 0, true);
        }
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        Set<Long> replayedBefore = ledger.replayed(partition, readFrom);
        consumer.seek(partition, start.offset());
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        List<DeadLetterReplay> marks = new ArrayList<>();
        int already = 0;
        boolean complete = true;
        scan:
        while (consumer.position(partition) < end) {
            try {
                for (ConsumerRecord<String, DeadLetter> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() >= end) {
                        break scan;
                    }
                    if (!matches(record.value(), scope.subscriptionId(), scope.from(), scope.to())) {
                        continue;
                    }
                    if (replayedBefore.contains(record.offset())) {
                        already++;
                    } else if (sent.size() >= scope.maxLetters()) {
                        complete = false;
                        break scan;
                    } else {
                        sent.add(outbound.apply(restart(record.value().getRequest())));
                        marks.add(mark(record, replayId));
                    }
                }
            } catch (RecordDeserializationException e) {
                // Not a dead letter we can read (its writer's problem): no request to replay in it.
                consumer.seek(e.topicPartition(), e.offset() + 1);
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        // Recorded here, on the replay's thread, once the broker has every copy: never from a
        // producer's callback, whose thread must not wait for anything.
        CompletableFuture.allOf(marks.stream().map(ledger::record).toArray(CompletableFuture[]::new)).join();
        LOG.info("Replay {}: {} dead-lettered webhooks of subscription {} that died in [{}, {}) sent back, {} replayed before{}",
                replayId, sent.size(), scope.subscriptionId(), scope.from(), scope.to(), already,
                complete ? "" : "; more remain (at most " + scope.maxLetters() + " per replay)");
        return new ReplayResult(sent.size(), already, complete);
    }

    private DeadLetterReplay mark(ConsumerRecord<String, DeadLetter> record, String replayId) {
        WebhookRequest request = record.value().getRequest();
        return DeadLetterReplay.newBuilder().setTopic(record.topic()).setPartition(record.partition())
                .setOffset(record.offset()).setSubscriptionId(request.getSubscriptionId()).setWebhookId(request.getWebhookId())
                .setReplayId(replayId).setReplayedAt(clock.instant()).build();
    }

    /** Dead letters of a subscription are keyed by its id: the partition the producers' default partitioner chose. */
    private TopicPartition partitionOf(String subscriptionId) {
        int partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).size();
        return new TopicPartition(topic, BuiltInPartitioner.partitionForKey(subscriptionId.getBytes(StandardCharsets.UTF_8), partitions));
    }

    static boolean matches(DeadLetter letter, String subscriptionId, Instant from, Instant to) {
        return letter != null && letter.getRequest() != null && subscriptionId.equals(letter.getSubscriptionId())
                && !letter.getDeadAt().isBefore(from) && letter.getDeadAt().isBefore(to);
    }

    static WebhookRequest restart(WebhookRequest request) {
        return WebhookRequest.newBuilder(request).setNotBefore(null).setScheduleStart(request.getAttempts().size()).build();
    }

    /** What one replay covers: a subscription's dead letters that died in {@code [from, to)}, at most {@code maxLetters}. */
    public record ReplayScope(String subscriptionId, Instant from, Instant to, int maxLetters) {
    }

    /**
     * How a replay went.
     *
     * @param replayed        dead letters sent back now
     * @param alreadyReplayed dead letters in scope that an earlier replay had sent back, not sent again
     * @param complete        false when {@code maxLetters} stopped it: replaying the same scope again sends the rest
     */
    public record ReplayResult(int replayed, int alreadyReplayed, boolean complete) {
    }
}
