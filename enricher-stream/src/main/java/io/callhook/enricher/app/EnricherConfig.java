package io.callhook.enricher.app;

import io.callhook.enricher.subscriptions.SubscriptionLimits;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.AllowedAddresses;
import io.callhook.service.Config;
import io.callhook.service.ConfigKey;
import io.callhook.service.OpsServer;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.TopicLayout;
import io.callhook.topic.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the enricher, each key documented where it is defined. Loaded by
 * {@code ConfigLoader} from defaults, an optional file and the environment
 * ({@code callhook.enricher.threads} is {@code CALLHOOK_ENRICHER_THREADS}).
 */
public record EnricherConfig(KafkaSettings kafka, String applicationId, int threads, Optional<Path> stateDir,
                             Duration commitInterval, Optional<Path> geoDatabase, String opsHost, int opsPort,
                             SubscriptionLimits subscriptionLimits, int visitsCacheMb) {

    public static final ConfigKey<String> APPLICATION_ID = ConfigKey.string("callhook.enricher.application-id",
            "Kafka Streams application id of the calls half: consumer group, transactional id prefix and prefix of the "
                    + "enricher's own topics; the tables half (subscriptions and visits) runs as <id>-tables.")
            .withDefault("callhook-enricher");
    public static final ConfigKey<Integer> THREADS = ConfigKey.intRange("callhook.enricher.threads",
            "Stream threads of this instance for calls. Tasks (one per call events partition) are spread over threads and "
                    + "instances; the tables half has one thread of its own.", 1, 64)
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
    public static final ConfigKey<Integer> MAX_SUBSCRIPTIONS_PER_ACCOUNT = ConfigKey.intRange(
            "callhook.enricher.max-subscriptions-per-account",
            "Subscriptions of one account the enricher holds; one more is dead-lettered (TOO_MANY_SUBSCRIPTIONS) naming it. "
                    + "Keep it at least the store's callhook.store.max-subscriptions-per-account.", 1, 100_000)
            .withDefault(Integer.toString(SubscriptionLimits.DEFAULTS.maxPerAccount()));
    public static final ConfigKey<Integer> MAX_SUBSCRIPTION_BYTES = ConfigKey.intRange(
            "callhook.enricher.max-subscription-bytes",
            "Largest subscription the enricher holds, in bytes without its secrets (Avro binary); a larger one is "
                    + "dead-lettered (SUBSCRIPTION_TOO_LARGE). Its webhooks carry its headers and parameters, so this also "
                    + "keeps them within the broker's 1 MiB message limit.", 1024, 512 * 1024)
            .withDefault(Integer.toString(SubscriptionLimits.DEFAULTS.maxBytes()));
    public static final ConfigKey<Integer> VISITS_CACHE_MB = ConfigKey.intRange("callhook.enricher.visits-cache-mb",
            "RocksDB block cache of the visits store, in MiB: every call reads its visitor's latest visit from it, so size "
                    + "it near the visits table's size on disk (state dir, global/rocksdb/visits) where memory allows.", 8, 1_048_576)
            .withDefault("256");
    public static final ConfigKey<Integer> OPS_PORT = OpsServer.portKey(9401);

    /** Settings with the default subscription limits and visits cache. */
    public EnricherConfig(KafkaSettings kafka, String applicationId, int threads, Optional<Path> stateDir,
                          Duration commitInterval, Optional<Path> geoDatabase, String opsHost, int opsPort) {
        this(kafka, applicationId, threads, stateDir, commitInterval, geoDatabase, opsHost, opsPort, SubscriptionLimits.DEFAULTS,
                Integer.parseInt(VISITS_CACHE_MB.defaultValue().orElseThrow()));
    }

    /** Every key this service reads, for the loader and for the documentation. */
    public static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(KafkaSettings.keys());
        keys.addAll(List.of(APPLICATION_ID, THREADS, STATE_DIR, COMMIT_INTERVAL, GEOIP_DATABASE, OpsServer.HOST, OPS_PORT,
                AllowedAddresses.KEY, MAX_SUBSCRIPTIONS_PER_ACCOUNT, MAX_SUBSCRIPTION_BYTES, VISITS_CACHE_MB));
        return keys;
    }

    public static EnricherConfig from(Config config) {
        return new EnricherConfig(KafkaSettings.from(config, config.get(OPS_PORT)), config.get(APPLICATION_ID), config.get(THREADS),
                config.find(STATE_DIR), config.get(COMMIT_INTERVAL), config.find(GEOIP_DATABASE),
                config.get(OpsServer.HOST), config.get(OPS_PORT),
                new SubscriptionLimits(config.get(MAX_SUBSCRIPTIONS_PER_ACCOUNT), config.get(MAX_SUBSCRIPTION_BYTES)),
                config.get(VISITS_CACHE_MB));
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public RegistryConfig registry() {
        return kafka.registry();
    }

    public TopicNames topics() {
        return kafka.topics();
    }

    public TopicLayout layout() {
        return kafka.layout();
    }

    public Map<String, String> kafkaOverrides() {
        return kafka.kafkaOverrides();
    }
}
