package io.callhook.dispatcher.consume;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed: deliveries finish out of order (endpoints answer at their own
 * pace), so a partition's committable offset is its oldest unfinished one, or one past the
 * newest begun when all are finished. A crash then loses nothing: what was not finished is read
 * again. Begin and commit run on the consumer thread, finish on any thread.
 */
final class OffsetTracker {

    private static final class PartitionState {
        final ConcurrentSkipListSet<Long> unfinished = new ConcurrentSkipListSet<>();
        volatile long nextAfterBegun = -1;
        long lastCommitted = -1;
    }

    private final Map<TopicPartition, PartitionState> partitions = new ConcurrentHashMap<>();

    void begin(TopicPartition partition, long offset) {
        PartitionState state = partitions.computeIfAbsent(partition, p -> new PartitionState());
        state.unfinished.add(offset);
        state.nextAfterBegun = Math.max(state.nextAfterBegun, offset + 1);
    }

    /** Marks an offset finished; ignored for partitions this instance no longer owns. */
    void finish(TopicPartition partition, long offset) {
        PartitionState state = partitions.get(partition);
        if (state != null) {
            state.unfinished.remove(offset);
        }
    }

    /** Offsets that advanced since the last call, ready for commitAsync. */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        return committable(partitions.keySet());
    }

    private Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : which) {
            PartitionState state = partitions.get(partition);
            if (state == null) {
                continue;
            }
            long next = state.nextAfterBegun;
            // One read: producer callbacks may finish the last offset between a check and a read,
            // and first() on an empty set throws. An offset finished just after is committed next time.
            Long oldest = state.unfinished.ceiling(Long.MIN_VALUE);
            long committable = oldest == null ? next : Math.min(oldest, next);
            if (committable > state.lastCommitted && committable >= 0) {
                state.lastCommitted = committable;
                offsets.put(partition, new OffsetAndMetadata(committable));
            }
        }
        return offsets;
    }

    /** Offsets to commit for partitions about to be given up, then forgets them. */
    Map<TopicPartition, OffsetAndMetadata> release(Collection<TopicPartition> revoked) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(revoked);
        revoked.forEach(partitions::remove);
        return offsets;
    }

    int unfinished() {
        return partitions.values().stream().mapToInt(state -> state.unfinished.size()).sum();
    }
}
