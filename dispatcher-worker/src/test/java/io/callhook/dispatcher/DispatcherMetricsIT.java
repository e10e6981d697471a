package io.callhook.dispatcher;

import static io.callhook.dispatcher.DispatcherHarness.request;
import static io.callhook.dispatcher.DispatcherHarness.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import io.callhook.net.AddressPolicy;
import io.callhook.service.Metrics;
import io.callhook.service.OpsServer;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testsupport.Receiver;
import io.callhook.testsupport.Receiver.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The dispatcher's ops endpoints, scraped over HTTP after real deliveries, retries and dead letters. */
@RealInfra
class DispatcherMetricsIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void metricsAndHealthDescribeWhatHappened(Infra infra) throws Exception {
        try (Metrics metrics = Metrics.create("dispatcher");
             DispatcherHarness harness = DispatcherHarness.start(infra, "metrics.", RetrySchedule.of(List.of(Duration.ZERO)),
                     AddressPolicy.allowing("127.0.0.0/8"), Duration.ofSeconds(1), EngineConfig.DEFAULTS, metrics.registry());
             Receiver ok = Receiver.start(harness.vertx);
             Receiver failing = Receiver.start(harness.vertx).answering(n -> Answer.status(503))) {
            OpsServer ops = new OpsServer(harness.vertx, metrics.registry());
            ops.addReadinessCheck("dispatcher", harness.app::readiness);
            int port = ops.start("127.0.0.1", 0).await();
            Subscription good = subscription("metrics-ok", ok.url("/ok"));
            Subscription bad = subscription("metrics-bad", failing.url("/bad"));
            harness.subscribe(good);
            harness.subscribe(bad);
            harness.publish(request("msg_metrics_ok", good, 1));
            harness.publish(request("msg_metrics_bad", bad, 2));
            // "send test webhook": counted apart from the real ones.
            harness.publish(WebhookRequest.newBuilder(request("msg_metrics_test", good, 3)).setTest(true).build());
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> harness.deadLetters.values().size() >= 1
                    && ok.hits().size() >= 2);

            String scrape = get("http://127.0.0.1:" + port + "/metrics").body();
            assertThat(scrape)
                    .contains("callhook_dispatcher_deliveries_total{outcome=\"delivered\",product=\"CALLKEEPER\",service=\"dispatcher\",status_class=\"2xx\",test=\"false\"} 1.0")
                    .contains("callhook_dispatcher_deliveries_total{outcome=\"delivered\",product=\"CALLKEEPER\",service=\"dispatcher\",status_class=\"2xx\",test=\"true\"} 1.0")
                    .contains("callhook_dispatcher_deliveries_total{outcome=\"retrying\",product=\"CALLKEEPER\",service=\"dispatcher\",status_class=\"5xx\",test=\"false\"} 1.0")
                    .contains("callhook_dispatcher_deliveries_total{outcome=\"dead_lettered\",product=\"CALLKEEPER\",service=\"dispatcher\",status_class=\"5xx\",test=\"false\"} 1.0")
                    .contains("callhook_dispatcher_retries_scheduled_total{service=\"dispatcher\",tier=\"0s\"} 1.0")
                    .contains("callhook_dispatcher_dead_letters_total{reason=\"RETRIES_EXHAUSTED\",service=\"dispatcher\"} 1.0")
                    .contains("callhook_dispatcher_attempt_latency_seconds_bucket")
                    .contains("callhook_dispatcher_end_to_end_latency_seconds_count{service=\"dispatcher\"} 2")
                    .contains("callhook_dispatcher_in_flight{service=\"dispatcher\"}")
                    .contains("callhook_dispatcher_circuit_breakers{service=\"dispatcher\",state=\"closed\"} 2.0")
                    .contains("kafka_consumer_fetch_manager_records_consumed_total")
                    .contains("jvm_memory_used_bytes");
            // Bounded labels: no URL and no subscription id anywhere in the labels.
            assertThat(scrape).doesNotContain("metrics-ok").doesNotContain("127.0.0.1:" + ok.port());
            assertThat(get("http://127.0.0.1:" + port + "/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get("http://127.0.0.1:" + port + "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"dispatcher\":\"UP\"");
            ops.stop().await();
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
