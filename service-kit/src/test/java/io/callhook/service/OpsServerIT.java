package io.callhook.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ops endpoints over real loopback HTTP. */
class OpsServerIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<HealthStatus> streams = new AtomicReference<>(HealthStatus.down("REBALANCING"));
    private Metrics metrics;
    private OpsServer ops;
    private int port;

    @BeforeEach
    void start() {
        metrics = Metrics.create("ops-test");
        metrics.registry().counter("callhook.test.deliveries", "outcome", "delivered").increment(3);
        ops = OpsServer.withOwnVertx(metrics.registry())
                .addReadinessCheck("kafka-streams", streams::get)
                .addReadinessCheck("geo-db", HealthStatus::up);
        port = ops.start("127.0.0.1", 0).await();
    }

    @AfterEach
    void stop() throws Exception {
        ops.close();
        metrics.close();
    }

    @Test
    void boundAFreePort() {
        assertThat(port).isPositive().isEqualTo(ops.port());
    }

    @Test
    void metricsServesPrometheusTextWithServiceAndJvmMeters() throws Exception {
        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body())
                .contains("callhook_test_deliveries_total{outcome=\"delivered\",service=\"ops-test\"} 3.0")
                .contains("jvm_memory_used_bytes{")
                .contains("jvm_threads_live_threads{service=\"ops-test\"}");
    }

    @Test
    void liveIsUp() throws Exception {
        HttpResponse<String> response = get("/health/live");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void aFatalStopTurnsLivenessAndReadinessDownAndExitsWithStatus70() throws Exception {
        streams.set(HealthStatus.up());
        java.util.concurrent.CompletableFuture<Integer> exited = new java.util.concurrent.CompletableFuture<>();

        new FatalStop(ops, exited::complete).stop("dispatch loop", new IllegalStateException("boom"));

        assertThat(exited.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(FatalStop.EXIT_STATUS).isNotZero();
        HttpResponse<String> live = get("/health/live");
        assertThat(live.statusCode()).isEqualTo(503);
        assertThat(live.body()).contains("\"status\":\"DOWN\"").contains("dispatch loop stopped: java.lang.IllegalStateException: boom");
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void readyIs503WithTheReasonUntilEveryCheckIsUp() throws Exception {
        HttpResponse<String> down = get("/health/ready");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\",\"checks\":{\"geo-db\":\"UP\",\"kafka-streams\":\"REBALANCING\"}}");

        streams.set(HealthStatus.up());

        HttpResponse<String> up = get("/health/ready");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).isEqualTo("{\"status\":\"UP\",\"checks\":{\"geo-db\":\"UP\",\"kafka-streams\":\"UP\"}}");
    }

    @Test
    void checkAddedAfterStartCounts() throws Exception {
        streams.set(HealthStatus.up());
        ops.addReadinessCheck("late", () -> HealthStatus.down("not yet"));

        HttpResponse<String> response = get("/health/ready");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"late\":\"not yet\"");
    }

    @Test
    void unknownPathIs404() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(get("/health").statusCode()).isEqualTo(404);
    }

    @Test
    void stopReleasesThePort() throws Exception {
        ops.stop().await();

        assertThatThrownBy(() -> get("/health/live")).isInstanceOf(ConnectException.class);
    }

    @Test
    void aSharedVertxIsLeftRunning() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            OpsServer shared = new OpsServer(vertx, metrics.registry());
            int sharedPort = shared.start("127.0.0.1", 0).await();
            assertThat(sharedPort).isNotEqualTo(port);
            shared.close();

            // Still usable: a new server on the same Vert.x starts.
            OpsServer again = new OpsServer(vertx, metrics.registry());
            assertThat(again.start("127.0.0.1", 0).await()).isPositive();
            again.close();
        } finally {
            vertx.close().await();
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
