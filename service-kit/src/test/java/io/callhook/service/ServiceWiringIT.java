package io.callhook.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The wiring a service's main does (as in the package docs), run for real over loopback. */
class ServiceWiringIT {

    static final ConfigKey<Integer> OPS_PORT = OpsServer.portKey(9400);
    static final ConfigKey<List<HostPort>> BOOTSTRAP = ConfigKey.hostPortList("callhook.kafka.bootstrap-servers",
            "Kafka brokers to connect to first.");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void configMetricsOpsServerAndShutdownFitTogether() throws Exception {
        Map<String, String> env = Map.of("CALLHOOK_OPS_PORT", "0", "CALLHOOK_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
                "CALLHOOK_KAFKA__CLIENT_ID", "wiring-test");

        Shutdown shutdown = new Shutdown("wiring-test");
        Config config = ConfigLoader.load(List.of(OpsServer.HOST, OPS_PORT, BOOTSTRAP), new String[0], env);
        Metrics metrics = shutdown.register("metrics", Metrics.create("wiring-test"));
        Vertx vertx = Vertx.vertx();
        shutdown.register("vertx", () -> vertx.close().await(10, TimeUnit.SECONDS));
        OpsServer ops = shutdown.register("ops server", new OpsServer(vertx, metrics.registry()));
        ops.addReadinessCheck("kafka", HealthStatus::up);
        int port = ops.start(config.get(OpsServer.HOST), config.get(OPS_PORT)).await();

        assertThat(config.kafkaOverrides()).containsEntry("client.id", "wiring-test");
        assertThat(get(port, "/health/ready").statusCode()).isEqualTo(200);

        shutdown.run();

        assertThatThrownBy(() -> get(port, "/health/live")).isInstanceOf(ConnectException.class);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
