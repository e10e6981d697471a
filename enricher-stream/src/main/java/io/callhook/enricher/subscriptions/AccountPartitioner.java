package io.callhook.enricher.subscriptions;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions {@code accountId|subscriptionId} keys by their account alone, as the default
 * partitioner would partition the account id: every subscription of an account, and every
 * deletion of one, reaches the same task, which can then count them exactly.
 */
public final class AccountPartitioner<V> implements StreamPartitioner<String, V> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
        byte[] account = AccountKeys.accountPart(key).getBytes(StandardCharsets.UTF_8);
        return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(account)) % numPartitions));
    }
}
