package io.callhook.enricher.app;

import io.callhook.serde.RegistryConfig;
import io.callhook.service.Config;
import io.callhook.service.ConfigKey;
import io.callhook.service.HostPort;
import io.callhook.service.OpsServer;
import io.callhook.topic.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the enricher, each key documented where it is defined. Loaded by
 * {@code ConfigLoader} from defaults, an optional file and the environment
 * ({@code callhook.enricher.threads} is {@code CALLHOOK_ENRICHER_THREADS}).
 */
public record EnricherConfig(String bootstrapServers, RegistryConfig registry, TopicNames topics, String applicationId,
                             int threads, Optional<Path> stateDir, Duration commitInterval, Optional<Path> geoDatabase,
                             TopicLayout layout, String opsHost, int opsPort, Map<String, String> kafkaOverrides) {

    public static final ConfigKey<List<HostPort>> BOOTSTRAP_SERVERS = ConfigKey.hostPortList("callhook.kafka.bootstrap-servers",
            "Kafka brokers to bootstrap from, host:port separated by commas.");
    public static final ConfigKey<java.net.URI> REGISTRY_URL = ConfigKey.url(RegistryConfig.URL,
            "Base URL of the schema registry (Apicurio; its /apis/registry/v2 and /apis/ccompat/v7 APIs hang below it).");
    public static final ConfigKey<Boolean> REGISTRY_AUTO_REGISTER = ConfigKey.bool(RegistryConfig.AUTO_REGISTER,
            "Whether this service registers the schemas of what it writes. Off where a deployment registers them up front.")
            .withDefault("true");
    public static final ConfigKey<String> APPLICATION_ID = ConfigKey.string("callhook.enricher.application-id",
            "Kafka Streams application id: consumer group, transactional id prefix and prefix of the enricher's own topics.")
            .withDefault("callhook-enricher");
    public static final ConfigKey<Integer> THREADS = ConfigKey.intRange("callhook.enricher.threads",
            "Stream threads of this instance. Tasks (one per input partition) are spread over threads and instances.", 1, 64)
            .withDefault("2");
    public static final ConfigKey<Path> STATE_DIR = ConfigKey.path("callhook.enricher.state-dir",
            "Where the local state stores live. Kafka Streams' default (a folder under the temp dir) when unset.")
            .optional();
    public static final ConfigKey<Duration> COMMIT_INTERVAL = ConfigKey.duration("callhook.enricher.commit-interval",
            "How often transactions commit: webhooks become visible to the dispatcher at most this late.")
            .withDefault("100ms");
    public static final ConfigKey<Path> GEOIP_DATABASE = ConfigKey.path("callhook.geoip.db",
            "GeoLite2 City database (.mmdb). Without it webhooks carry null geo fields; fetched by scripts/fetch-geolite2.sh.")
            .optional();

    public static final List<ConfigKey<?>> TOPIC_KEYS = List.of(
            topic(TopicNames.CALL_EVENTS, TopicNames.DEFAULTS.callEvents(), "Call events from the telephony backend."),
            topic(TopicNames.VISITS, TopicNames.DEFAULTS.visits(), "Visit snapshots from the site tracker (compacted)."),
            topic(TopicNames.SUBSCRIPTIONS, TopicNames.DEFAULTS.subscriptions(), "Webhook subscriptions (compacted)."),
            topic(TopicNames.OUTBOUND, TopicNames.DEFAULTS.outbound(), "Rendered webhooks for the dispatcher."),
            topic(TopicNames.RETRY_PREFIX, TopicNames.DEFAULTS.retryPrefix(), "Prefix of the retry tier topics."),
            topic(TopicNames.ATTEMPTS, TopicNames.DEFAULTS.attempts(), "Delivery attempts."),
            topic(TopicNames.DEAD_LETTERS, TopicNames.DEFAULTS.deadLetters(), "Records that could not be processed or delivered."));

    /** Every key this service reads, for the loader and for the documentation. */
    public static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new java.util.ArrayList<>(List.of(BOOTSTRAP_SERVERS, REGISTRY_URL, REGISTRY_AUTO_REGISTER,
                APPLICATION_ID, THREADS, STATE_DIR, COMMIT_INTERVAL, GEOIP_DATABASE, OpsServer.HOST, OPS_PORT,
                io.callhook.service.AllowedAddresses.KEY));
        keys.addAll(TOPIC_KEYS);
        keys.addAll(TopicLayout.KEYS);
        return keys;
    }

    public static final ConfigKey<Integer> OPS_PORT = OpsServer.portKey(9401);

    public static EnricherConfig from(Config config) {
        Map<String, String> names = new java.util.HashMap<>();
        for (ConfigKey<?> key : TOPIC_KEYS) {
            names.put(key.name(), (String) config.get(key));
        }
        return new EnricherConfig(
                HostPort.join(config.get(BOOTSTRAP_SERVERS)),
                new RegistryConfig(config.get(REGISTRY_URL).toString(), config.get(REGISTRY_AUTO_REGISTER)),
                TopicNames.fromConfig(names),
                config.get(APPLICATION_ID),
                config.get(THREADS),
                config.find(STATE_DIR),
                config.get(COMMIT_INTERVAL),
                config.find(GEOIP_DATABASE),
                TopicLayout.from(config),
                config.get(OpsServer.HOST),
                config.get(OPS_PORT),
                config.kafkaOverrides());
    }

    private static ConfigKey<String> topic(String name, String defaultName, String doc) {
        return ConfigKey.string(name, "Topic name: " + doc).withDefault(defaultName);
    }
}
