package io.callhook.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callhook.service.ConfigException;
import io.callhook.service.ConfigLoader;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class GroupMembershipTest {

    private static final Map<String, String> REQUIRED = Map.of(
            "CALLHOOK_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092", "CALLHOOK_REGISTRY_URL", "http://127.0.0.1:8081");

    @Test
    void byDefaultAnInstanceIsAStaticMemberNamedAfterItsHostAndOpsPort() {
        GroupMembership membership = GroupMembership.byDefault("worker-3.example", 9402);

        assertThat(membership.instanceId()).contains("worker-3.example-9402");
        assertThat(membership.consumerConfig()).containsExactly(Map.entry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "worker-3.example-9402"));
    }

    @Test
    void aHostNameWithCharactersKafkaRefusesIsMadeSafe() {
        assertThat(GroupMembership.byDefault("my host:1", 9401).instanceId()).contains("my_host_1-9401");
    }

    @Test
    void withAFreeOpsPortEachTimeThereIsNoStableNameSoMembershipStaysDynamic() {
        GroupMembership membership = GroupMembership.byDefault("worker-3", 0);

        assertThat(membership.instanceId()).isEmpty();
        assertThat(membership.consumerConfig()).isEmpty();
    }

    @Test
    void aConfiguredIdWinsAndNoneMeansDynamic() {
        assertThat(settings("CALLHOOK_KAFKA_INSTANCE_ID", "enricher-a").membership()).isEqualTo(GroupMembership.staticAs("enricher-a"));
        assertThat(settings("CALLHOOK_KAFKA_INSTANCE_ID", "none").membership()).isEqualTo(GroupMembership.dynamic());
    }

    @Test
    void withoutAConfiguredIdTheServiceDefaultApplies() {
        GroupMembership membership = KafkaSettings.from(ConfigLoader.load(KafkaSettings.keys(), new String[0], REQUIRED), 9403)
                .membership();

        assertThat(membership.instanceId()).hasValueSatisfying(id -> assertThat(id).endsWith("-9403"));
    }

    @Test
    void toolsThatJoinNoGroupAreDynamic() {
        assertThat(KafkaSettings.from(ConfigLoader.load(KafkaSettings.keys(), new String[0], REQUIRED)).membership())
                .isEqualTo(GroupMembership.dynamic());
    }

    @Test
    void anIdKafkaWouldRefuseFailsAtStartNamingTheKey() {
        assertThatThrownBy(() -> settings("CALLHOOK_KAFKA_INSTANCE_ID", "two words"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("callhook.kafka.instance-id");
        assertThatThrownBy(() -> GroupMembership.staticAs("x".repeat(201))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theGroupConsumerGetsTheMembershipUnderTheOperatorsOverrides() {
        KafkaSettings settings = new KafkaSettings("b:9092", null, null, null, Map.of("group.instance.id", "operator-set"),
                GroupMembership.staticAs("default-1"));

        assertThat(settings.groupConsumerConfig(Map.of("group.id", "g"))).containsEntry("group.id", "g")
                .containsEntry("group.instance.id", "operator-set").containsEntry("bootstrap.servers", "b:9092");
        assertThat(new KafkaSettings("b:9092", null, null, null, Map.of(), GroupMembership.staticAs("default-1"))
                .groupConsumerConfig(Map.of())).containsEntry("group.instance.id", "default-1");
        assertThat(new KafkaSettings("b:9092", null, null, null, Map.of()).groupConsumerConfig(Map.of()))
                .doesNotContainKey("group.instance.id");
    }

    private static KafkaSettings settings(String name, String value) {
        Map<String, String> env = new HashMap<>(REQUIRED);
        env.put(name, value);
        return KafkaSettings.from(ConfigLoader.load(KafkaSettings.keys(), new String[0], env), 9402);
    }

}
