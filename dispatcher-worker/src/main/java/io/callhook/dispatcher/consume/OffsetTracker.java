package io.callhook.dispatcher.consume;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed: deliveries finish out of order (endpoints answer at their own
 * pace), so a partition's committable offset is its oldest unfinished one, or one past the
 * newest begun when all are finished. A crash then loses nothing: what was not finished is read
 * again.
 *
 * <p>A partition taken away in a rebalance is remembered, not forgotten: its deliveries are still
 * on their way, and when the group gives it back (a rebalance after a broker outage, or one that
 * moves nothing) the consumer starts again from the last commit that landed, which can be far
 * behind what this instance already began. {@link #begun} then tells the loop which records it
 * holds already, so they are not sent a second time, and the commit picks up where it stopped.
 * Begin, commit and the rebalance calls run on the consumer thread, finish on any thread.
 */
final class OffsetTracker {

    private static final class PartitionState {
        final ConcurrentSkipListSet<Long> unfinished = new ConcurrentSkipListSet<>();
        volatile long nextAfterBegun = -1;
        long lastCommitted = -1;
        /** Whether the group gives it to this instance now; only those are committed. */
        boolean owned = true;

        long committable() {
            long next = nextAfterBegun;
            // One read: producer callbacks may finish the last offset between a check and a read,
            // and first() on an empty set throws. An offset finished just after is committed next time.
            Long oldest = unfinished.ceiling(Long.MIN_VALUE);
            return oldest == null ? next : Math.min(oldest, next);
        }
    }

    private final Map<TopicPartition, PartitionState> partitions = new ConcurrentHashMap<>();

    void begin(TopicPartition partition, long offset) {
        PartitionState state = partitions.computeIfAbsent(partition, p -> new PartitionState());
        state.unfinished.add(offset);
        state.nextAfterBegun = Math.max(state.nextAfterBegun, offset + 1);
    }

    /**
     * Whether this instance began the record at {@code offset} already while it owned the
     * partition (it may be read again after the partition came back): it is then not begun again.
     */
    boolean begun(TopicPartition partition, long offset) {
        PartitionState state = partitions.get(partition);
        return state != null && offset < state.nextAfterBegun;
    }

    /** Marks an offset finished; ignored for partitions this instance has forgotten. */
    void finish(TopicPartition partition, long offset) {
        PartitionState state = partitions.get(partition);
        if (state != null) {
            state.unfinished.remove(offset);
        }
    }

    /** Offsets of owned partitions that advanced since the last call, ready for commitAsync. */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        return committable(partitions.keySet());
    }

    private Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : which) {
            PartitionState state = partitions.get(partition);
            if (state == null || !state.owned) {
                continue;
            }
            long committable = state.committable();
            if (committable > state.lastCommitted && committable >= 0) {
                state.lastCommitted = committable;
                offsets.put(partition, new OffsetAndMetadata(committable));
            }
        }
        return offsets;
    }

    /** A commit that did not land: its partitions' offsets are offered again by the next {@link #committable()}. */
    void commitFailed(Collection<TopicPartition> which) {
        for (TopicPartition partition : which) {
            PartitionState state = partitions.get(partition);
            if (state != null) {
                state.lastCommitted = -1;
            }
        }
    }

    /** Offsets to commit for partitions about to be given up; they are remembered until the next assignment. */
    Map<TopicPartition, OffsetAndMetadata> release(Collection<TopicPartition> revoked) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(revoked);
        lose(revoked);
        return offsets;
    }

    /** Partitions the group took without a chance to commit; remembered until the next assignment. */
    void lose(Collection<TopicPartition> lost) {
        for (TopicPartition partition : lost) {
            PartitionState state = partitions.get(partition);
            if (state != null) {
                state.owned = false;
            }
        }
    }

    /**
     * After an assignment: forgets the partitions given up that the group did not give back, and
     * returns those it gave back that this instance remembers, to be {@link #reclaim}ed.
     */
    Set<TopicPartition> givenBack(Collection<TopicPartition> assignment) {
        partitions.entrySet().removeIf(entry -> !entry.getValue().owned && !assignment.contains(entry.getKey()));
        Set<TopicPartition> back = new HashSet<>();
        partitions.forEach((partition, state) -> {
            if (!state.owned) {
                back.add(partition);
            }
        });
        return back;
    }

    /**
     * Takes up again partitions given back, knowing the group's committed offsets for them. If
     * another instance committed past where this one got to, it worked on the partition meanwhile:
     * the partition starts afresh from that commit. Otherwise this instance goes on where it left
     * off, and commits again (the last commit may not have landed).
     *
     * @param committed the group's committed offset per partition (absent or null: none committed);
     *                  null if they could not be read, and then all start afresh
     * @return how many of them go on where this instance left off
     */
    int reclaim(Set<TopicPartition> back, Map<TopicPartition, OffsetAndMetadata> committed) {
        int resumed = 0;
        for (TopicPartition partition : back) {
            PartitionState state = partitions.get(partition);
            if (state == null) {
                continue;
            }
            OffsetAndMetadata groupOffset = committed == null ? null : committed.get(partition);
            if (committed != null && (groupOffset == null || groupOffset.offset() <= state.committable())) {
                state.owned = true;
                state.lastCommitted = -1;
                resumed++;
            } else {
                partitions.remove(partition);
            }
        }
        return resumed;
    }

    int unfinished() {
        return partitions.values().stream().mapToInt(state -> state.unfinished.size()).sum();
    }
}
