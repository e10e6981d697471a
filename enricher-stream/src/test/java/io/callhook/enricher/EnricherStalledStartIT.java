package io.callhook.enricher;

import static io.callhook.enricher.RunningEnricher.awaitRunning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callhook.enricher.app.EnricherApp;
import io.callhook.enricher.app.EnricherConfig;
import io.callhook.enricher.geo.GeoLookups;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.HealthStatus;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.TopicLayout;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.ScratchDirs;
import io.callhook.topic.TopicNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's hang, made on purpose: a transaction that holds the enricher group's offsets of one
 * call partition and is not finished keeps the enricher in REBALANCING (Kafka Streams waits for
 * that partition's committed offset, and logs only "Timeout of 60000ms expired before the last
 * committed offset ... could be determined"). The readiness answer names the transaction after
 * 30 s out of RUNNING, beside its groups' states (stable: not a rebalance); once it ends, the
 * enricher runs and the reason is gone.
 */
@RealInfra
class EnricherStalledStartIT {

    private static final String APPLICATION_ID = "enricher-stalled-it";
    /** Both groups have their members: what holds the calls half is not a rebalance. */
    private static final String STABLE = "Stable on broker \\d+ with \\d+ members?( \\(\\d+ static\\))?";

    @Test
    void theReadinessAnswerNamesTheTransactionThatHoldsTheEnricher(Infra infra) throws Exception {
        TopicNames names = TopicNames.DEFAULTS.withPrefix("stalled.");
        EnricherConfig config = new EnricherConfig(new KafkaSettings(infra.bootstrapServers(),
                new RegistryConfig(infra.registryBaseUrl(), true), names, new TopicLayout(true, 3, (short) -1), Map.of()),
                APPLICATION_ID, 1, Optional.of(ScratchDirs.create("enricher-stalled")), Duration.ofMillis(100),
                Optional.empty(), "127.0.0.1", 0);
        TopicPartition held = new TopicPartition(names.callEvents(), 2);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()));
             KafkaProducer<byte[], byte[]> holder = new KafkaProducer<>(Map.of("bootstrap.servers", infra.bootstrapServers(),
                     "transactional.id", "stalled-holder", "transaction.timeout.ms", 300_000),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            admin.createTopics(List.of(new NewTopic(held.topic(), 3, (short) 1))).all().get();
            holder.initTransactions();
            holder.beginTransaction();
            holder.sendOffsetsToTransaction(Map.of(held, new OffsetAndMetadata(0)), new ConsumerGroupMetadata(APPLICATION_ID));

            try (EnricherApp app = EnricherApp.start(config, GeoLookups.open(Optional.empty()), url -> Optional.empty(),
                    new SimpleMeterRegistry())) {
                // The producer id, epoch and age are the broker's.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(app.readiness()).isInstanceOfSatisfying(HealthStatus.Down.class, down ->
                                assertThat(down.reason()).matches("REBALANCING; group '" + APPLICATION_ID + "' " + STABLE
                                        + "; group '" + EnricherTopology.tablesApplicationId(APPLICATION_ID) + "' " + STABLE
                                        + "; committed offsets of group '" + APPLICATION_ID + "' held by transaction "
                                        + "'stalled-holder' \\(producer \\d+ epoch \\d+, Ongoing for \\d+ s, timeout 300 s\\)")));
                assertThat(app.state()).isEqualTo(KafkaStreams.State.REBALANCING);

                holder.abortTransaction();

                awaitRunning(app);
                assertThat(app.readiness().isUp()).isTrue();
            }
        }
    }
}
