package io.callhook.dispatcher.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("outbound", 0);
    private static final TopicPartition P1 = new TopicPartition("outbound", 1);

    @Test
    void committableIsTheOldestUnfinishedOffset() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.begin(P0, 10);
        tracker.begin(P0, 11);
        tracker.begin(P0, 12);
        tracker.finish(P0, 11);
        assertThat(tracker.committable()).containsExactly(Map.entry(P0, new OffsetAndMetadata(10)));
        tracker.finish(P0, 10);
        assertThat(tracker.committable()).containsExactly(Map.entry(P0, new OffsetAndMetadata(12)));
        tracker.finish(P0, 12);
        assertThat(tracker.committable()).containsExactly(Map.entry(P0, new OffsetAndMetadata(13)));
        assertThat(tracker.committable()).as("nothing moved since").isEmpty();
    }

    @Test
    void aPartitionNotGivenBackIsForgottenAndItsLateFinishesIgnored() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.begin(P0, 5);
        tracker.begin(P1, 7);
        assertThat(tracker.release(List.of(P0))).containsExactly(Map.entry(P0, new OffsetAndMetadata(5)));
        tracker.finish(P0, 5);
        assertThat(tracker.committable()).as("a released partition is not committed")
                .containsExactly(Map.entry(P1, new OffsetAndMetadata(7)));
        assertThat(tracker.givenBack(List.of(P1))).isEmpty();
        tracker.finish(P0, 5);
        assertThat(tracker.begun(P0, 5)).isFalse();
        assertThat(tracker.unfinished()).isEqualTo(1);
        tracker.finish(P1, 7);
        assertThat(tracker.committable()).containsExactly(Map.entry(P1, new OffsetAndMetadata(8)));
    }

    /**
     * A rebalance right after a broker outage: deliveries finished while the broker was gone could
     * not be committed, and the group gives the partition back at its last commit. What this
     * instance began is not begun again, and the commit goes on from where it got to.
     */
    @Test
    void aPartitionGivenBackGoesOnWhereThisInstanceLeftOff() {
        OffsetTracker tracker = new OffsetTracker();
        for (long offset = 5; offset <= 8; offset++) {
            tracker.begin(P0, offset);
        }
        tracker.finish(P0, 5);
        tracker.finish(P0, 6);
        assertThat(tracker.release(List.of(P0))).as("offered at the revocation (this commit fails)")
                .containsExactly(Map.entry(P0, new OffsetAndMetadata(7)));
        tracker.finish(P0, 7);

        Set<TopicPartition> back = tracker.givenBack(List.of(P0));
        assertThat(back).containsExactly(P0);
        Map<TopicPartition, OffsetAndMetadata> groupOffsets = new HashMap<>();
        groupOffsets.put(P0, new OffsetAndMetadata(5));
        assertThat(tracker.reclaim(back, groupOffsets)).isEqualTo(1);

        assertThat(List.of(5L, 6L, 7L, 8L)).allMatch(offset -> tracker.begun(P0, offset));
        assertThat(tracker.begun(P0, 9)).isFalse();
        assertThat(tracker.committable()).as("committed again, past what finished meanwhile")
                .containsExactly(Map.entry(P0, new OffsetAndMetadata(8)));
        tracker.finish(P0, 8);
        assertThat(tracker.committable()).containsExactly(Map.entry(P0, new OffsetAndMetadata(9)));
    }

    @Test
    void aPartitionGivenBackWithNoCommitYetGoesOnToo() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.begin(P0, 0);
        tracker.lose(List.of(P0));
        Map<TopicPartition, OffsetAndMetadata> none = new HashMap<>();
        none.put(P0, null);
        assertThat(tracker.reclaim(tracker.givenBack(List.of(P0)), none)).as("Kafka's consumer: a null value").isEqualTo(1);
        assertThat(tracker.begun(P0, 0)).isTrue();

        tracker.lose(List.of(P0));
        assertThat(tracker.reclaim(tracker.givenBack(List.of(P0)), Map.of())).as("Kafka's mock consumer: no entry").isEqualTo(1);
        assertThat(tracker.begun(P0, 0)).isTrue();
    }

    @Test
    void aPartitionAnotherInstanceCommittedFurtherStartsAfresh() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.begin(P0, 5);
        tracker.begin(P0, 6);
        tracker.release(List.of(P0));
        Set<TopicPartition> back = tracker.givenBack(List.of(P0));

        assertThat(tracker.reclaim(back, Map.of(P0, new OffsetAndMetadata(40)))).isZero();

        assertThat(tracker.begun(P0, 6)).isFalse();
        assertThat(tracker.unfinished()).isZero();
        tracker.begin(P0, 40);
        tracker.finish(P0, 40);
        assertThat(tracker.committable()).as("never behind the other instance's commit")
                .containsExactly(Map.entry(P0, new OffsetAndMetadata(41)));
    }

    @Test
    void partitionsGivenBackWhoseOffsetsCannotBeReadStartAfresh() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.begin(P0, 5);
        tracker.lose(List.of(P0));
        assertThat(tracker.committable()).as("a lost partition is not committed").isEmpty();

        assertThat(tracker.reclaim(tracker.givenBack(List.of(P0)), null)).isZero();

        assertThat(tracker.begun(P0, 5)).isFalse();
    }

    @Test
    void aCommitThatFailedIsOfferedAgain() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.begin(P0, 3);
        tracker.finish(P0, 3);
        assertThat(tracker.committable()).containsExactly(Map.entry(P0, new OffsetAndMetadata(4)));
        assertThat(tracker.committable()).isEmpty();

        tracker.commitFailed(List.of(P0));

        assertThat(tracker.committable()).containsExactly(Map.entry(P0, new OffsetAndMetadata(4)));
    }

    /**
     * Offsets are finished by producer callbacks while the consumer thread asks what may be
     * committed: the last unfinished offset may vanish between "is there one?" and "which is it?".
     * That must never throw (it used to end the dispatch loop) nor commit past an unfinished offset.
     */
    @Test
    void finishingConcurrentlyWithCommitNeverThrowsNorSkipsUnfinishedWork() throws Exception {
        OffsetTracker tracker = new OffsetTracker();
        BlockingQueue<Long> begun = new ArrayBlockingQueue<>(64);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread finisher = new Thread(() -> {
            try {
                while (running.get() || !begun.isEmpty()) {
                    Long offset = begun.poll(10, TimeUnit.MILLISECONDS);
                    if (offset != null) {
                        tracker.finish(P0, offset);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "producer-callbacks");
        finisher.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        long offset = 0;
        long lastCommitted = -1;
        try {
            while (System.nanoTime() < deadline && failure.get() == null) {
                tracker.begin(P0, offset);
                begun.put(offset);
                offset++;
                // The consumer thread asks again and again while the callback thread finishes.
                for (int i = 0; i < 20; i++) {
                    OffsetAndMetadata committed = tracker.committable().get(P0);
                    if (committed != null) {
                        assertThat(committed.offset()).as("never past the newest begun").isLessThanOrEqualTo(offset);
                        assertThat(committed.offset()).as("never backwards").isGreaterThan(lastCommitted);
                        lastCommitted = committed.offset();
                    }
                }
            }
        } catch (RuntimeException | AssertionError e) {
            failure.set(e);
        } finally {
            running.set(false);
            finisher.join();
        }
        assertThat(failure.get()).as("after %s offsets", offset).isNull();
        // Everything finished: the committable offset is one past the newest begun.
        long end = offset;
        assertThat(tracker.unfinished()).isZero();
        OffsetAndMetadata last = tracker.committable().get(P0);
        assertThat(last == null ? lastCommitted : last.offset()).isEqualTo(end);
    }
}
