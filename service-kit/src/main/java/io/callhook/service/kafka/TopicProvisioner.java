package io.callhook.service.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the topics a service needs exist before it starts: missing ones are created with
 * the configured layout (compaction for tables); existing ones are left alone, with a warning
 * when a table topic is not compacted.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    /** A topic a service needs; {@code compacted} for topics read as tables (latest value per key). */
    public record TopicSpec(String name, boolean compacted) {
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
            warnIfNotCompacted(needed.stream().filter(TopicSpec::compacted).filter(spec -> existing.contains(spec.name())).toList());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not check or create topics: " + e.getMessage(), e);
        }
    }

    private static NewTopic newTopic(TopicLayout layout, TopicSpec spec) {
        Optional<Short> replication = layout.replicationFactor() < 0 ? Optional.empty() : Optional.of(layout.replicationFactor());
        NewTopic topic = new NewTopic(spec.name(), Optional.of(layout.partitions()), replication);
        if (spec.compacted()) {
            topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        return topic;
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
}
