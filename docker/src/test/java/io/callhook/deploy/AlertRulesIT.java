package io.callhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.demo.Traffic;
import io.callhook.deploy.Endpoints.Kind;
import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.model.Subscription;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert rules ({@code docker/prometheus/alerts.yml}) evaluated by a real Prometheus scraping
 * the real services (in this JVM, on the real broker and registry, as in
 * {@link DashboardQueriesIT}): under healthy traffic none fires; then each fires under the
 * condition it names, and none fires before its own condition has come:
 * <ol>
 *   <li>healthy calls of both products to endpoints answering 200: nothing fires;</li>
 *   <li>call events that fail the checks: {@code CallhookInputDeadLettered};</li>
 *   <li>a backlog of 30,000 call events on one partition: {@code CallhookConsumerLag};</li>
 *   <li>three subscriptions of endpoints answering 503: {@code CallhookWebhooksDeadLettered},
 *       {@code CallhookCircuitBreakersOpen};</li>
 *   <li>the dispatcher stopped while calls go on: {@code CallhookServiceDown},
 *       {@code CallhookNoDeliveries}.</li>
 * </ol>
 * Time is compressed, and only time: the test runs a copy of the rules with every range and
 * offset divided by {@value #COMPRESSION} (15 min become 15 s) and every {@code for:} set to
 * 5 s, scraped and evaluated every second. Expressions, labels and thresholds are the shipped
 * ones. The production durations themselves are checked by promtool's unit tests
 * ({@code alerts.test.yml}, in {@link DeploymentFilesTest}).
 */
@RealInfra
class AlertRulesIT {

    private static final Logger LOG = LoggerFactory.getLogger(AlertRulesIT.class);
    private static final Path LOGS = Path.of("target", "it-logs");
    private static final int COMPRESSION = 60;
    private static final Duration FOR = Duration.ofSeconds(5);
    /** Longer than the longest compressed window (15 s) plus {@link #FOR} and a few evaluations. */
    private static final Duration HEALTHY = Duration.ofSeconds(30);
    private static final Duration FIRE_LIMIT = Duration.ofSeconds(90);

    @Test
    void eachAlertFiresUnderItsConditionAndNoneUnderHealthyTraffic(Infra infra, @TempDir Path temp) throws Exception {
        AlertRules rules = AlertRules.read(DeployFiles.alertRules());
        Path compressed = rules.writeCompressed(temp.resolve("alerts.yml"), COMPRESSION, FOR);
        EngineConfig engine = new EngineConfig(16, 10_000, Duration.ofSeconds(10), 50, 4, 2, Duration.ofSeconds(5));
        RetrySchedule schedule = RetrySchedule.of(List.of(Duration.ZERO, Duration.ofMillis(500)));
        try (Endpoints endpoints = Endpoints.start();
             Pipeline pipeline = Pipeline.start(infra, "alerts.", schedule, engine);
             PipelineInput input = new PipelineInput(infra, pipeline)) {
            List<Subscription> healthy = List.of(
                    Traffic.subscription("sub_alerts_ok_41", 41, endpoints.url(Kind.OK, "crm"), Instant.now()),
                    Traffic.subscription("sub_alerts_ok_42", 42, endpoints.url(Kind.OK, "analytics"), Instant.now()));
            for (Subscription subscription : healthy) {
                input.subscribe(subscription);
            }
            awaitKnown(pipeline, healthy);

            int prometheusPort = PrometheusServer.freePort();
            Path config = TestPrometheusConfig.write(pipeline.opsPorts, prometheusPort, List.of(compressed), temp);
            try (PrometheusServer prometheus = PrometheusServer.start(config, prometheusPort, temp.resolve("tsdb"),
                    LOGS.resolve("prometheus-alerts.log"));
                 CallLoop calls = input.startCalls(List.of(42L, 41L), Duration.ofMillis(100), 1_000)) {
                Phases phases = new Phases(prometheus, rules.names());
                long started = System.nanoTime();

                Awaitility.await("healthy webhooks delivered").atMost(Duration.ofSeconds(60))
                        .until(() -> endpoints.received(Kind.OK) >= 20);
                Thread.sleep(Math.max(0, HEALTHY.toMillis() - (System.nanoTime() - started) / 1_000_000));
                assertThat(prometheus.ruleHealth()).as("every rule evaluated without error").allSatisfy(
                        (rule, health) -> assertThat(health).as(rule).isEqualTo("ok"));
                assertThat(prometheus.alertsFiredWithin(Duration.ofNanos(System.nanoTime() - started)))
                        .as("alerts fired under healthy traffic (%d calls, %d webhooks delivered)", calls.sent(),
                                endpoints.received(Kind.OK))
                        .isEmpty();

                phases.expect("call events that fail the checks", Set.of("CallhookInputDeadLettered"),
                        () -> input.invalidCallEvents(3));
                phases.expect("a backlog of call events", Set.of("CallhookConsumerLag"),
                        () -> input.callBacklog(99, 30_000));
                phases.expect("three subscriptions of endpoints answering 503",
                        Set.of("CallhookWebhooksDeadLettered", "CallhookCircuitBreakersOpen"), () -> {
                            for (String name : List.of("a", "b", "c")) {
                                input.subscribe(Traffic.subscription("sub_alerts_down_" + name, 41,
                                        endpoints.url(Kind.DOWN, name), Instant.now()));
                            }
                        });
                phases.expect("the dispatcher stopped while calls go on", Set.of("CallhookServiceDown", "CallhookNoDeliveries"),
                        pipeline::stopDispatcher);

                assertThat(phases.fired).as("alerts the test made fire").containsExactlyInAnyOrderElementsOf(rules.names());
                assertThat(prometheus.ruleHealth()).as("every rule evaluated without error").allSatisfy(
                        (rule, health) -> assertThat(health).as(rule).isEqualTo("ok"));
                LOG.info("Every alert fired under its condition ({} calls sent)", calls.sent());
            }
        }
    }

    private static void awaitKnown(Pipeline pipeline, List<Subscription> subscriptions) {
        Awaitility.await("the services ready and knowing the subscriptions").atMost(Duration.ofSeconds(90))
                .until(() -> pipeline.ready() && subscriptions.stream().allMatch(s -> pipeline.dispatcher.knows(s.getId())));
    }

    /** Something a phase does to the pipeline. */
    private interface Action {
        void run() throws Exception;
    }

    /** The phases so far: which alerts their conditions may have made fire. */
    private static final class Phases {

        private final PrometheusServer prometheus;
        private final List<String> all;
        private final Set<String> fired = new LinkedHashSet<>();

        Phases(PrometheusServer prometheus, List<String> all) {
            this.prometheus = prometheus;
            this.all = all;
        }

        /**
         * Brings about a condition and waits until the alerts it names fire, then checks that no
         * alert of a condition still to come has fired meanwhile.
         */
        void expect(String condition, Set<String> alerts, Action action) throws Exception {
            assertThat(all).as("alerts of alerts.yml").containsAll(alerts);
            long started = System.nanoTime();
            action.run();
            LOG.info("Condition: {}; waiting for {}", condition, alerts);
            Awaitility.await(condition + " to fire " + alerts).atMost(FIRE_LIMIT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> prometheus.firingAlerts().containsAll(alerts));
            fired.addAll(alerts);
            Set<String> firedMeanwhile = prometheus.alertsFiredWithin(Duration.ofNanos(System.nanoTime() - started));
            List<String> notYetCaused = new ArrayList<>(all);
            notYetCaused.removeAll(fired);
            Set<String> early = new TreeSet<>(firedMeanwhile);
            early.retainAll(notYetCaused);
            assertThat(early).as("alerts fired under '%s' whose own condition has not come yet", condition).isEmpty();
            LOG.info("{} fired {} s after {}", alerts, (System.nanoTime() - started) / 1_000_000_000, condition);
        }
    }
}
