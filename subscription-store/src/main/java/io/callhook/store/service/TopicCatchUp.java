package io.callhook.store.service;

import io.callhook.domain.SubscriptionView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Catches the view up with a subscription's partition of the subscriptions topic: asks the
 * broker where the partition ends (committed records only, as the view reads them) and waits
 * until the view has read that far.
 */
public final class TopicCatchUp implements SubscriptionService.CatchUp {

    private final Admin admin;
    private final Producer<String, byte[]> producer;
    private final SubscriptionView view;
    private final String topic;
    private final Duration timeout;

    public TopicCatchUp(Admin admin, Producer<String, byte[]> producer, SubscriptionView view, String topic, Duration timeout) {
        this.admin = admin;
        this.producer = producer;
        this.view = view;
        this.topic = topic;
        this.timeout = timeout;
    }

    @Override
    public void awaitLatest(String subscriptionId) {
        int partitions = producer.partitionsFor(topic).size();
        TopicPartition partition = new TopicPartition(topic,
                BuiltInPartitioner.partitionForKey(subscriptionId.getBytes(StandardCharsets.UTF_8), partitions));
        try {
            long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .partitionResult(partition).get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
            if (end > 0 && !view.awaitRead(partition, end - 1, timeout)) {
                throw new IllegalStateException("the subscriptions topic was not read up to its end within " + timeout);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not find where " + partition + " ends: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
