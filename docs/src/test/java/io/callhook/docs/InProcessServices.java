package io.callhook.docs;

import io.callhook.dispatcher.app.DispatcherApp;
import io.callhook.dispatcher.app.DispatcherConfig;
import io.callhook.enricher.app.EnricherApp;
import io.callhook.enricher.app.EnricherConfig;
import io.callhook.enricher.geo.GeoLookups;
import io.callhook.launch.ChildProcess;
import io.callhook.service.AllowedAddresses;
import io.callhook.service.Config;
import io.callhook.service.ConfigKey;
import io.callhook.service.ConfigLoader;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.TopicLayout;
import io.callhook.store.app.StoreApp;
import io.callhook.store.app.StoreConfig;
import io.callhook.testkit.ScratchDirs;
import io.callhook.topic.TopicNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Callhook's services started in this JVM the way their {@code Main} starts them: settings from
 * environment variables, loaded and validated by the services' own config code. Every service
 * may send webhooks to loopback, where the tests' receivers listen.
 */
final class InProcessServices {

    private InProcessServices() {
    }

    /** The settings every service shares: the broker, the registry (base URL), the topic names. */
    static Map<String, String> environment(String bootstrapServers, String registryBaseUrl, TopicNames names) {
        Map<String, String> env = new HashMap<>(KafkaSettings.topicEnvironment(names));
        env.put(KafkaSettings.BOOTSTRAP_SERVERS.envName(), bootstrapServers);
        env.put(KafkaSettings.REGISTRY_URL.envName(), registryBaseUrl);
        env.put(TopicLayout.PARTITIONS.envName(), "2");
        env.put(AllowedAddresses.KEY.envName(), "127.0.0.0/8");
        return env;
    }

    static EnricherApp enricher(Map<String, String> shared, String applicationId) throws IOException, InterruptedException {
        Config config = load(EnricherConfig.keys(), shared, Map.of(EnricherConfig.APPLICATION_ID, applicationId,
                EnricherConfig.STATE_DIR, ScratchDirs.create("docs-enricher").toString(),
                EnricherConfig.THREADS, "1"));
        EnricherConfig settings = EnricherConfig.from(config);
        return EnricherApp.start(settings, GeoLookups.open(settings.geoDatabase()),
                AllowedAddresses.urlCheck(AllowedAddresses.policy(config)), new SimpleMeterRegistry());
    }

    static DispatcherApp dispatcher(Map<String, String> shared, String groupId, Vertx vertx) throws InterruptedException {
        Config config = load(DispatcherConfig.keys(), shared, Map.of(DispatcherConfig.GROUP_ID, groupId));
        return DispatcherApp.start(DispatcherConfig.from(config), AllowedAddresses.policy(config), vertx, new SimpleMeterRegistry());
    }

    static StoreApp store(Map<String, String> shared, String applicationId, Vertx vertx) throws IOException, InterruptedException {
        Config config = load(StoreConfig.keys(), shared, Map.of(StoreConfig.APPLICATION_ID, applicationId,
                StoreConfig.HTTP_PORT, Integer.toString(ChildProcess.freePort()), StoreConfig.STATE_DIR, ScratchDirs.create("docs-store").toString(),
                StoreConfig.ADMIN_TOKEN, "docs-admin-token-of-at-least-32-characters",
                StoreConfig.INTERNAL_TOKEN, "docs-internal-token-of-at-least-32-chars",
                StoreConfig.TOKEN_KEY, "docs-token-key-of-at-least-32-characters!"));
        return StoreApp.start(StoreConfig.from(config), AllowedAddresses.policy(config), vertx, new SimpleMeterRegistry());
    }

    private static Config load(List<ConfigKey<?>> keys, Map<String, String> shared, Map<ConfigKey<?>, String> own) {
        Map<String, String> env = new HashMap<>(shared);
        own.forEach((key, value) -> env.put(key.envName(), value));
        // The GeoLite2 database, when the build fetched it (./callhook test does): webhooks then carry geo data.
        String geo = System.getenv(EnricherConfig.GEOIP_DATABASE.envName());
        if (geo != null && !geo.isBlank() && keys.contains(EnricherConfig.GEOIP_DATABASE)) {
            env.put(EnricherConfig.GEOIP_DATABASE.envName(), geo);
        }
        return ConfigLoader.load(keys, new String[0], env);
    }
}
