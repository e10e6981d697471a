package io.callhook.dispatcher;

import static io.callhook.dispatcher.DispatcherHarness.request;
import static io.callhook.dispatcher.DispatcherHarness.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.dispatcher.app.DispatcherApp;
import io.callhook.dispatcher.app.DispatcherConfig;
import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.http.SenderConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.launch.ChildProcess;
import io.callhook.launch.RegistryProcess;
import io.callhook.model.AttemptOutcome;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import io.callhook.net.AddressPolicy;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.HealthStatus;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.TopicLayout;
import io.callhook.service.kafka.TopicProvisioner;
import io.callhook.service.kafka.TopicProvisioner.TopicSpec;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.SharedVertx;
import io.callhook.testkit.TopicTail;
import io.callhook.testsupport.Receiver;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schema registry outage is waited out and shown by readiness, never read as data: no webhook
 * is dropped as meant for a deleted subscription. Real broker, a registry process of this test's
 * own (stopped and started again on the same port and data, so its schema ids survive; the shared
 * registry stays up for the other tests), the dispatcher in-process, receivers on loopback.
 *
 * <ol>
 *   <li>The dispatcher starts while the registry is down, with subscriptions and webhooks
 *       already written: it stays not ready, naming the registry, sends and drops nothing; once
 *       the registry is back, everything is delivered.</li>
 *   <li>The registry goes down while the dispatcher runs, and a new subscription arrives written
 *       with a schema the dispatcher has not seen: its webhooks wait (no drop) while the others'
 *       flow, and go out once the registry is back.</li>
 * </ol>
 */
@RealInfra
@ExtendWith(SharedVertx.class)
class RegistryOutageIT {

    private final Vertx vertx;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    RegistryOutageIT(Vertx vertx) {
        this.vertx = vertx;
    }

    @Test
    void aRegistryOutageIsWaitedOutAndNeverReadAsDeletion(Infra infra, @TempDir Path dir) throws Exception {
        TopicNames names = TopicNames.DEFAULTS.withPrefix("outage.");
        int port = ChildProcess.freePort();
        String registryUrl = "http://127.0.0.1:" + port;
        Path data = dir.resolve("registry");
        Path log = Path.of("target", "it-logs", "registry-outage-registry.log");
        KafkaSettings kafka = new KafkaSettings(infra.bootstrapServers(), new RegistryConfig(registryUrl, true), names,
                new TopicLayout(true, 3, (short) -1), Map.of());
        Topics topics = new Topics(names, new AvroSerdes(kafka.registry()));
        Receiver first = closing(Receiver.start(vertx));
        Receiver second = closing(Receiver.start(vertx));
        Receiver late = closing(Receiver.start(vertx));
        Subscription one = subscription("outage-one", first.url("/one"));
        Subscription two = subscription("outage-two", second.url("/two"));
        KafkaProducer<String, byte[]> producer = closing(new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()), new StringSerializer(), new ByteArraySerializer()));

        int variantId;
        try (RegistryProcess registry = RegistryProcess.start(data, log, port)) {
            provision(infra, kafka);
            write(producer, topics, one, two);
            for (int i = 0; i < 3; i++) {
                publish(producer, topics, request("msg_outage_one_" + i, one, 10 + i));
                publish(producer, topics, request("msg_outage_two_" + i, two, 20 + i));
            }
            variantId = registerVariantOfSubscription(registry.baseUrl());
        }

        // 1. Started while the registry is down.
        DispatcherApp app = closing(DispatcherApp.start(config(kafka), AddressPolicy.allowing("127.0.0.0/8"), vertx,
                new SimpleMeterRegistry()));
        HealthStatus down = Awaitility.await().atMost(Duration.ofSeconds(30)).until(app::readiness,
                status -> status instanceof HealthStatus.Down d && d.reason().contains("registry"));
        Thread.sleep(3000);
        assertThat(app.readiness()).as("still waiting for the registry").isInstanceOf(HealthStatus.Down.class);
        assertThat(first.count() + second.count()).as("nothing sent").isZero();
        List<String> phaseOne = List.of("msg_outage_one_0", "msg_outage_one_1", "msg_outage_one_2",
                "msg_outage_two_0", "msg_outage_two_1", "msg_outage_two_2");

        TopicTail<String, DeliveryAttempt> attempts;
        try (RegistryProcess registry = RegistryProcess.start(data, log, port)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> app.readiness().isUp());
            // Receivers count webhook ids: on a busy machine an attempt may time out and be sent again.
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ids(first, second).containsAll(phaseOne));
            // Read while the registry is up: the tail learns the attempts' schema for what follows.
            attempts = closing(new TopicTail<>(infra.bootstrapServers(), names.attempts(),
                    new StringDeserializer(), topics.attempts().valueSerde().deserializer()));
            attempts.awaitUntil(read -> delivered(read.stream().map(r -> r.value()).toList()).containsAll(phaseOne),
                    Duration.ofSeconds(30));
        }

        // 2. Down again while running; a subscription written with a schema the dispatcher has not seen.
        Subscription three = subscription("outage-late", late.url("/late"));
        producer.send(new ProducerRecord<>(names.subscriptions(), three.getId(), withVariantSchema(
                topics.subscriptions().valueSerde().serializer().serialize(names.subscriptions(), three), variantId)))
                .get(10, TimeUnit.SECONDS);
        publish(producer, topics, request("msg_outage_late", three, 30));
        publish(producer, topics, request("msg_outage_one_during", one, 40));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ids(first).contains("msg_outage_one_during"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(app::readiness,
                status -> status instanceof HealthStatus.Down d && d.reason().contains("schema registry unavailable"));
        Thread.sleep(2000);
        assertThat(late.count()).as("held, not sent").isZero();
        assertThat(attempts.values()).as("and not dropped").noneMatch(a -> a.getWebhookId().equals("msg_outage_late"));

        try (RegistryProcess back = RegistryProcess.start(data, log, port)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ids(late).contains("msg_outage_late"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> app.readiness().isUp());
            attempts.awaitUntil(read -> delivered(read.stream().map(r -> r.value()).toList()).contains("msg_outage_late"),
                    Duration.ofSeconds(30));
        }
        assertThat(attempts.values()).as("nothing dropped, at any time")
                .noneMatch(a -> a.getOutcome() == AttemptOutcome.DROPPED || a.getOutcome() == AttemptOutcome.DEAD_LETTERED);
        assertThat(((HealthStatus.Down) down).reason()).contains(registryUrl);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    private static java.util.Set<String> ids(Receiver... receivers) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Receiver receiver : receivers) {
            receiver.hits().forEach(hit -> ids.add(hit.header("webhook-id")));
        }
        return ids;
    }

    private static java.util.Set<String> delivered(List<DeliveryAttempt> attempts) {
        return attempts.stream().filter(a -> a.getOutcome() == AttemptOutcome.DELIVERED).map(DeliveryAttempt::getWebhookId)
                .collect(java.util.stream.Collectors.toSet());
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeAfter.add(closeable);
        return closeable;
    }

    private static DispatcherConfig config(KafkaSettings kafka) {
        return new DispatcherConfig(kafka, "outage-dispatcher", SenderConfig.defaults().withTimeouts(Duration.ofSeconds(1),
                Duration.ofSeconds(5)), EngineConfig.DEFAULTS, RetrySchedule.of(List.of(Duration.ofSeconds(1))), "127.0.0.1", 0);
    }

    private static void provision(Infra infra, KafkaSettings kafka) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(kafka.layout(), List.of(
                    new TopicSpec(kafka.topics().subscriptions(), true), new TopicSpec(kafka.topics().outbound(), false)));
        }
    }

    private static void write(KafkaProducer<String, byte[]> producer, Topics topics, Subscription... subscriptions) throws Exception {
        for (Subscription subscription : subscriptions) {
            producer.send(new ProducerRecord<>(topics.subscriptions().name(), subscription.getId(),
                    topics.subscriptions().valueSerde().serializer().serialize(topics.subscriptions().name(), subscription)))
                    .get(10, TimeUnit.SECONDS);
        }
    }

    private static void publish(KafkaProducer<String, byte[]> producer, Topics topics, WebhookRequest request) throws Exception {
        producer.send(new ProducerRecord<>(topics.outbound().name(), request.getSubscriptionId(),
                topics.outbound().valueSerde().serializer().serialize(topics.outbound().name(), request))).get(10, TimeUnit.SECONDS);
    }

    /**
     * Registers, through the registry's Confluent-compatible API as another producer would, a
     * later version of Subscription: the same fields and an optional one more.
     */
    private static int registerVariantOfSubscription(String registryBaseUrl) throws Exception {
        JsonObject schema = new JsonObject(Subscription.getClassSchema().toString());
        JsonArray fields = schema.getJsonArray("fields");
        fields.add(new JsonObject().put("name", "note").put("type", new JsonArray().add("null").add("string")).putNull("default"));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(registryBaseUrl + "/apis/ccompat/v7/subjects/outage-subscription-variant/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("schema", schema.encode()).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body()).getInteger("id");
    }

    /**
     * The record in the variant's framing: its schema id, the same Avro fields, then the added
     * optional field as null (one byte: union branch 0).
     */
    private static byte[] withVariantSchema(byte[] framed, int variantId) {
        ByteBuffer out = ByteBuffer.allocate(framed.length + 1);
        out.put((byte) 0).putInt(variantId).put(framed, 5, framed.length - 5).put((byte) 0);
        return out.array();
    }
}
