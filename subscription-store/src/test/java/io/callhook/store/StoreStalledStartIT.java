package io.callhook.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callhook.net.AddressPolicy;
import io.callhook.service.HealthStatus;
import io.callhook.store.app.StoreApp;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The store's counters held as issue 10's enricher was: a transaction that holds the store
 * group's offsets of an attempts partition and is not finished keeps the counters out of RUNNING.
 * After 30 s the readiness answer names the transaction; once it ends, the store is ready.
 */
@RealInfra
class StoreStalledStartIT {

    private static final String APPLICATION_ID = "store-stalled-it";

    @Test
    void theReadinessAnswerNamesTheTransactionThatHoldsTheCounters(Infra infra) throws Exception {
        try (StoreHarness harness = new StoreHarness(infra, "stalled.");
             Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()));
             KafkaProducer<byte[], byte[]> holder = new KafkaProducer<>(Map.of("bootstrap.servers", infra.bootstrapServers(),
                     "transactional.id", "store-stalled-holder", "transaction.timeout.ms", 300_000),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            TopicPartition held = new TopicPartition(harness.names.attempts(), 1);
            admin.createTopics(List.of(new NewTopic(held.topic(), 4, (short) 1))).all().get();
            holder.initTransactions();
            holder.beginTransaction();
            holder.sendOffsetsToTransaction(Map.of(held, new OffsetAndMetadata(0)), new ConsumerGroupMetadata(APPLICATION_ID));

            try (StoreApp store = harness.startWithoutWaiting(APPLICATION_ID, AddressPolicy.STRICT)) {
                // The producer id, epoch and age are the broker's.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(store.readiness()).isInstanceOfSatisfying(HealthStatus.Down.class, down ->
                                assertThat(down.reason()).matches("counters REBALANCING; group '" + APPLICATION_ID
                                        + "' Stable on broker \\d+ with \\d+ members?( \\(\\d+ static\\))?"
                                        + "; committed offsets of group '" + APPLICATION_ID + "' held by transaction "
                                        + "'store-stalled-holder' \\(producer \\d+ epoch \\d+, Ongoing for \\d+ s, "
                                        + "timeout 300 s\\)")));

                holder.abortTransaction();

                await().atMost(Duration.ofSeconds(60)).until(() -> store.readiness().isUp());
            }
        }
    }
}
