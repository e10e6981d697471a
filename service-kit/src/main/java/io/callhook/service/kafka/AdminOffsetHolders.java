package io.callhook.service.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Utils;

/**
 * {@link OffsetHolders} asked of the broker: the group's {@code __consumer_offsets} partition is
 * found as the group coordinator finds it, then the transactions open for over a second are
 * listed and described and those that added that partition are kept.
 */
public final class AdminOffsetHolders implements OffsetHolders {

    private static final Set<TransactionState> OPEN = Set.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
            TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE);
    private static final Duration IN_FLIGHT = Duration.ofSeconds(1);

    private final Admin admin;
    private final Duration timeout;
    private final Clock clock;

    /**
     * @param timeout how long each question to the broker may take
     */
    public AdminOffsetHolders(Admin admin, Duration timeout, Clock clock) {
        this.admin = admin;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public List<OpenTransaction> holding(String groupId) throws Exception {
        Optional<TopicPartition> offsetsPartition = offsetsPartition(groupId);
        if (offsetsPartition.isEmpty()) {
            return List.of();
        }
        TopicPartition offsets = offsetsPartition.get();
        // Transactions open for under a second are commits under way (Kafka Streams commits every 100 ms
        // under exactly-once); leaving them out keeps the describe small on a busy cluster.
        List<String> ids = admin.listTransactions(new ListTransactionsOptions().filterStates(OPEN)
                        .filterOnDuration(IN_FLIGHT.toMillis())).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).stream().map(TransactionListing::transactionalId).toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, TransactionDescription> described = admin.describeTransactions(ids).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        long now = clock.millis();
        return described.entrySet().stream()
                .filter(entry -> entry.getValue().topicPartitions().contains(offsets))
                .filter(entry -> OPEN.contains(entry.getValue().state()))
                .map(entry -> openTransaction(entry.getKey(), entry.getValue(), now))
                .sorted(Comparator.comparing(OpenTransaction::open).reversed())
                .toList();
    }

    /**
     * The partition of {@code __consumer_offsets} that holds the group's offsets, as the coordinator
     * picks it; empty before the broker created that topic (no group has offsets yet).
     */
    Optional<TopicPartition> offsetsPartition(String groupId) throws Exception {
        int partitions;
        try {
            partitions = admin.describeTopics(List.of(Topic.GROUP_METADATA_TOPIC_NAME)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(Topic.GROUP_METADATA_TOPIC_NAME).partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, Utils.abs(groupId.hashCode()) % partitions));
    }

    private static OpenTransaction openTransaction(String id, TransactionDescription description, long now) {
        Duration open = description.transactionStartTimeMs().isPresent()
                ? Duration.ofMillis(Math.max(0, now - description.transactionStartTimeMs().getAsLong()))
                : Duration.ZERO;
        return new OpenTransaction(id, description.producerId(), description.producerEpoch(),
                // toString is the coordinator's own spelling (PrepareCommit), as kafka-transactions.sh shows it.
                description.state().toString(), open, Duration.ofMillis(description.transactionTimeoutMs()));
    }
}
