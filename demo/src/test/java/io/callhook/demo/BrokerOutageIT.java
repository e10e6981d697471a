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
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker outage under the running services, twice, while calls come and the dispatcher has
 * deliveries in flight (its receiver answers slowly). Throughout, the broker's absence must not
 * stall delivery (Kafka's client forgets a cluster it cannot reach, and a send that waited for its
 * metadata would block the dispatcher's event loop), each service's readiness says no broker
 * answers (the dispatcher's also that its outcome writes wait), and the store's API refuses a
 * write within seconds.
 *
 * <p>The first outage is waited out: the broker comes back, and the same processes are ready again
 * and deliver everything. In the second the services are stopped (SIGTERM, all three at once, as
 * the demo stops them) with the broker still gone: webhooks leave, but their attempt records
 * cannot be written, so none of them can finish, and the enricher's transaction cannot be
 * committed. Each must still stop within the time a process manager gives it (the demo's 15 s
 * before SIGKILL), not after a client's timeout (a producer's delivery timeout is 2 min, a
 * consumer's API timeout 1 min), and nothing may be lost: once the broker is back, the next
 * instances send again what the stopped ones could not finish.
 *
 * <p>The broker is a process of its own here (not the test JVM's), so that it can be killed.
 */
@RealInfra
class BrokerOutageIT {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerOutageIT.class);
    /** When the demo (and {@link ChildProcess}) gives up on a stop and sends SIGKILL. */
    private static final Duration STOP_LIMIT = Duration.ofSeconds(15);
    /**
     * 16 requests at a time to the endpoint, each answered after 2 s: about 8 webhooks a second,
     * while calls make 20 a second, so most are still to come, or on their way, when the broker dies.
     */
    private static final Duration RECEIVER_DELAY = Duration.ofSeconds(2);
    private static final Duration CALL_EVERY = Duration.ofMillis(100);
    /** How long calls come before the broker dies. */
    private static final Duration CALLING = Duration.ofSeconds(6);
    private static final String PREFIX = "nobroker-";
    private static final String PATH = "/hooks/slow";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void anOutageIsWaitedOutAndAStopDuringOneLosesNothing(Infra infra) throws Exception {
        Path root = PipelineTestSupport.projectRoot();
        Path work = ScratchDirs.create("broker-outage");
        Path kafkaDir = work.resolve("kafka");
        Path lib = DemoMain.brokerJars(root);
        int port = ChildProcess.freePort();
        int controllerPort = ChildProcess.freePort();
        int storePort = ChildProcess.freePort();
        TopicNames names = TopicNames.DEFAULTS.withPrefix("nobroker.");
        Path logs = root.resolve("demo/target/it-logs/broker-outage");
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

            receiver.respondAfter(PATH, RECEIVER_DELAY);
            List<CallEvent> published = new ArrayList<>();

            // 1. An outage waited out: the broker comes back under the running services.
            published.addAll(killBrokerWhileCalling(kafka, ours, names, 3_000_000));
            outageShown(services, receiver, storePort);
            kafka = StandaloneKafka.start(kafkaDir, port, controllerPort, lib, JvmProfile.QUICK_START);
            long back = System.nanoTime();
            services.awaitReady(Service.DISPATCHER);
            Duration dispatcherBack = Duration.ofNanos(System.nanoTime() - back);
            for (Service service : Service.values()) {
                services.awaitReady(service);
            }
            LOG.info("All three ready again {} ms after the broker's restart (the dispatcher after {} ms)",
                    (System.nanoTime() - back) / 1_000_000, dispatcherBack.toMillis());
            // Its outcome writes waited out growing pauses, up to 10 s, even with the broker back
            // (ready again after 8.6-9.8 s); now the first write that lands sends the others.
            assertThat(dispatcherBack).as("the dispatcher ready again after the broker's restart").isLessThan(Duration.ofSeconds(6));
            int sentAgain = awaitEveryWebhook(receiver, published, sub);
            // The group gives the dispatcher its partitions back at their last commit, from before
            // the outage; what it began since is not sent again (it was, before: 70 of 114).
            assertThat(sentAgain).as("webhooks sent again after an outage the dispatcher waited out")
                    .isLessThanOrEqualTo(published.size() / 20);
            assertThat(Files.readString(services.logOf(Service.DISPATCHER))).as("the dispatcher's log")
                    .contains("Outcome writes land again").doesNotContain("has been blocked for");

            // 2. A stop during an outage.
            published.addAll(killBrokerWhileCalling(kafka, ours, names, 4_000_000));
            // The requests on their way are answered; their attempt records cannot be written.
            Thread.sleep(RECEIVER_DELAY.plusSeconds(1).toMillis());
            Map<Service, Duration> stops = sigtermAll(services);
            LOG.info("SIGTERM to the services {} ms after the broker's death; they stopped in {}",
                    RECEIVER_DELAY.plusSeconds(1).toMillis(), stops);
            stops.forEach((service, took) -> assertThat(took).as("%s's stop after SIGTERM, its broker gone", service)
                    .isLessThan(STOP_LIMIT));
            assertThat(Files.readString(services.logOf(Service.DISPATCHER))).as("the dispatcher's log")
                    .contains("deliveries still unfinished at stop");

            kafka = StandaloneKafka.start(kafkaDir, port, controllerPort, lib, JvmProfile.QUICK_START);
            receiver.respondNormally(PATH);
            services.startAll();
            awaitEveryWebhook(receiver, published, sub);
        } finally {
            kafka.close();
        }
    }

    /**
     * Kills the broker (SIGKILL) after {@link #CALLING} of calls, while they still come: the
     * enricher is busy with them, in the middle of a transaction. Returns the calls' events the
     * broker acknowledged.
     */
    private static List<CallEvent> killBrokerWhileCalling(StandaloneKafka kafka, Infra infra, TopicNames names, long firstCall)
            throws Exception {
        try (Telephony telephony = new Telephony(infra, names, firstCall)) {
            Thread.sleep(CALLING.toMillis());
            ProcessHandle broker = kafka.handle();
            broker.destroyForcibly();
            broker.onExit().get(30, TimeUnit.SECONDS);
            return telephony.stop();
        }
    }

    /**
     * While the broker is gone: delivery goes on, each service's readiness says no broker
     * answers (the dispatcher's also that outcome writes wait), and the store refuses a write
     * within seconds.
     */
    private static void outageShown(PipelineServices services, WebhookInspector receiver, int storePort) throws Exception {
        long received = receiver.received();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> receiver.received() > received);
        // Kafka's clients wait an outage out without a word: each service's check of its own.
        for (Service service : Service.values()) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                HttpResponse<String> answer = ready(services, service);
                assertThat(answer.statusCode()).as("%s's readiness, the broker gone: %s", service, answer.body()).isEqualTo(503);
                assertThat(answer.body()).as("%s's readiness, the broker gone", service).contains("no broker answers since");
            });
            LOG.info("{}'s readiness with the broker gone: {}", service, ready(services, service).body());
        }
        assertThat(ready(services, Service.DISPATCHER).body()).as("the dispatcher's readiness, the broker gone")
                .contains("outcome writes waiting");
        // A subscription cannot be written now: said soon, not after the client's minute.
        long asking = System.nanoTime();
        HttpResponse<String> create = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + storePort
                + "/api/v1/subscriptions")).header("Authorization", "Bearer " + PipelineTestSupport.ADMIN)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(90))
                .POST(HttpRequest.BodyPublishers.ofString("{\"accountId\":1002,\"product\":\"CALLKEEPER\",\"url\":\""
                        + receiver.url("/hooks/later") + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        Duration answered = Duration.ofNanos(System.nanoTime() - asking);
        LOG.info("A subscription made with the broker gone: {} after {} ms: {}", create.statusCode(), answered.toMillis(),
                create.body());
        assertThat(create.statusCode()).as("creating a subscription, the broker gone: %s", create.body()).isEqualTo(503);
        assertThat(answered).as("the store's answer, the broker gone").isLessThan(Duration.ofSeconds(10));
        assertThat(create.body()).as("the store's answer, the broker gone")
                .contains("Kafka does not answer, so the change was not saved; try again shortly");
        assertThat(create.headers().firstValue("Retry-After")).as("the store's answer, the broker gone").contains("5");
    }

    /** Waits until every (call event, subscription) webhook has arrived, and nothing else; how many came more than once. */
    private static int awaitEveryWebhook(WebhookInspector receiver, List<CallEvent> published, Sub sub) {
        Map<String, String> expected = PipelineTestSupport.expected(published, List.of(sub));
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> PipelineTestSupport.received(receiver).keySet().containsAll(expected.keySet()));
        Map<String, List<ReceivedWebhook>> byId = PipelineTestSupport.received(receiver);
        int requests = byId.values().stream().mapToInt(List::size).sum();
        LOG.info("{} webhooks expected, all received: {} requests ({} sent again)", expected.size(), requests,
                requests - byId.size());
        assertThat(byId.keySet()).as("nothing but the expected webhooks").isEqualTo(expected.keySet());
        return requests - byId.size();
    }

    /**
     * Calls of account 1001, each a start and an end, one every 100 ms until told to stop; what
     * the broker acknowledged (the producer gives up on the rest within seconds of its death).
     */
    private static final class Telephony implements AutoCloseable {

        private final List<CallEvent> published = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean calling = new AtomicBoolean(true);
        private final KafkaProducer<String, byte[]> producer;
        private final Topics topics;
        private final Thread thread;
        private final long firstCall;

        /** @param firstCall the first call's id, the next ones counting up: each outage's calls their own */
        Telephony(Infra infra, TopicNames names, long firstCall) {
            this.firstCall = firstCall;
            topics = new Topics(names, new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true)));
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                    ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2_000),
                    new StringSerializer(), new ByteArraySerializer());
            thread = new Thread(this::call, "telephony");
            thread.start();
        }

        private void call() {
            Traffic traffic = new Traffic(11, Instant.now());
            for (long call = firstCall; calling.get(); call++) {
                for (CallEvent event : PipelineTestSupport.calls(traffic, call, 1, List.of(1001L))) {
                    String topic = topics.callEvents().name();
                    producer.send(new ProducerRecord<>(topic, Long.toString(event.getCallId()),
                            topics.callEvents().valueSerde().serializer().serialize(topic, event)), (metadata, error) -> {
                                if (error == null) {
                                    published.add(event);
                                }
                            });
                }
                try {
                    Thread.sleep(CALL_EVERY.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Stops calling; the events the broker has. */
        List<CallEvent> stop() throws InterruptedException {
            calling.set(false);
            thread.join();
            producer.close(Duration.ofSeconds(5));
            return List.copyOf(published);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    private static HttpResponse<String> ready(PipelineServices services, Service service) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(services.readyUrl(service))).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sends each service SIGTERM at once and waits for each to exit by itself (up to four times the limit); how long each took. */
    private static Map<Service, Duration> sigtermAll(PipelineServices services) throws Exception {
        long stopping = System.nanoTime();
        Map<Service, CompletableFuture<Long>> exits = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ProcessHandle process = services.handle(service);
            exits.put(service, process.onExit().thenApply(exited -> System.nanoTime()));
            process.destroy();
        }
        Map<Service, Duration> took = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            long exited;
            try {
                exited = exits.get(service).get(STOP_LIMIT.toSeconds() * 4, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                LOG.warn("{} still running {} s after SIGTERM", service, STOP_LIMIT.toSeconds() * 4);
                exited = System.nanoTime();
            }
            took.put(service, Duration.ofNanos(exited - stopping));
            services.stop(service);
        }
        return took;
    }
}
