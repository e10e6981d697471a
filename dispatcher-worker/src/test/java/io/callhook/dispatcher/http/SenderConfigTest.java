package io.callhook.dispatcher.http;

import io.callhook.service.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SenderConfigTest {

    @Test
    void theKeysDefaultToTheDefaults() {
        SenderConfig fromKeys = SenderConfig.from(ConfigLoader.load(SenderConfig.KEYS, new String[0], Map.of()));

        assertThat(fromKeys).isEqualTo(SenderConfig.defaults());
        assertThat(fromKeys.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(fromKeys.totalTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(fromKeys.excerptBytes()).isEqualTo(4096);
        assertThat(fromKeys.maxPoolSize()).isEqualTo(32);
        assertThat(fromKeys.resolverTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(fromKeys.userAgent()).isEqualTo("Callhook/0.1 (+https://github.com/callhook)");
        assertThat(fromKeys.resolverThreads()).isEqualTo(16);
        assertThat(fromKeys.resolverLookupsPerAccount()).isEqualTo(2);
        assertThat(fromKeys.resolverQueuePerAccount()).isEqualTo(64);
    }

    @Test
    void environmentOverridesAreRead() {
        SenderConfig config = SenderConfig.from(ConfigLoader.load(SenderConfig.KEYS, new String[0],
                Map.of("CALLHOOK_HTTP_CONNECT_TIMEOUT", "2s", "CALLHOOK_HTTP_MAX_POOL_SIZE", "64")));

        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.maxPoolSize()).isEqualTo(64);
    }

    @Test
    void invalidCombinationsNameTheKey() {
        SenderConfig d = SenderConfig.defaults();
        assertThatIllegalArgumentException().isThrownBy(() -> d.withResolver(4, 5, 10))
                .withMessageContaining("callhook.http.dns-lookups-per-account");
        assertThatIllegalArgumentException().isThrownBy(() -> d.withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(10)))
                .withMessageContaining("callhook.http.connect-timeout");
        assertThatIllegalArgumentException().isThrownBy(() -> d.withTimeouts(Duration.ZERO, Duration.ofSeconds(10)))
                .withMessageContaining("callhook.http.connect-timeout");
        assertThatIllegalArgumentException().isThrownBy(() -> new SenderConfig(d.connectTimeout(), d.totalTimeout(),
                        d.excerptBytes(), d.maxPoolSize(), Duration.ofMillis(1500), d.resolverTtl(), d.resolverFailureTtl(), d.userAgent(),
                        d.resolverThreads(), d.resolverLookupsPerAccount(), d.resolverQueuePerAccount()))
                .withMessageContaining("callhook.http.keep-alive-timeout");
        assertThatIllegalArgumentException().isThrownBy(() -> d.withExcerptBytes(-1))
                .withMessageContaining("callhook.http.response-excerpt-bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> new SenderConfig(d.connectTimeout(), d.totalTimeout(),
                        d.excerptBytes(), d.maxPoolSize(), d.keepAliveTimeout(), d.resolverTtl(), d.resolverFailureTtl(), "a\r\nb",
                        d.resolverThreads(), d.resolverLookupsPerAccount(), d.resolverQueuePerAccount()))
                .withMessageContaining("callhook.http.user-agent");
    }
}
