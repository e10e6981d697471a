package io.callhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.demo.Traffic;
import io.callhook.deploy.Endpoints.Kind;
import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.model.Subscription;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
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
 * {@code prometheus.yml} and alert rules, targets moved to those ports. Traffic (the demo's
 * generator): calls of both products to subscriptions of loopback endpoints, so that every
 * outcome happens: delivered, retried and dead-lettered (an endpoint answering 503, whose
 * breaker opens), disabled (one answering 410 Gone), dropped (a subscription deleted while its
 * retries wait), test webhooks (the store's "send test webhook"), and the enricher's dead
 * letters (call events that fail the checks).
 */
@RealInfra
class DashboardQueriesIT {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardQueriesIT.class);
    private static final Path LOGS = Path.of("target", "it-logs");
    /** Long enough for rate() over $__rate_interval (30 s) to have samples of every series. */
    private static final Duration QUERIES_DEADLINE = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyPanelQueryReturnsData(Infra infra, @TempDir Path temp) throws Exception {
        Dashboard dashboard = Dashboard.read(DeployFiles.dashboard());
        // A breaker that opens after 2 failures of 4 calls, so the "breakers open" panel has something to show.
        EngineConfig engine = new EngineConfig(16, 10_000, Duration.ofSeconds(10), 50, 4, 2, Duration.ofSeconds(5));
        RetrySchedule schedule = RetrySchedule.of(List.of(Duration.ZERO, Duration.ofMillis(500)));
        try (Endpoints endpoints = Endpoints.start();
             Pipeline pipeline = Pipeline.start(infra, "dash.", schedule, engine);
             PipelineInput input = new PipelineInput(infra, pipeline)) {
            Subscription deletedLater = Traffic.subscription("sub_dash_deleted_41", 41, endpoints.url(Kind.DOWN, "deleted"), Instant.now());
            List<Subscription> subscriptions = List.of(
                    Traffic.subscription("sub_dash_ok_41", 41, endpoints.url(Kind.OK, "crm"), Instant.now()),
                    Traffic.subscription("sub_dash_down_41", 41, endpoints.url(Kind.DOWN, "crm"), Instant.now()),
                    Traffic.subscription("sub_dash_ok_42", 42, endpoints.url(Kind.OK, "analytics"), Instant.now()),
                    Traffic.subscription("sub_dash_gone_42", 42, endpoints.url(Kind.GONE, "old-crm"), Instant.now()),
                    deletedLater);
            for (Subscription subscription : subscriptions) {
                input.subscribe(subscription);
            }
            Awaitility.await("the services ready and knowing the subscriptions").atMost(Duration.ofSeconds(90))
                    .until(() -> pipeline.ready() && subscriptions.stream().allMatch(s -> pipeline.dispatcher.knows(s.getId())));

            int prometheusPort = PrometheusServer.freePort();
            Path config = TestPrometheusConfig.write(pipeline.opsPorts, prometheusPort, List.of(DeployFiles.alertRules()), temp);
            try (PrometheusServer prometheus = PrometheusServer.start(config, prometheusPort, temp.resolve("tsdb"),
                    LOGS.resolve("prometheus.log"));
                 CallLoop traffic = input.startCalls(List.of(42L, 41L), Duration.ofMillis(100), 1_000)) {
                input.invalidCallEvents(3);
                Awaitility.await("the store to take a test webhook").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .untilAsserted(() -> input.testWebhook("sub_dash_ok_42"));
                Awaitility.await("webhooks delivered, refused and gone").atMost(Duration.ofSeconds(60))
                        .until(() -> endpoints.received(Kind.OK) >= 10 && endpoints.received(Kind.DOWN) >= 6
                                && endpoints.received(Kind.GONE) >= 1);
                // Its breaker is open by now, so its retries wait: deleting it drops them.
                input.delete(deletedLater.getId());
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
                LOG.info("All {} queries of {} panels returned data ({} calls sent; received: ok {}, down {}, gone {})",
                        dashboard.panels().stream().mapToInt(p -> p.queries().size()).sum(), dashboard.panels().size(),
                        traffic.sent(), endpoints.received(Kind.OK), endpoints.received(Kind.DOWN), endpoints.received(Kind.GONE));
            }
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

    /** Each service's /metrics as Prometheus scraped it, for whoever edits the dashboard next. */
    private void dumpScrapes(Map<String, Integer> opsPorts) throws Exception {
        Files.createDirectories(LOGS);
        for (Map.Entry<String, Integer> service : opsPorts.entrySet()) {
            HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.getValue() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            Files.writeString(LOGS.resolve(service.getKey() + "-metrics.txt"), scrape.body());
        }
    }
}
