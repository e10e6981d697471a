package io.callhook.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callhook.service.ConfigLoader;
import io.callhook.topic.TopicNames;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    private static final Map<String, String> REQUIRED = Map.of(
            "CALLHOOK_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092", "CALLHOOK_REGISTRY_URL", "http://127.0.0.1:8081");

    @Test
    void topicEnvironmentIsReadBackAsTheSameNames() {
        TopicNames names = TopicNames.DEFAULTS.withPrefix("t1.");
        Map<String, String> env = new HashMap<>(REQUIRED);
        env.putAll(KafkaSettings.topicEnvironment(names));

        KafkaSettings settings = KafkaSettings.from(ConfigLoader.load(KafkaSettings.keys(), new String[0], env));

        assertThat(settings.topics()).isEqualTo(names);
        assertThat(env).containsEntry("CALLHOOK_TOPIC_DEAD_LETTERS", "t1.webhooks.dead-letter");
    }

    @Test
    void withoutTopicKeysTheArchitectureDefaultsApply() {
        KafkaSettings settings = KafkaSettings.from(ConfigLoader.load(KafkaSettings.keys(), new String[0], REQUIRED));

        assertThat(settings.topics()).isEqualTo(TopicNames.DEFAULTS);
    }

    @Test
    void anIllegalTopicNameFailsNamingTheKey() {
        Map<String, String> env = new HashMap<>(REQUIRED);
        env.put("CALLHOOK_TOPIC_VISITS", "visits with spaces");

        assertThatThrownBy(() -> KafkaSettings.from(ConfigLoader.load(KafkaSettings.keys(), new String[0], env)))
                .hasMessageContaining("callhook.topic.visits");
    }
}
