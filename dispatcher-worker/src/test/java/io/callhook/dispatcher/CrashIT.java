package io.callhook.dispatcher;

import static io.callhook.dispatcher.DispatcherHarness.request;
import static io.callhook.dispatcher.DispatcherHarness.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.launch.ChildProcess;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testsupport.Receiver;
import io.callhook.testsupport.Receiver.Hit;
import io.callhook.testsupport.StandardWebhooksVerifier;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packaged dispatcher, killed with SIGKILL while requests are in flight and started again:
 * every request is received at least once, and every copy of a webhook carries the same
 * {@code webhook-id} (and a valid signature), so receivers can de-duplicate.
 */
@RealInfra
class CrashIT {

    private static final Logger LOG = LoggerFactory.getLogger(CrashIT.class);
    private static final int REQUESTS = 400;

    @Test
    void aHardStopLosesNothing(Infra infra) throws Exception {
        TopicNames names = TopicNames.DEFAULTS.withPrefix("crash.");
        Topics topics = new Topics(names, new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true)));
        Vertx vertx = Vertx.vertx();
        int opsPort = ChildProcess.freePort();
        try (Receiver receiver = Receiver.start(vertx).delaying(150);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer())) {
            List<Subscription> subscriptions = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                subscriptions.add(subscription("crash-" + s, receiver.url("/hooks/" + s)));
            }
            ChildProcess first = start(infra, names, opsPort, 1);
            for (Subscription subscription : subscriptions) {
                producer.send(new ProducerRecord<>(names.subscriptions(), subscription.getId(),
                        topics.subscriptions().valueSerde().serializer().serialize(names.subscriptions(), subscription))).get();
            }
            Thread.sleep(1000);
            Set<String> expected = new java.util.HashSet<>();
            for (int i = 0; i < REQUESTS; i++) {
                WebhookRequest request = request("msg_crash_" + i, subscriptions.get(i % 4), i);
                expected.add(request.getWebhookId());
                producer.send(new ProducerRecord<>(names.outbound(), request.getSubscriptionId(),
                        topics.outbound().valueSerde().serializer().serialize(names.outbound(), request)));
            }
            producer.flush();

            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> receiver.hits().size() >= REQUESTS / 4);
            first.kill();
            int beforeRestart = receiver.hits().size();
            ChildProcess second = start(infra, names, opsPort, 2);
            try {
                Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> distinctIds(receiver.hits()).containsAll(expected));
                Thread.sleep(1000);
                List<Hit> hits = receiver.hits();
                LOG.info("{} requests: {} received before the kill, {} received in all ({} duplicates)",
                        REQUESTS, beforeRestart, hits.size(), hits.size() - REQUESTS);

                assertThat(beforeRestart).as("killed mid-stream").isLessThan(REQUESTS);
                assertThat(distinctIds(hits)).isEqualTo(expected);
                Map<String, Set<String>> idsByBody = new HashMap<>();
                for (Hit hit : hits) {
                    idsByBody.computeIfAbsent(new String(hit.body(), StandardCharsets.UTF_8), body -> new java.util.HashSet<>())
                            .add(hit.header("webhook-id"));
                    assertThat(StandardWebhooksVerifier.verify(hit.headers(), hit.body(), DispatcherHarness.SECRET, Instant.now())
                            .verified()).isTrue();
                }
                assertThat(idsByBody).hasSize(REQUESTS).allSatisfy((body, ids) -> assertThat(ids).as(body).hasSize(1));
            } finally {
                second.close();
            }
        } finally {
            vertx.close().await();
        }
    }

    private static Set<String> distinctIds(List<Hit> hits) {
        return hits.stream().map(hit -> hit.header("webhook-id")).collect(Collectors.toSet());
    }

    private static ChildProcess start(Infra infra, TopicNames names, int opsPort, int run) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CALLHOOK_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers());
        env.put("CALLHOOK_REGISTRY_URL", infra.registryBaseUrl());
        env.put("CALLHOOK_DISPATCHER_GROUP_ID", "crash-dispatcher");
        env.put("CALLHOOK_OPS_PORT", Integer.toString(opsPort));
        env.put("CALLHOOK_NET_ALLOW_ADDRESSES", "127.0.0.0/8");
        env.put("CALLHOOK_TOPICS_PARTITIONS", "3");
        env.putAll(KafkaSettings.topicEnvironment(names));
        env.put("CALLHOOK_KAFKA__SESSION_TIMEOUT_MS", "6000");
        env.put("CALLHOOK_KAFKA__HEARTBEAT_INTERVAL_MS", "1000");
        ChildProcess process = ChildProcess.startJar("dispatcher-" + run, Path.of("target", "dispatcher-worker.jar"),
                List.of("-Xmx256m"), List.of(), env, Path.of("target", "it-logs", "dispatcher-crash-" + run + ".log"));
        process.awaitHttpOk("http://127.0.0.1:" + opsPort + "/health/ready", Duration.ofSeconds(90));
        return process;
    }
}
