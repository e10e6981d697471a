package io.callhook.store.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callhook.service.ConfigException;
import io.callhook.service.ConfigLoader;
import io.callhook.store.service.RateLimit;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store's settings as an operator writes them: defaults, and bad values refused at start naming the key. */
class StoreConfigTest {

    private static final String ADMIN = "admin-token-0123456789abcdef0123456789";
    private static final String INTERNAL = "internal-token-0123456789abcdef0123456789";

    private static StoreConfig load(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("CALLHOOK_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "CALLHOOK_REGISTRY_URL", "http://registry:8080", "CALLHOOK_STORE_ADMIN_TOKEN", ADMIN,
                "CALLHOOK_STORE_INTERNAL_TOKEN", INTERNAL));
        env.putAll(extra);
        return StoreConfig.from(ConfigLoader.load(StoreConfig.keys(), new String[0], env));
    }

    @Test
    void defaults() {
        StoreConfig config = load(Map.of());

        assertThat(config.tokens().admin()).isEqualTo(ADMIN);
        assertThat(config.tokens().internal()).isEqualTo(INTERNAL);
        assertThat(config.tokens().tokenKey()).isEmpty();
        assertThat(config.limits()).isEqualTo(StoreConfig.TenantLimits.DEFAULTS);
        assertThat(config.limits().testCalls()).isEqualTo(new RateLimit(10, Duration.ofMinutes(1)));
        assertThat(config.autoDisableAfter()).isEqualTo(Duration.ofDays(5));
        assertThat(config.toString()).doesNotContain(ADMIN).doesNotContain(INTERNAL);
    }

    @Test
    void shortTokensAndKeysAreRefusedNamingTheKeyWithoutShowingTheValue() {
        for (String key : new String[] {"CALLHOOK_STORE_ADMIN_TOKEN", "CALLHOOK_STORE_INTERNAL_TOKEN", "CALLHOOK_STORE_TOKEN_KEY"}) {
            String name = key.toLowerCase().replace("callhook_store_", "callhook.store.").replace('_', '-');
            assertThatThrownBy(() -> load(Map.of(key, "short-secret-1234567890")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(name + " = '")
                    .hasMessageContaining("is 23 characters long; it must be at least 32")
                    .hasMessageNotContaining("short-secret-1234567890");
        }
    }

    @Test
    void theInstancesTokenMustDifferFromTheAdminToken() {
        assertThatThrownBy(() -> load(Map.of("CALLHOOK_STORE_INTERNAL_TOKEN", ADMIN)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("callhook.store.internal-token must differ from callhook.store.admin-token");
    }

    @Test
    void theInstancesTokenIsRequired() {
        Map<String, String> env = new HashMap<>(Map.of("CALLHOOK_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "CALLHOOK_REGISTRY_URL", "http://registry:8080", "CALLHOOK_STORE_ADMIN_TOKEN", ADMIN));
        assertThatThrownBy(() -> ConfigLoader.load(StoreConfig.keys(), new String[0], env))
                .hasMessageContaining("callhook.store.internal-token is required");
    }

    @Test
    void limitsAreValidated() {
        assertThat(load(Map.of("CALLHOOK_STORE_TEST_CALL_LIMIT", "3/30s")).limits().testCalls())
                .isEqualTo(new RateLimit(3, Duration.ofSeconds(30)));
        assertThatThrownBy(() -> load(Map.of("CALLHOOK_STORE_TEST_CALL_LIMIT", "lots")))
                .hasMessageContaining("callhook.store.test-call-limit = 'lots' (from env CALLHOOK_STORE_TEST_CALL_LIMIT) is not a rate");
        assertThatThrownBy(() -> load(Map.of("CALLHOOK_STORE_REPLAY_LIMIT", "0/1h")))
                .hasMessageContaining("callhook.store.replay-limit");
        assertThatThrownBy(() -> load(Map.of("CALLHOOK_STORE_MAX_SUBSCRIPTIONS_PER_ACCOUNT", "0")))
                .hasMessageContaining("callhook.store.max-subscriptions-per-account = '0'");
        assertThatThrownBy(() -> load(Map.of("CALLHOOK_STORE_REPLAY_MAX_RANGE", "0s")))
                .hasMessageContaining("callhook.store.replay.max-range = '0s' must be longer than 0");
        assertThat(load(Map.of("CALLHOOK_STORE_AUTO_DISABLE_AFTER", "0s")).autoDisableAfter()).as("never").isZero();
    }
}
