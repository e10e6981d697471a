package io.callhook.testkit;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft broker (combined broker + controller) running inside the test JVM,
 * built with Kafka's own test kit. No Docker engine runs on our machines, so this is how
 * integration tests get a broker; it is the same broker code a deployment runs.
 */
public final class InProcessKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessKafka.class);

    private final KafkaClusterTestKit cluster;

    private InProcessKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Formats and starts a fresh broker and waits until it accepts clients. */
    public static InProcessKafka start() throws Exception {
        long started = System.nanoTime();
        TestKitNodes nodes = new TestKitNodes.Builder(asFormattedByKafka())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                // One node: every internal topic must live with a single replica.
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "4")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "4")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                // Tests start consumers at once; the default 3 s wait for more members only slows them.
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        LOG.info("In-process KRaft broker ready at {} in {} ms",
                cluster.bootstrapServers(), (System.nanoTime() - started) / 1_000_000);
        return new InProcessKafka(cluster);
    }

    /**
     * The release and feature levels Kafka's storage tool gives a cluster formatted today, as the
     * demo's broker and a user's new cluster get them: transactions v2 (every commit bumps the
     * producer epoch), the consumer and streams group protocols, eligible leader replicas. The test
     * kit's own {@code setBootstrapMetadataVersion} keeps only {@code metadata.version}
     * ({@code BootstrapMetadata.copyWithFeatureRecord} in Kafka 4.3.1 drops every record after the
     * one it replaces), which left our tests on transactions v0 while everything else ran v2.
     */
    static BootstrapMetadata asFormattedByKafka() {
        MetadataVersion release = MetadataVersion.latestProduction();
        Map<String, Short> levels = new TreeMap<>();
        for (Feature feature : Feature.PRODUCTION_FEATURES) {
            levels.put(feature.featureName(), feature.defaultLevel(release));
        }
        return BootstrapMetadata.fromVersions(release, levels, "callhook test kit");
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public void close() throws Exception {
        cluster.close();
        LOG.info("In-process KRaft broker stopped");
    }
}
