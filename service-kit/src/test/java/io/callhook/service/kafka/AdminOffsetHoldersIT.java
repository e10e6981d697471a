package io.callhook.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.callhook.service.kafka.OffsetHolders.OpenTransaction;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Against a real broker: a transaction that sent a group's offsets and is left open keeps a
 * read_committed consumer of that group from learning its committed offset (the symptom Kafka
 * Streams reports as "Timeout ... before the last committed offset ... could be determined"), and
 * {@link AdminOffsetHolders} names it; once it commits, nothing holds the group.
 */
@RealInfra
class AdminOffsetHoldersIT {

    @Test
    void namesTheOpenTransactionThatHoldsAGroupsCommittedOffsets(Infra infra) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "holders-" + run;
        String group = "holders-group-" + run;
        String transactionalId = "holders-tx-" + run;
        TopicPartition partition = new TopicPartition(topic, 2);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", infra.bootstrapServers(),
                     "transactional.id", transactionalId, "transaction.timeout.ms", 120_000),
                     new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", infra.bootstrapServers(),
                     "group.id", group, "isolation.level", "read_committed", "enable.auto.commit", false),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
            AdminOffsetHolders holders = new AdminOffsetHolders(admin, Duration.ofSeconds(10), Clock.systemUTC());

            producer.initTransactions();
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(42)), new ConsumerGroupMetadata(group));
            String otherGroup = groupOnAnotherOffsetsPartition(holders, group);

            assertThatThrownBy(() -> consumer.committed(Set.of(partition), Duration.ofSeconds(2)))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("before the last committed offset for partitions [" + partition + "] could be determined");
            List<OpenTransaction> holding = holders.holding(group);
            assertThat(holding).extracting(OpenTransaction::transactionalId).containsExactly(transactionalId);
            assertThat(holding.get(0).state()).isEqualTo("Ongoing");
            assertThat(holding.get(0).timeout()).isEqualTo(Duration.ofMinutes(2));
            assertThat(holding.get(0).overdue()).isFalse();
            assertThat(holders.holding(otherGroup)).as("a group whose offsets live on another partition").isEmpty();

            producer.commitTransaction();

            // Committed once the coordinator logged PrepareCommit; the offsets are the group's once its markers are written.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(holders.holding(group)).isEmpty());
            assertThat(consumer.committed(Set.of(partition), Duration.ofSeconds(10)).get(partition).offset()).isEqualTo(42);
        }
    }

    private static String groupOnAnotherOffsetsPartition(AdminOffsetHolders holders, String group) throws Exception {
        TopicPartition own = holders.offsetsPartition(group).orElseThrow();
        for (int i = 0; ; i++) {
            String other = group + "-other-" + i;
            if (!holders.offsetsPartition(other).orElseThrow().equals(own)) {
                return other;
            }
        }
    }
}
