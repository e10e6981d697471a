package io.callhook.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callhook.launch.ChildProcess;
import io.callhook.model.DeliveryAttempt;
import io.callhook.net.AddressPolicy;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.ConfigLoader;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.store.api.AccountTokens;
import io.callhook.store.app.StoreApp;
import io.callhook.store.app.StoreConfig;
import io.callhook.testkit.Infra;
import io.callhook.testkit.ScratchDirs;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * Subscription store instances running in-process against the real broker and registry, on
 * topics of their own, and an HTTP client for their API. Each instance is configured as an
 * operator would configure it: through its environment variables, loaded and validated by the
 * store's own config loader.
 */
final class StoreHarness implements AutoCloseable {

    static final String ADMIN = "admin-token-for-tests-0123456789abcdef";
    static final String INTERNAL = "internal-token-for-tests-0123456789abcdef";
    static final String TOKEN_KEY = "token-key-for-tests-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    final Infra infra;
    final TopicNames names;
    final Topics topics;
    final Vertx vertx = Vertx.vertx();
    final MeterRegistry meters = new SimpleMeterRegistry();
    // HTTP/1.1, as the store's other clients (the page, curl, the CLI) speak it. The JDK client's
    // default first request is an h2c upgrade; once (not seen again) the 45 KB answer to such a
    // first request never came and the test waited without end.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private KafkaProducer<String, byte[]> producer;

    StoreHarness(Infra infra, String prefix) {
        this.infra = infra;
        this.names = TopicNames.DEFAULTS.withPrefix(prefix);
        this.topics = new Topics(names, new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true)));
    }

    /** A store instance of application {@code applicationId}; several with the same id share the work. */
    StoreApp start(String applicationId, AddressPolicy policy) throws Exception {
        return start(applicationId, policy, Map.of());
    }

    /** Same, with environment variables that add to or override the harness's (e.g. a limit). */
    StoreApp start(String applicationId, AddressPolicy policy, Map<String, String> env) throws Exception {
        StoreApp app = started(applicationId, policy, env);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> app.readiness().isUp());
        return app;
    }

    /** A store instance that may not become ready (its counters held), returned as soon as it serves its API. */
    StoreApp startWithoutWaiting(String applicationId, AddressPolicy policy) throws Exception {
        return started(applicationId, policy, Map.of());
    }

    private StoreApp started(String applicationId, AddressPolicy policy, Map<String, String> env) throws Exception {
        StoreConfig config = StoreConfig.from(ConfigLoader.load(StoreConfig.keys(), new String[0], environment(applicationId, env)));
        return StoreApp.start(config, policy, vertx, meters);
    }

    private Map<String, String> environment(String applicationId, Map<String, String> overrides) throws Exception {
        Map<String, String> env = new HashMap<>(KafkaSettings.topicEnvironment(names));
        env.put("CALLHOOK_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers());
        env.put("CALLHOOK_REGISTRY_URL", infra.registryBaseUrl());
        env.put("CALLHOOK_TOPICS_PARTITIONS", "4");
        env.put("CALLHOOK_STORE_APPLICATION_ID", applicationId);
        env.put("CALLHOOK_STORE_HTTP_PORT", Integer.toString(ChildProcess.freePort()));
        env.put("CALLHOOK_STORE_ADMIN_TOKEN", ADMIN);
        env.put("CALLHOOK_STORE_INTERNAL_TOKEN", INTERNAL);
        env.put("CALLHOOK_STORE_TOKEN_KEY", TOKEN_KEY);
        env.put("CALLHOOK_STORE_STATE_DIR", ScratchDirs.create("store-state").toString());
        env.putAll(overrides);
        return env;
    }

    /** Writes a record as another producer would, and waits until the broker has it. */
    synchronized RecordMetadata publish(String topic, String key, byte[] value) throws Exception {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer());
        }
        return producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    /** Writes a delivery attempt as the dispatcher would. */
    RecordMetadata publish(DeliveryAttempt attempt) throws Exception {
        return publish(names.attempts(), attempt.getSubscriptionId(),
                topics.attempts().valueSerde().serializer().serialize(names.attempts(), attempt));
    }

    static String accountToken(long accountId) {
        return AccountTokens.mint(TOKEN_KEY, accountId);
    }

    /** A response with its body parsed (null when empty). */
    record Answer(int status, JsonNode body, String text, java.net.http.HttpHeaders headers) {
    }

    Answer call(StoreApp app, String method, String path, String token, String jsonBody) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.build());
    }

    Answer send(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isBlank() || !response.headers().firstValue("Content-Type").orElse("").contains("json")
                ? null : JSON.readTree(response.body());
        return new Answer(response.statusCode(), body, response.body(), response.headers());
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close();
        }
        vertx.close().await();
    }
}
