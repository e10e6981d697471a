package io.callhook.service.kafka;

import java.time.Duration;
import java.util.List;

/**
 * Which open transactions hold a consumer group's committed offsets. Under exactly-once a
 * transaction's offsets stay pending on the group's {@code __consumer_offsets} partition until it
 * commits or aborts, and a consumer that asks for its committed offsets with
 * {@code isolation.level=read_committed} (Kafka Streams does, before it processes a partition) is
 * answered "unstable" until then. A transaction nobody finishes therefore keeps an application out
 * of RUNNING, and all Kafka logs is "Timeout of 60000ms expired before the last committed offset
 * for partitions [...] could be determined". This names the transactions instead.
 */
public interface OffsetHolders {

    /**
     * The open transactions that hold offsets on the {@code __consumer_offsets} partition of
     * {@code groupId}, oldest first. That partition is shared with other groups, so a holder may
     * hold another group's offsets; one {@link OpenTransaction#overdue() overdue} is stuck
     * whichever group it serves.
     */
    List<OpenTransaction> holding(String groupId) throws Exception;

    /**
     * One open transaction, as the broker's transaction coordinator describes it.
     *
     * @param state   the coordinator's state, e.g. {@code Ongoing}, {@code PrepareCommit}
     * @param open    how long since it started
     * @param timeout its {@code transaction.timeout.ms}, after which the coordinator aborts it
     */
    record OpenTransaction(String transactionalId, long producerId, int producerEpoch, String state, Duration open,
                           Duration timeout) {

        /**
         * Past its timeout. The coordinator checks for such transactions every 10 s
         * ({@code transaction.abort.timed.out.transaction.cleanup.interval.ms}) and aborts them,
         * and one already committing or aborting ({@code Prepare*}) finishes as soon as its
         * markers are written; a transaction open well past both is stuck on the broker.
         */
        public boolean overdue() {
            return open.compareTo(timeout) > 0;
        }

        /** For a log line or a readiness answer. */
        public String describe() {
            return "transaction '" + transactionalId + "' (producer " + producerId + " epoch " + producerEpoch + ", "
                    + state + " for " + open.toSeconds() + " s, timeout " + timeout.toSeconds() + " s"
                    + (overdue() ? ", overdue" : "") + ")";
        }
    }
}
