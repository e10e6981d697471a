package io.callhook.store.app;

import io.callhook.service.AllowedAddresses;
import io.callhook.service.Config;
import io.callhook.service.ConfigKey;
import io.callhook.service.OpsServer;
import io.callhook.service.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every setting of the subscription store, each key documented where it is defined. */
public record StoreConfig(KafkaSettings kafka, String applicationId, String httpHost, int httpPort, String advertisedHost,
                          String adminToken, Optional<String> tokenKey, Optional<Path> stateDir, Duration secretGrace,
                          String opsHost, int opsPort) {

    public static final ConfigKey<String> APPLICATION_ID = ConfigKey.string("callhook.store.application-id",
            "Kafka Streams application id of the counters and attempt log; instances with the same id share the work.")
            .withDefault("callhook-store");
    public static final ConfigKey<String> HTTP_HOST = ConfigKey.string("callhook.store.http.host",
            "Interface the API and the web page listen on.").withDefault("127.0.0.1");
    public static final ConfigKey<Integer> HTTP_PORT = ConfigKey.intRange("callhook.store.http.port",
            "Port of the API and the web page.", 1, 65535).withDefault("8480");
    public static final ConfigKey<String> ADVERTISED_HOST = ConfigKey.string("callhook.store.advertised-host",
            "Host the other instances reach this one's API on, for counters it holds; the HTTP host when unset "
                    + "(127.0.0.1 if that is 0.0.0.0).").optional();
    public static final ConfigKey<String> ADMIN_TOKEN = ConfigKey.string("callhook.store.admin-token",
            "Bearer token that sees and changes every account; the instances also use it between themselves.").secret();
    public static final ConfigKey<String> TOKEN_KEY = ConfigKey.string("callhook.store.token-key",
            "Key account tokens are signed with (ak_<account>_<HMAC>); without it only the admin token works.")
            .secret().optional();
    public static final ConfigKey<Path> STATE_DIR = ConfigKey.path("callhook.store.state-dir",
            "Where the counters' local state lives; Kafka Streams' default when unset.").optional();
    public static final ConfigKey<Duration> SECRET_GRACE = ConfigKey.duration("callhook.store.secret-grace",
            "How long the previous signing secret keeps signing after a rotation.").withDefault("24h");
    public static final ConfigKey<Integer> OPS_PORT = OpsServer.portKey(9403);

    public static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(KafkaSettings.keys());
        keys.addAll(List.of(APPLICATION_ID, HTTP_HOST, HTTP_PORT, ADVERTISED_HOST, ADMIN_TOKEN, TOKEN_KEY, STATE_DIR,
                SECRET_GRACE, OpsServer.HOST, OPS_PORT, AllowedAddresses.KEY));
        return keys;
    }

    public static StoreConfig from(Config config) {
        String host = config.get(HTTP_HOST);
        String advertised = config.find(ADVERTISED_HOST).orElse(host.equals("0.0.0.0") ? "127.0.0.1" : host);
        return new StoreConfig(KafkaSettings.from(config, config.get(OPS_PORT)), config.get(APPLICATION_ID), host, config.get(HTTP_PORT), advertised,
                config.get(ADMIN_TOKEN), config.find(TOKEN_KEY), config.find(STATE_DIR), config.get(SECRET_GRACE),
                config.get(OpsServer.HOST), config.get(OPS_PORT));
    }
}
