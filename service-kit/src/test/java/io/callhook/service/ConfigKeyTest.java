package io.callhook.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {

    @Test
    void envNameUpperCasesAndReplacesDotsAndDashes() {
        assertThat(ConfigKey.string("callhook.topic.call-events", "d").envName()).isEqualTo("CALLHOOK_TOPIC_CALL_EVENTS");
        assertThat(ConfigKey.intRange("callhook.ops.port", "d", 0, 1).envName()).isEqualTo("CALLHOOK_OPS_PORT");
    }

    @Test
    void requiredUntilDefaultedOrOptional() {
        ConfigKey<Duration> key = ConfigKey.duration("callhook.http.timeout", "Timeout.");
        assertThat(key.isRequired()).isTrue();
        assertThat(key.withDefault("5s").isRequired()).isFalse();
        assertThat(key.withDefault("5s").defaultValue()).contains("5s");
        assertThat(key.optional().isRequired()).isFalse();
        assertThat(key.optional().defaultValue()).isEmpty();
    }

    @Test
    void badDefaultFailsWhereTheKeyIsDefined() {
        assertThatThrownBy(() -> ConfigKey.intRange("callhook.ops.port", "Port.", 1, 65535).withDefault("http"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("default of callhook.ops.port = 'http' is not an integer between 1 and 65535");
    }

    @Test
    void secretIsKeptAcrossModifiers() {
        ConfigKey<String> key = ConfigKey.string("callhook.signing.secret", "Secret.").secret().withDefault("x");
        assertThat(key.isSecret()).isTrue();
    }

    @Test
    void nameMustBeALowerCaseCallhookKey() {
        for (String bad : new String[] {"kafka.bootstrap", "callhook", "callhook.Ops.port", "callhook..x",
                "callhook.ops_port", "callhook.x-", "other.x"}) {
            assertThatThrownBy(() -> ConfigKey.string(bad, "doc")).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void docIsRequired() {
        assertThatThrownBy(() -> ConfigKey.string("callhook.x", " ")).hasMessageContaining("needs a doc string");
    }

    @Test
    void opsKeysDefaults() {
        assertThat(OpsServer.HOST.name()).isEqualTo("callhook.ops.host");
        assertThat(OpsServer.HOST.defaultValue()).contains("127.0.0.1");
        ConfigKey<Integer> port = OpsServer.portKey(9401);
        assertThat(port.name()).isEqualTo("callhook.ops.port");
        assertThat(port.defaultValue()).contains("9401");
        assertThat(port.parse("0")).isEqualTo(Parsed.ok(0));
    }
}
