package io.callhook.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callhook.service.kafka.GroupStates.GroupStatus;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Against a real broker: {@link AdminGroupStates} reports a group as its coordinator sees it,
 * including a static member that stopped without leaving, which the coordinator keeps (and a
 * restarted member waits for) until its session times out, and a group no member has joined as
 * unknown.
 */
@RealInfra
class AdminGroupStatesIT {

    @Test
    void reportsStateCoordinatorAndMembersAsTheCoordinatorSeesThem(Infra infra) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "group-states-" + run;
        String dynamicGroup = "group-states-dynamic-" + run;
        String staticGroup = "group-states-static-" + run;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
            int broker = admin.describeCluster().controller().get().id();
            AdminGroupStates states = new AdminGroupStates(admin, Duration.ofSeconds(10));

            try (KafkaConsumer<byte[], byte[]> dynamic = consumer(infra, dynamicGroup, null);
                 KafkaConsumer<byte[], byte[]> statik = consumer(infra, staticGroup, "instance-" + run)) {
                dynamic.subscribe(List.of(topic));
                statik.subscribe(List.of(topic));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    dynamic.poll(Duration.ofMillis(100));
                    statik.poll(Duration.ofMillis(100));
                    return dynamic.assignment().size() == 3 && statik.assignment().size() == 3;
                });

                assertThat(states.status(dynamicGroup)).contains(new GroupStatus("Stable", broker, 1, 0));
                assertThat(states.status(staticGroup)).contains(new GroupStatus("Stable", broker, 1, 1));
                assertThat(states.status(staticGroup).orElseThrow().describe())
                        .isEqualTo("Stable on broker " + broker + " with 1 member (1 static)");
            }

            // The dynamic member left as it closed; the static one stays a member until its session ends.
            assertThat(states.status(dynamicGroup)).contains(new GroupStatus("Empty", broker, 0, 0));
            assertThat(states.status(staticGroup)).contains(new GroupStatus("Stable", broker, 1, 1));
            assertThat(states.status("group-states-never-used-" + run)).isEmpty();
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Infra infra, String group, String instanceId) {
        Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", infra.bootstrapServers(), "group.id", group,
                "enable.auto.commit", false, "session.timeout.ms", 45_000));
        if (instanceId != null) {
            config.put("group.instance.id", instanceId);
        }
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
