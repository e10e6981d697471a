package io.callhook.demo;

import static io.callhook.demo.PipelineTestSupport.Sub;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.demo.PipelineServices.Service;
import io.callhook.demo.PipelineTestSupport.Receiver;
import io.callhook.demo.inspector.ReceivedWebhook;
import io.callhook.demo.inspector.WebhookInspector;
import io.callhook.launch.ChildProcess;
import io.callhook.model.CallEvent;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.ScratchDirs;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production case of a restart: the broker stays up, calls keep coming, and one service at
 * a time is stopped, by SIGTERM and then by SIGKILL, and started again. Kafka's own session
 * timeout (45 s) is kept, so a restart that had to wait for its old member's session would
 * show. A service restarted after SIGTERM must be ready within 15 s of its start command (on
 * a machine so loaded that its first start took longer, within 1.25 times that); in the end
 * every (call event, subscription) webhook has arrived and the Sent counters count each once.
 */
@RealInfra
class ServiceRestartIT {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRestartIT.class);
    private static final Duration READY_LIMIT = Duration.ofSeconds(15);
    private static final double SLOW_MACHINE_FACTOR = 1.25;
    private static final Duration CALL_EVERY = Duration.ofMillis(200);
    private static final Duration BETWEEN_RESTARTS = Duration.ofSeconds(3);

    private static final String PREFIX = "restart-";
    /** Each service's consumer group: its application id or group id, as set by {@code serviceEnv}. */
    private static final Map<Service, List<String>> GROUPS = Map.of(
            Service.ENRICHER, List.of(PREFIX + "enricher", PREFIX + "enricher-tables"),
            Service.DISPATCHER, List.of(PREFIX + "dispatcher"), Service.STORE, List.of(PREFIX + "store"));

    private enum How { SIGTERM, SIGKILL }

    private record Restart(Service service, How how, Duration stop, Duration ready) {
    }

    @Test
    void eachServiceRestartedAloneUnderTrafficIsSoonReadyAndLosesNothing(Infra infra) throws Exception {
        Path root = PipelineTestSupport.projectRoot();
        Path work = ScratchDirs.create("service-restart-it");
        TopicNames names = TopicNames.DEFAULTS.withPrefix("restart.");
        int storePort = ChildProcess.freePort();
        Map<Service, Integer> opsPorts = PipelineTestSupport.freeOpsPorts();
        List<Restart> restarts = new ArrayList<>();
        Map<Service, Duration> firstStart = new EnumMap<>(Service.class);
        try (Receiver rx = Receiver.start(100_000);
             PipelineServices services = new PipelineServices(root, root.resolve("demo/target/it-logs/service-restart"),
                PipelineTestSupport.commonEnv(infra, names), PipelineTestSupport.serviceEnv(work, storePort, PREFIX), opsPorts);
             KafkaProducer<String, byte[]> producer = PipelineTestSupport.producer(infra)) {
            WebhookInspector receiver = rx.inspector();
            firstStart.putAll(startAll(services));
            DemoStoreClient store = new DemoStoreClient("http://127.0.0.1:" + storePort, PipelineTestSupport.ADMIN);
            List<Sub> subs = PipelineTestSupport.twoSubscriptionsTested(store, receiver, storePort);

            Topics topics = new Topics(names, new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true)));
            List<CallEvent> published = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean calling = new AtomicBoolean(true);
            Thread telephony = new Thread(() -> PipelineTestSupport.callUntilStopped(producer, topics, published, calling,
                    2_000_000, CALL_EVERY), "telephony");
            telephony.start();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
                for (Service service : Service.values()) {
                    for (How how : How.values()) {
                        Thread.sleep(BETWEEN_RESTARTS.toMillis());
                        restarts.add(restart(services, service, how, admin));
                    }
                }
            }
            Thread.sleep(BETWEEN_RESTARTS.toMillis());
            calling.set(false);
            telephony.join();

            Map<String, String> expected = PipelineTestSupport.expected(published, subs);
            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> PipelineTestSupport.received(receiver).keySet().containsAll(expected.keySet()));
            Map<String, List<ReceivedWebhook>> byId = PipelineTestSupport.received(receiver);
            int requests = byId.values().stream().mapToInt(List::size).sum();
            LOG.info("{} call events, {} webhooks expected, all received, {} requests ({} duplicates)\n{}", published.size(),
                    expected.size(), requests, requests - byId.size(), table(restarts, firstStart));
            assertThat(byId.keySet()).as("nothing but the expected webhooks").isEqualTo(expected.keySet());
            for (Sub sub : subs) {
                long delivered = expected.values().stream().filter(sub.path()::equals).count();
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> store.get(sub.id()).path("counters").path("sent").asLong(),
                        sent -> sent == delivered + PipelineTestSupport.testWebhooksOf(sub));
            }
        }
        for (Restart restart : restarts) {
            if (restart.how() == How.SIGTERM) {
                assertThat(restart.ready()).as("%s ready after SIGTERM and start\n%s", restart.service(), table(restarts, firstStart))
                        .isLessThanOrEqualTo(limit(firstStart.get(restart.service())));
            }
        }
    }

    /** Starts the three side by side and notes how long each took to be ready (the same-run baseline). */
    private static Map<Service, Duration> startAll(PipelineServices services) throws Exception {
        Map<Service, Duration> times = new EnumMap<>(Service.class);
        long started = System.nanoTime();
        for (Service service : Service.values()) {
            services.launch(service);
        }
        for (Service service : Service.values()) {
            services.awaitReady(service);
            times.put(service, Duration.ofNanos(System.nanoTime() - started));
        }
        return times;
    }

    private static Duration limit(Duration baseline) {
        return baseline.compareTo(READY_LIMIT) > 0 ? Duration.ofMillis((long) (baseline.toMillis() * SLOW_MACHINE_FACTOR)) : READY_LIMIT;
    }

    private static Restart restart(PipelineServices services, Service service, How how, Admin admin) throws Exception {
        LOG.info("Restarting {} after {}", service, how);
        long stopping = System.nanoTime();
        if (how == How.SIGTERM) {
            services.stop(service);
        } else {
            services.kill(service);
        }
        long starting = System.nanoTime();
        if (how == How.SIGTERM) {
            assertLeftCleanly(admin, service);
        }
        services.start(service);
        long ready = System.nanoTime();
        Restart restart = new Restart(service, how, Duration.ofNanos(starting - stopping), Duration.ofNanos(ready - starting));
        LOG.info("{} stopped by {} in {} ms, ready {} ms after its start command", service, how, restart.stop().toMillis(),
                restart.ready().toMillis());
        return restart;
    }

    /**
     * A service stopped by SIGTERM has left its consumer groups (it was the only member: none is
     * left waiting for its session to time out) and left no transaction open (Kafka Streams
     * committed or aborted it) that would hold back the next owner of its partitions.
     */
    private static void assertLeftCleanly(Admin admin, Service service) throws Exception {
        List<String> ongoing = admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
                .all().get(10, TimeUnit.SECONDS).stream().map(TransactionListing::transactionalId).toList();
        for (String group : GROUPS.get(service)) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS)
                    .get(group);
            assertThat(description.members()).as("members of %s once %s stopped", group, service).isEmpty();
            List<String> open = ongoing.stream().filter(id -> id.startsWith(group + "-")).toList();
            assertThat(open).as("transactions of %s left open", group).isEmpty();
        }
    }

    private static String table(List<Restart> restarts, Map<Service, Duration> firstStart) {
        StringBuilder text = new StringBuilder(String.format("%-11s %-8s %8s %9s   (first start, all three at once: %s)%n",
                "service", "how", "stop ms", "ready ms", firstStart));
        for (Restart r : restarts) {
            text.append(String.format("%-11s %-8s %8d %9d%n", r.service(), r.how(), r.stop().toMillis(), r.ready().toMillis()));
        }
        return text.toString();
    }
}
