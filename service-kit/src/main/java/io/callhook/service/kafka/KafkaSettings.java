package io.callhook.service.kafka;

import io.callhook.serde.RegistryConfig;
import io.callhook.service.Config;
import io.callhook.service.ConfigKey;
import io.callhook.service.HostPort;
import io.callhook.topic.TopicNames;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every Callhook service needs to meet Kafka: brokers, the schema registry, the topics'
 * names and how missing topics are created, how the instance belongs to its consumer group, plus
 * operators' {@code kafka.*} client settings.
 *
 * @param kafkaOverrides client properties from {@code kafka.*} keys, applied last to every client
 * @param membership     static or dynamic membership of the service's consumer group
 */
public record KafkaSettings(String bootstrapServers, RegistryConfig registry, TopicNames topics, TopicLayout layout,
                            Map<String, String> kafkaOverrides, GroupMembership membership) {

    public static final ConfigKey<List<HostPort>> BOOTSTRAP_SERVERS = ConfigKey.hostPortList("callhook.kafka.bootstrap-servers",
            "Kafka brokers to bootstrap from, host:port separated by commas.");
    public static final ConfigKey<URI> REGISTRY_URL = ConfigKey.url(RegistryConfig.URL,
            "Base URL of the schema registry (Apicurio; its /apis/registry/v2 and /apis/ccompat/v7 APIs hang below it).");
    public static final ConfigKey<Boolean> REGISTRY_AUTO_REGISTER = ConfigKey.bool(RegistryConfig.AUTO_REGISTER,
            "Whether this service registers the schemas of what it writes. Off where a deployment registers them up front.")
            .withDefault("true");

    public static final List<ConfigKey<?>> TOPIC_KEYS = List.of(
            topic(TopicNames.CALL_EVENTS, TopicNames.DEFAULTS.callEvents(), "Call events from the telephony backend."),
            topic(TopicNames.VISITS, TopicNames.DEFAULTS.visits(), "Visit snapshots from the site tracker (compacted)."),
            topic(TopicNames.SUBSCRIPTIONS, TopicNames.DEFAULTS.subscriptions(), "Webhook subscriptions (compacted)."),
            topic(TopicNames.OUTBOUND, TopicNames.DEFAULTS.outbound(), "Rendered webhooks for the dispatcher."),
            topic(TopicNames.RETRY_PREFIX, TopicNames.DEFAULTS.retryPrefix(), "Prefix of the retry tier topics."),
            topic(TopicNames.ATTEMPTS, TopicNames.DEFAULTS.attempts(), "Delivery attempts."),
            topic(TopicNames.DEAD_LETTERS, TopicNames.DEFAULTS.deadLetters(), "Records that could not be processed or delivered."));

    /** Settings with dynamic group membership (tools, and services started inside tests). */
    public KafkaSettings(String bootstrapServers, RegistryConfig registry, TopicNames topics, TopicLayout layout,
                         Map<String, String> kafkaOverrides) {
        this(bootstrapServers, registry, topics, layout, kafkaOverrides, GroupMembership.dynamic());
    }

    /** Every key this record reads. */
    public static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(BOOTSTRAP_SERVERS, REGISTRY_URL, REGISTRY_AUTO_REGISTER,
                GroupMembership.INSTANCE_ID));
        keys.addAll(TOPIC_KEYS);
        keys.addAll(TopicLayout.KEYS);
        return keys;
    }

    /** The settings of a tool that joins no consumer group: membership is dynamic. */
    public static KafkaSettings from(Config config) {
        return from(config, GroupMembership.dynamic());
    }

    /**
     * The settings of a service instance whose ops endpoints listen on {@code opsPort}, which
     * gives the default of its group instance id (see {@link GroupMembership}).
     */
    public static KafkaSettings from(Config config, int opsPort) {
        return from(config, GroupMembership.from(config, opsPort));
    }

    private static KafkaSettings from(Config config, GroupMembership membership) {
        Map<String, String> names = new HashMap<>();
        for (ConfigKey<?> key : TOPIC_KEYS) {
            names.put(key.name(), (String) config.get(key));
        }
        return new KafkaSettings(HostPort.join(config.get(BOOTSTRAP_SERVERS)),
                new RegistryConfig(config.get(REGISTRY_URL).toString(), config.get(REGISTRY_AUTO_REGISTER)),
                TopicNames.fromConfig(names), TopicLayout.from(config), config.kafkaOverrides(), membership);
    }

    /** The environment that makes a service use these topic names, e.g. {@code CALLHOOK_TOPIC_VISITS=visits}. */
    public static Map<String, String> topicEnvironment(TopicNames names) {
        Map<String, String> config = names.asConfig();
        Map<String, String> env = new HashMap<>();
        for (ConfigKey<?> key : TOPIC_KEYS) {
            env.put(key.envName(), config.get(key.name()));
        }
        return env;
    }

    /** Client properties: the overrides on top of the given ones, bootstrap servers always set. */
    public Map<String, Object> clientConfig(Map<String, Object> base) {
        Map<String, Object> config = new HashMap<>(base);
        config.putAll(kafkaOverrides);
        config.put("bootstrap.servers", bootstrapServers);
        return config;
    }

    /**
     * Properties of the consumer that joins the service's group: the given ones, then this
     * instance's membership, then the overrides, bootstrap servers always set.
     */
    public Map<String, Object> groupConsumerConfig(Map<String, Object> base) {
        Map<String, Object> withMembership = new HashMap<>(base);
        withMembership.putAll(membership.consumerConfig());
        return clientConfig(withMembership);
    }

    private static ConfigKey<String> topic(String name, String defaultName, String doc) {
        return ConfigKey.string(name, "Topic name: " + doc).withDefault(defaultName);
    }
}
