package io.callhook.domain;

import io.callhook.model.DeadLetterReplay;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/** Which dead letters were sent back into delivery already: what makes a replay idempotent. */
public interface ReplayLedger {

    /** Remembers nothing: every replay sends every matching dead letter. */
    ReplayLedger NONE = new ReplayLedger() {
        @Override
        public Set<Long> replayed(TopicPartition deadLetters, Instant since) {
            return Set.of();
        }

        @Override
        public CompletableFuture<Void> record(DeadLetterReplay replay) {
            return CompletableFuture.completedFuture(null);
        }
    };

    /**
     * Offsets of the dead letters of {@code deadLetters} replayed since {@code since}: a dead
     * letter that died after {@code since} can only have been replayed after it.
     */
    Set<Long> replayed(TopicPartition deadLetters, Instant since);

    /** Records that a dead letter was sent back; completes once the record is durable. */
    CompletableFuture<Void> record(DeadLetterReplay replay);
}
