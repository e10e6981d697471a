package io.callhook.service.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the topics a service needs exist before it starts: missing ones are created with
 * the configured layout (compaction for tables, the spec's topic configs); existing ones keep
 * their layout, with a warning when a table topic is not compacted. A spec's topic configs (the
 * compression of topics read outside Callhook) are set on existing topics too when this service
 * creates topics ({@link TopicLayout#CREATE}), else a differing value is warned about.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    /**
     * A topic a service needs.
     *
     * @param compacted for topics read as tables (latest value per key)
     * @param configs   topic configs it must have, e.g. {@code compression.type}
     */
    public record TopicSpec(String name, boolean compacted, Map<String, String> configs) {

        /**
         * The codec of topics that programs outside Callhook consume. Every Kafka client decodes
         * gzip without extra packages (kafkajs, for one, needs a plugin for LZ4, Snappy and Zstd),
         * and the broker recompresses what our producers write in another codec.
         */
        public static final String OUTSIDE_COMPRESSION = "gzip";

        public TopicSpec {
            configs = Map.copyOf(configs);
        }

        public TopicSpec(String name, boolean compacted) {
            this(name, compacted, Map.of());
        }

        /** A topic that customers' or integrators' consumers read: kept in {@link #OUTSIDE_COMPRESSION}. */
        public static TopicSpec readOutside(String name, boolean compacted) {
            return new TopicSpec(name, compacted, Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, OUTSIDE_COMPRESSION));
        }
    }

    private final Admin admin;
    private final Duration timeout;

    public TopicProvisioner(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    public void ensure(TopicLayout layout, Collection<TopicSpec> needed) throws InterruptedException {
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : needed) {
                if (!existing.contains(spec.name())) {
                    missing.add(newTopic(layout, spec));
                }
            }
            if (!missing.isEmpty() && !layout.create()) {
                throw new IllegalStateException("Topics missing and " + TopicLayout.CREATE.name() + " is false: "
                        + missing.stream().map(NewTopic::name).toList());
            }
            create(missing);
            List<TopicSpec> present = needed.stream().filter(spec -> existing.contains(spec.name())).toList();
            warnIfNotCompacted(present.stream().filter(TopicSpec::compacted).toList());
            reconcileConfigs(present.stream().filter(spec -> !spec.configs().isEmpty()).toList(), layout.create());
            awaitLeaders(needed.stream().map(TopicSpec::name).toList());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not check or create topics: " + e.getMessage(), e);
        }
    }

    /**
     * Waits until every partition of the topics has a leader. A topic another instance has just
     * created exists before its partitions can be read: two enrichers started together saw Kafka
     * Streams' global thread die on "no partitions available" for a topic the other one had made
     * a moment before.
     */
    private void awaitLeaders(List<String> names) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> waiting = names;
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(waiting).allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                waiting = described.values().stream()
                        .filter(topic -> topic.partitions().isEmpty() || topic.partitions().stream().anyMatch(p -> p.leader() == null))
                        .map(TopicDescription::name).toList();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("partitions without a leader after " + timeout.toSeconds() + " s: " + waiting);
            }
            Thread.sleep(100);
        }
    }

    private static NewTopic newTopic(TopicLayout layout, TopicSpec spec) {
        Optional<Short> replication = layout.replicationFactor() < 0 ? Optional.empty() : Optional.of(layout.replicationFactor());
        NewTopic topic = new NewTopic(spec.name(), Optional.of(layout.partitions()), replication);
        Map<String, String> configs = new HashMap<>(spec.configs());
        if (spec.compacted()) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        return topic.configs(configs);
    }

    private void create(List<NewTopic> topics) throws InterruptedException, ExecutionException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> result : admin.createTopics(topics).values().entrySet()) {
            try {
                result.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("Created topic {}", result.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                // Another instance created it in the meantime.
            }
        }
    }

    private void warnIfNotCompacted(List<TopicSpec> tables) throws InterruptedException, ExecutionException, TimeoutException {
        if (tables.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = tables.stream()
                .map(spec -> new ConfigResource(ConfigResource.Type.TOPIC, spec.name())).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        for (Map.Entry<ConfigResource, Config> entry : configs.entrySet()) {
            ConfigEntry policy = entry.getValue().get(TopicConfig.CLEANUP_POLICY_CONFIG);
            if (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                LOG.warn("Topic {} is read as a table but its cleanup.policy is '{}', not compact: it will grow without bound "
                        + "and old values will be lost to retention", entry.getKey().name(), policy == null ? null : policy.value());
            }
        }
    }

    /**
     * Topics made before a config was part of their spec (e.g. by an earlier version) get it now
     * when this service creates topics; otherwise operators own them, and are told.
     */
    private void reconcileConfigs(List<TopicSpec> specs, boolean manage)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (specs.isEmpty()) {
            return;
        }
        Map<ConfigResource, TopicSpec> byResource = new LinkedHashMap<>();
        specs.forEach(spec -> byResource.put(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()), spec));
        Map<ConfigResource, Config> configs = admin.describeConfigs(byResource.keySet()).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new LinkedHashMap<>();
        for (Map.Entry<ConfigResource, TopicSpec> entry : byResource.entrySet()) {
            Config current = configs.get(entry.getKey());
            for (Map.Entry<String, String> wanted : entry.getValue().configs().entrySet()) {
                ConfigEntry actual = current == null ? null : current.get(wanted.getKey());
                if (actual != null && wanted.getValue().equals(actual.value())) {
                    continue;
                }
                if (manage) {
                    changes.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(
                            new AlterConfigOp(new ConfigEntry(wanted.getKey(), wanted.getValue()), AlterConfigOp.OpType.SET));
                } else {
                    LOG.warn("Topic {} has {}={} where Callhook expects {} ({} is false, so it is left alone)",
                            entry.getValue().name(), wanted.getKey(), actual == null ? null : actual.value(), wanted.getValue(),
                            TopicLayout.CREATE.name());
                }
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        try {
            admin.incrementalAlterConfigs(changes).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            changes.forEach((topic, ops) -> LOG.info("Set {} on topic {}", describe(ops), topic.name()));
        } catch (ExecutionException e) {
            // Not worth refusing to start over (e.g. no permission to alter topic configs): say so.
            changes.forEach((topic, ops) -> LOG.warn("Could not set {} on topic {}: {}", describe(ops), topic.name(),
                    e.getCause().toString()));
        }
    }

    private static List<String> describe(Collection<AlterConfigOp> ops) {
        return ops.stream().map(op -> op.configEntry().name() + "=" + op.configEntry().value()).toList();
    }
}
