package io.callhook.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callhook.net.AddressPolicy;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.TopicLayout;
import io.callhook.store.app.StoreApp;
import io.callhook.store.app.StoreConfig;
import io.callhook.store.cli.AccountTokens;
import io.callhook.testkit.ChildProcess;
import io.callhook.testkit.Infra;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;

/**
 * Subscription store instances running in-process against the real broker and registry, on
 * topics of their own, and an HTTP client for their API.
 */
final class StoreHarness implements AutoCloseable {

    static final String ADMIN = "admin-token-for-tests";
    static final String TOKEN_KEY = "token-key-for-tests";
    static final ObjectMapper JSON = new ObjectMapper();

    final Infra infra;
    final TopicNames names;
    final Topics topics;
    final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newHttpClient();

    StoreHarness(Infra infra, String prefix) {
        this.infra = infra;
        this.names = TopicNames.DEFAULTS.withPrefix(prefix);
        this.topics = new Topics(names, new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true)));
    }

    /** A store instance of application {@code applicationId}; several with the same id share the work. */
    StoreApp start(String applicationId, AddressPolicy policy) throws Exception {
        int port = ChildProcess.freePort();
        StoreConfig config = new StoreConfig(
                new KafkaSettings(infra.bootstrapServers(), new RegistryConfig(infra.registryBaseUrl(), true), names,
                        new TopicLayout(true, 4, (short) -1), Map.of()),
                applicationId, "127.0.0.1", port, "127.0.0.1", ADMIN, Optional.of(TOKEN_KEY),
                Optional.of(Files.createTempDirectory("store-state")), Duration.ofHours(24), "127.0.0.1", 0);
        StoreApp app = StoreApp.start(config, policy, vertx, new SimpleMeterRegistry());
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> app.readiness().isUp());
        return app;
    }

    static String accountToken(long accountId) {
        return AccountTokens.mint(TOKEN_KEY, accountId);
    }

    /** A response with its body parsed (null when empty). */
    record Answer(int status, JsonNode body, String text) {
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
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isBlank() || !response.headers().firstValue("Content-Type").orElse("").contains("json")
                ? null : JSON.readTree(response.body());
        return new Answer(response.statusCode(), body, response.body());
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
