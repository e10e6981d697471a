package io.callhook.demo;

import static io.callhook.demo.PipelineTestSupport.Sub;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.demo.PipelineServices.Service;
import io.callhook.demo.PipelineTestSupport.Receiver;
import io.callhook.demo.inspector.ReceivedWebhook;
import io.callhook.demo.inspector.WebhookInspector;
import io.callhook.launch.ChildProcess;
import io.callhook.launch.Folders;
import io.callhook.launch.JvmProfile;
import io.callhook.launch.StandaloneKafka;
import io.callhook.model.CallEvent;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.ScratchDirs;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dispatcher stopped (SIGTERM) after its broker died under it, with deliveries in flight: the
 * webhooks leave, but their attempt records can no longer be written, so none of them can
 * finish. It must still stop within the time a process manager gives it (the demo's 15 s before
 * SIGKILL), not after the producer's delivery timeout (2 min) or the consumer's API timeout (1
 * min), and lose nothing: the next dispatcher, once the broker is back, sends again what the
 * stopped one could not finish. Until the stop, the broker's absence must not stall delivery
 * (Kafka's client forgets a cluster it cannot reach, and a send that waited for its metadata
 * would block the engine's event loop) and readiness says why it is down.
 *
 * <p>The broker is a process of its own here (not the test JVM's), so that it can be killed.
 */
@RealInfra
class DispatcherStopWithoutBrokerIT {

    private static final Logger LOG = LoggerFactory.getLogger(DispatcherStopWithoutBrokerIT.class);
    /** When the demo (and {@link ChildProcess}) gives up on a stop and sends SIGKILL. */
    private static final Duration STOP_LIMIT = Duration.ofSeconds(15);
    private static final Duration RECEIVER_DELAY = Duration.ofSeconds(2);
    private static final int CALLS = 100;
    private static final String PREFIX = "nobroker-";
    private static final String PATH = "/hooks/slow";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aDispatcherWhoseBrokerDiedStopsInTimeAndTheNextSendsWhatItCouldNotFinish(Infra infra) throws Exception {
        Path root = PipelineTestSupport.projectRoot();
        Path work = ScratchDirs.create("dispatcher-stop-without-broker");
        Path kafkaDir = work.resolve("kafka");
        Path lib = DemoMain.brokerJars(root);
        int port = ChildProcess.freePort();
        int controllerPort = ChildProcess.freePort();
        int storePort = ChildProcess.freePort();
        TopicNames names = TopicNames.DEFAULTS.withPrefix("nobroker.");
        Path logs = root.resolve("demo/target/it-logs/dispatcher-stop-without-broker");
        // Its logs are read below: none of an earlier run's.
        Folders.deleteTree(logs);
        StandaloneKafka kafka = StandaloneKafka.start(kafkaDir, port, controllerPort, lib, JvmProfile.QUICK_START);
        Infra ours = new Infra(kafka.bootstrapServers(), infra.registryBaseUrl());
        try (Receiver rx = Receiver.start(100_000);
             PipelineServices services = new PipelineServices(root, logs,
                     PipelineTestSupport.commonEnv(ours, names), PipelineTestSupport.serviceEnv(work, storePort, PREFIX),
                     PipelineTestSupport.freeOpsPorts())) {
            WebhookInspector receiver = rx.inspector();
            services.startAll();
            DemoStoreClient store = new DemoStoreClient("http://127.0.0.1:" + storePort, PipelineTestSupport.ADMIN);
            Sub sub = PipelineTestSupport.subscribe(store, receiver, 1001, PATH,
                    "{\"accountId\":1001,\"product\":\"CALLKEEPER\",\"url\":\"%s\"}");
            PipelineTestSupport.testWebhook(storePort, sub.id());
            Awaitility.await().atMost(Duration.ofSeconds(90))
                    .until(() -> receiver.webhooks(10, PATH).size() >= PipelineTestSupport.testWebhooksOf(sub));
            receiver.clear();

            // 16 requests at a time to the endpoint, each answered after 2 s: about 8 webhooks a
            // second, so most of the 200 are still to come, or on their way, when the broker dies.
            receiver.respondAfter(PATH, RECEIVER_DELAY);
            Topics topics = new Topics(names, new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true)));
            List<CallEvent> published = PipelineTestSupport.calls(new Traffic(11, Instant.now()), 3_000_000, CALLS, List.of(1001L));
            try (KafkaProducer<String, byte[]> producer = PipelineTestSupport.producer(ours)) {
                for (CallEvent event : published) {
                    PipelineTestSupport.publish(producer, topics, null, event);
                }
                producer.flush();
            }
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> receiver.received() >= 20);

            ProcessHandle broker = kafka.handle();
            broker.destroyForcibly();
            broker.onExit().get(30, TimeUnit.SECONDS);
            long brokerDied = System.nanoTime();
            // The requests on their way are answered; their attempt records cannot be written.
            Thread.sleep(RECEIVER_DELAY.plusSeconds(1).toMillis());
            long receivedBeforeStop = receiver.received();
            HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(services.readyUrl(Service.DISPATCHER)))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            LOG.info("The dispatcher's readiness with its broker gone: {} {}", ready.statusCode(), ready.body());
            assertThat(ready.statusCode()).as("readiness, the broker gone: %s", ready.body()).isEqualTo(503);
            assertThat(ready.body()).as("readiness, the broker gone").contains("outcome writes waiting");
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> receiver.received() > receivedBeforeStop);

            ProcessHandle dispatcher = services.handle(Service.DISPATCHER);
            long stopping = System.nanoTime();
            dispatcher.destroy();
            Duration stop;
            try {
                dispatcher.onExit().get(STOP_LIMIT.toSeconds() * 4, TimeUnit.SECONDS);
                stop = Duration.ofNanos(System.nanoTime() - stopping);
            } catch (TimeoutException e) {
                stop = Duration.ofNanos(System.nanoTime() - stopping);
            }
            services.stop(Service.DISPATCHER);
            String log = Files.readString(services.logOf(Service.DISPATCHER));
            LOG.info("Broker killed {} ms before the dispatcher's SIGTERM; the dispatcher stopped in {} ms; {} webhooks "
                    + "received by then", (stopping - brokerDied) / 1_000_000, stop.toMillis(), receivedBeforeStop);
            assertThat(stop).as("the dispatcher's stop after SIGTERM, its broker gone").isLessThan(STOP_LIMIT);
            assertThat(log).as("the dispatcher's log").contains("deliveries still unfinished at stop")
                    .doesNotContain("has been blocked for");

            kafka = StandaloneKafka.start(kafkaDir, port, controllerPort, lib, JvmProfile.QUICK_START);
            receiver.respondNormally(PATH);
            services.start(Service.DISPATCHER);
            Map<String, String> expected = PipelineTestSupport.expected(published, List.of(sub));
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> PipelineTestSupport.received(receiver).keySet().containsAll(expected.keySet()));
            Map<String, List<ReceivedWebhook>> byId = PipelineTestSupport.received(receiver);
            int requests = byId.values().stream().mapToInt(List::size).sum();
            LOG.info("{} webhooks expected, all received after the broker's restart: {} requests ({} sent again)",
                    expected.size(), requests, requests - byId.size());
            assertThat(byId.keySet()).as("nothing but the expected webhooks").isEqualTo(expected.keySet());
        } finally {
            kafka.close();
        }
    }
}
