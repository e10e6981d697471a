package io.callhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.callhook.demo.Traffic;
import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.model.CallEvent;
import io.callhook.model.Subscription;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every query of the Grafana dashboard ({@code docker/grafana/dashboards/callhook.json}) returns
 * data from a real Prometheus scraping the real services: enricher, dispatcher and store run in
 * this JVM on the real broker and registry, each with its ops endpoints on a loopback port;
 * Prometheus (Debian's, a child process) scrapes them every second with the deployment's own
 * {@code prometheus.yml}, targets moved to those ports. Traffic (the demo's generator): calls of both products to
 * three subscriptions of a loopback receiver, one of which answers 503, so that deliveries,
 * retries, dead letters and an open circuit breaker all happen.
 */
@RealInfra
class DashboardQueriesIT {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardQueriesIT.class);
    private static final Path LOGS = Path.of("target", "it-logs");
    /** Long enough for rate() over $__rate_interval (30 s) to have samples of every series. */
    private static final Duration QUERIES_DEADLINE = Duration.ofSeconds(90);
    private static final Duration TRAFFIC_LIMIT = Duration.ofMinutes(3);
    private static final int MAX_CALLS = 2_000;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyPanelQueryReturnsData(Infra infra, @TempDir Path temp) throws Exception {
        Dashboard dashboard = Dashboard.read(DeployFiles.dashboard());
        Vertx receivers = Vertx.vertx();
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        HttpServer receiver = receivers.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            boolean ok = request.path().startsWith("/ok");
            (ok ? delivered : refused).incrementAndGet();
            request.response().setStatusCode(ok ? 200 : 503).end(ok ? "ok" : "down for maintenance");
        })).listen(0, "127.0.0.1").await();
        String base = "http://127.0.0.1:" + receiver.actualPort();
        // A breaker that opens after 2 failures of 4 calls, so the "breakers open" panel has something to show.
        EngineConfig engine = new EngineConfig(16, 10_000, Duration.ofSeconds(10), 50, 4, 2, Duration.ofSeconds(5));
        RetrySchedule schedule = RetrySchedule.of(List.of(Duration.ZERO, Duration.ofMillis(500)));
        try (Pipeline pipeline = Pipeline.start(infra, "dash.", schedule, engine);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                     ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer())) {
            List<Subscription> subscriptions = List.of(
                    Traffic.subscription("sub_dash_ok_41", 41, base + "/ok/crm", Instant.now()),
                    Traffic.subscription("sub_dash_down_41", 41, base + "/down/crm", Instant.now()),
                    Traffic.subscription("sub_dash_ok_42", 42, base + "/ok/analytics", Instant.now()));
            for (Subscription subscription : subscriptions) {
                producer.send(new ProducerRecord<>(pipeline.names.subscriptions(), subscription.getId(),
                        pipeline.topics.subscriptions().valueSerde().serializer()
                                .serialize(pipeline.names.subscriptions(), subscription))).get();
            }
            Awaitility.await("the services ready and knowing the subscriptions").atMost(Duration.ofSeconds(90))
                    .until(() -> pipeline.ready() && subscriptions.stream().allMatch(s -> pipeline.dispatcher.knows(s.getId())));

            int prometheusPort = PrometheusServer.freePort();
            Path config = scrapeConfig(pipeline.opsPorts, prometheusPort, temp);
            try (PrometheusServer prometheus = PrometheusServer.start(config, prometheusPort, temp.resolve("tsdb"),
                    LOGS.resolve("prometheus.log"));
                 CallLoop traffic = CallLoop.start(producer, pipeline)) {
                Awaitility.await("webhooks delivered and refused").atMost(Duration.ofSeconds(60))
                        .until(() -> delivered.get() >= 10 && refused.get() >= 3);
                AtomicReference<List<String>> missing = new AtomicReference<>(List.of());
                try {
                    Awaitility.await("every dashboard query to return data").atMost(QUERIES_DEADLINE)
                            .pollInterval(Duration.ofSeconds(2))
                            .until(() -> {
                                missing.set(queriesWithoutData(dashboard, prometheus));
                                return missing.get().isEmpty();
                            });
                } catch (ConditionTimeoutException e) {
                    // Reported below with every query that found nothing.
                } finally {
                    dumpScrapes(pipeline.opsPorts);
                }
                LOG.info("Targets: {}", prometheus.targets());
                assertThat(prometheus.targets().values()).as("scrape targets' health").allMatch(h -> h.equals("up"));
                assertThat(missing.get())
                        .as("dashboard queries without data after %s (Prometheus log %s, scrapes in %s)",
                                QUERIES_DEADLINE, prometheus.logFile(), LOGS)
                        .isEmpty();
                LOG.info("All {} queries of {} panels returned data ({} calls sent, {} delivered, {} refused)",
                        dashboard.panels().stream().mapToInt(p -> p.queries().size()).sum(), dashboard.panels().size(),
                        traffic.sent(), delivered.get(), refused.get());
            }
        } finally {
            receiver.close().await();
            receivers.close().await();
        }
    }

    /** Each query that returns no sample, or only NaN, as "panel 'title' (refId): query -> result". */
    private static List<String> queriesWithoutData(Dashboard dashboard, PrometheusServer prometheus) throws Exception {
        List<String> missing = new ArrayList<>();
        for (Dashboard.Panel panel : dashboard.panels()) {
            for (Dashboard.Query query : panel.queries()) {
                String expr = Dashboard.resolve(query.expr());
                PrometheusServer.Result result = prometheus.query(expr);
                if (!result.hasNumbers()) {
                    missing.add("panel '" + panel.title() + "' (" + query.refId() + "): " + expr + " -> "
                            + (result.samples().isEmpty() ? "no data" : "only NaN " + result.samples()));
                }
            }
        }
        return missing;
    }

    /**
     * The deployment's prometheus.yml with its targets moved to this test's loopback ports and
     * scraped every second; a target this test does not know fails, so a new one is not missed.
     */
    private static Path scrapeConfig(Map<String, Integer> opsPorts, int prometheusPort, Path dir) throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode config = (ObjectNode) yaml.readTree(DeployFiles.prometheusConfig().toFile());
        ObjectNode global = (ObjectNode) config.path("global");
        global.put("scrape_interval", "1s").put("scrape_timeout", "1s").put("evaluation_interval", "1s");
        Map<String, String> moved = new LinkedHashMap<>();
        for (JsonNode job : config.path("scrape_configs")) {
            for (JsonNode staticConfig : job.path("static_configs")) {
                ArrayNode targets = (ArrayNode) staticConfig.path("targets");
                for (int i = 0; i < targets.size(); i++) {
                    String target = targets.get(i).asText();
                    String host = target.substring(0, target.lastIndexOf(':'));
                    // "localhost" is Prometheus scraping itself, in its container as here.
                    Integer port = host.equals("localhost") ? prometheusPort : opsPorts.get(host);
                    assertThat(port).as("a service of this test behind scrape target " + target).isNotNull();
                    String local = "127.0.0.1:" + port;
                    targets.set(i, local);
                    moved.put(target, local);
                }
            }
        }
        Path file = dir.resolve("prometheus.yml");
        yaml.writeValue(file.toFile(), config);
        LOG.info("Scraping {} every second", moved);
        return file;
    }

    /** Each service's /metrics as Prometheus scraped it, for whoever edits the dashboard next. */
    private void dumpScrapes(Map<String, Integer> opsPorts) throws Exception {
        Files.createDirectories(LOGS);
        for (Map.Entry<String, Integer> service : opsPorts.entrySet()) {
            HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.getValue() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            Files.writeString(LOGS.resolve(service.getKey() + "-metrics.txt"), scrape.body());
        }
    }

    /**
     * The telephony backend and the site tracker: a visit then the call's start and end, every
     * 100 ms, alternating the two accounts; bounded in count and time, stopped by close.
     */
    private static final class CallLoop implements AutoCloseable {

        private final Thread thread;
        private final AtomicInteger sent = new AtomicInteger();
        private volatile boolean stop;

        private CallLoop(KafkaProducer<String, byte[]> producer, Pipeline pipeline) {
            Traffic traffic = new Traffic(7, Instant.now());
            this.thread = new Thread(() -> {
                long deadline = System.nanoTime() + TRAFFIC_LIMIT.toNanos();
                long callId = 1_000;
                while (!stop && sent.get() < MAX_CALLS && System.nanoTime() < deadline) {
                    long account = callId % 2 == 0 ? 42 : 41;
                    CallEvent start = traffic.call(callId, account, false);
                    producer.send(new ProducerRecord<>(pipeline.names.visits(), start.getVisitorId(),
                            pipeline.topics.visits().valueSerde().serializer().serialize(pipeline.names.visits(),
                                    traffic.visit(start.getVisitorId()))));
                    for (CallEvent event : List.of(start, traffic.call(callId, account, true))) {
                        producer.send(new ProducerRecord<>(pipeline.names.callEvents(), Long.toString(callId),
                                pipeline.topics.callEvents().valueSerde().serializer().serialize(pipeline.names.callEvents(), event)));
                    }
                    sent.incrementAndGet();
                    callId++;
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "dashboard-traffic");
        }

        static CallLoop start(KafkaProducer<String, byte[]> producer, Pipeline pipeline) {
            CallLoop traffic = new CallLoop(producer, pipeline);
            traffic.thread.start();
            return traffic;
        }

        int sent() {
            return sent.get();
        }

        @Override
        public void close() {
            stop = true;
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
