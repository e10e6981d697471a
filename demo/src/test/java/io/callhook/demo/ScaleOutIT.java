package io.callhook.demo;

import static io.callhook.demo.PipelineTestSupport.Sub;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.demo.PipelineServices.Service;
import io.callhook.demo.PipelineTestSupport.Receiver;
import io.callhook.demo.inspector.ReceivedWebhook;
import io.callhook.demo.inspector.WebhookInspector;
import io.callhook.launch.ChildProcess;
import io.callhook.model.CallEvent;
import io.callhook.model.WebhookRequest;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.ScratchDirs;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scale-out shown, not assumed: two enrichers and two dispatchers, each a process, in the same
 * consumer groups under traffic. Both instances of each own some partitions; then one of each
 * is killed with SIGKILL mid-way and not restarted. Every (call event, subscription) webhook
 * still arrives; per subscription, the first copies arrive in the order of the subscription's
 * records on the outbound topic (the dispatcher sends one request per endpoint at a time here,
 * so arrival order is sending order); and a rate-limited subscription is held to its limit by
 * whichever single instance owns its partition, never to twice the limit. The duplicates (same
 * webhook id twice, from the killed dispatcher's unfinished work) are counted and logged.
 */
@RealInfra
class ScaleOutIT {

    private static final Logger LOG = LoggerFactory.getLogger(ScaleOutIT.class);
    private static final int PARTITIONS = 6;
    private static final int CALLS = 200;
    private static final Duration CALL_EVERY = Duration.ofMillis(125);
    private static final int KILL_AFTER_CALLS = 80;
    private static final int RATE_LIMIT = 5;
    private static final String PREFIX = "scale-";

    @Test
    void twoOfEachShareThePartitionsAndLoseNothingWhenOneOfEachIsKilled(Infra infra) throws Exception {
        Path root = PipelineTestSupport.projectRoot();
        Path work = ScratchDirs.create("scale-out-it");
        TopicNames names = TopicNames.DEFAULTS.withPrefix("scale.");
        Map<String, String> env = PipelineTestSupport.commonEnvWithShortSessions(infra, names);
        env.put("CALLHOOK_TOPICS_PARTITIONS", Integer.toString(PARTITIONS));
        env.put("CALLHOOK_DISPATCHER_IN_FLIGHT_PER_ENDPOINT", "1");
        int storePort = ChildProcess.freePort();
        Map<Service, Integer> portsA = PipelineTestSupport.freeOpsPorts();
        Map<Service, Integer> portsB = PipelineTestSupport.freeOpsPorts();
        Path logs = root.resolve("demo/target/it-logs/scale-out");
        try (Receiver rx = Receiver.start(100_000);
             PipelineServices a = new PipelineServices(root, logs.resolve("a"), env,
                PipelineTestSupport.serviceEnv(work.resolve("a"), storePort, PREFIX), portsA);
             PipelineServices b = new PipelineServices(root, logs.resolve("b"), env,
                     PipelineTestSupport.serviceEnv(work.resolve("b"), storePort, PREFIX), portsB);
             Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()));
             KafkaProducer<String, byte[]> producer = PipelineTestSupport.producer(infra)) {
            WebhookInspector receiver = rx.inspector();
            a.launch(Service.STORE);
            a.awaitReady(Service.STORE);
            for (PipelineServices instance : List.of(a, b)) {
                instance.launch(Service.ENRICHER);
                instance.launch(Service.DISPATCHER);
            }
            for (PipelineServices instance : List.of(a, b)) {
                instance.awaitReady(Service.ENRICHER);
                instance.awaitReady(Service.DISPATCHER);
            }
            DemoStoreClient store = new DemoStoreClient("http://127.0.0.1:" + storePort, PipelineTestSupport.ADMIN);
            String ck = "{\"accountId\":%d,\"product\":\"CALLKEEPER\",\"url\":\"%%s\"%s}";
            List<Sub> subs = List.of(
                    PipelineTestSupport.subscribe(store, receiver, 1001, "/hooks/ck-a", String.format(ck, 1001, "")),
                    PipelineTestSupport.subscribe(store, receiver, 1001, "/hooks/ck-b", String.format(ck, 1001, "")),
                    PipelineTestSupport.subscribe(store, receiver, 1002, "/hooks/ct", "{\"accountId\":1002,\"product\":\"CALLTRACKING\","
                            + "\"url\":\"%s\",\"events\":[\"ENDED\"]}"),
                    PipelineTestSupport.subscribe(store, receiver, 1003, "/hooks/limited",
                            String.format(ck, 1003, ",\"rateLimit\":" + RATE_LIMIT)),
                    PipelineTestSupport.subscribe(store, receiver, 1005, "/hooks/ck-c", String.format(ck, 1005, "")));
            for (Sub sub : subs) {
                PipelineTestSupport.testWebhook(storePort, sub.id());
            }
            Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> subs.stream().allMatch(
                    sub -> receiver.webhooks(100, sub.path()).size() >= PipelineTestSupport.testWebhooksOf(sub)));
            receiver.clear();

            Map<String, Set<Integer>> enrichers = awaitShared(admin, PREFIX + "enricher", names.callEvents(), portsA, portsB, Service.ENRICHER);
            Map<String, Set<Integer>> dispatchers = awaitShared(admin, PREFIX + "dispatcher", names.outbound(), portsA, portsB,
                    Service.DISPATCHER);
            LOG.info("{} partitions by instance: {}; {} partitions: {}", names.callEvents(), enrichers, names.outbound(), dispatchers);

            Topics topics = new Topics(names, new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true)));
            Traffic traffic = new Traffic(11, Instant.now());
            List<CallEvent> events = PipelineTestSupport.calls(traffic, 3_000_000, CALLS, List.of(1001L, 1003L, 1002L, 1003L, 1005L, 1003L));
            Map<String, String> expected = PipelineTestSupport.expected(events, subs);
            for (int i = 0; i < events.size(); i += 2) {
                PipelineTestSupport.publish(producer, topics, traffic.visit(events.get(i).getVisitorId()), events.get(i));
                PipelineTestSupport.publish(producer, topics, null, events.get(i + 1));
                producer.flush();
                if (i == 2 * KILL_AFTER_CALLS) {
                    LOG.info("Killing enricher A and dispatcher B (SIGKILL) mid-traffic");
                    a.kill(Service.ENRICHER);
                    b.kill(Service.DISPATCHER);
                }
                Thread.sleep(CALL_EVERY.toMillis());
            }

            Awaitility.await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> PipelineTestSupport.received(receiver).keySet().containsAll(expected.keySet()));
            Thread.sleep(2000);
            Map<String, List<ReceivedWebhook>> byId = PipelineTestSupport.received(receiver);
            int requests = byId.values().stream().mapToInt(List::size).sum();
            LOG.info("{} webhooks expected, all received; {} requests, {} duplicates", expected.size(), requests, requests - byId.size());
            assertThat(byId.keySet()).as("nothing but the expected webhooks").isEqualTo(expected.keySet());

            Map<String, List<String>> sent = outboundOrder(infra, topics, expected.keySet());
            for (Sub sub : subs) {
                assertThat(firstArrivals(receiver, sub.path())).as("order of first arrivals at %s", sub.path())
                        .containsExactlyElementsOf(sent.get(sub.id()));
            }
            assertRateLimited(receiver.webhooks(100_000, "/hooks/limited"));
        }
    }


    /**
     * Waits until both instances of a service own partitions of {@code topic} in its group; the
     * instances are told apart by their static member names, which end with their ops ports.
     *
     * @return the partitions of {@code topic} by instance
     */
    private static Map<String, Set<Integer>> awaitShared(Admin admin, String group, String topic, Map<Service, Integer> portsA,
                                                         Map<Service, Integer> portsB, Service service) {
        Map<String, Set<Integer>> byInstance = new HashMap<>();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS)
                    .get(group);
            byInstance.clear();
            for (MemberDescription member : description.members()) {
                String instance = member.groupInstanceId().orElse("");
                String owner = ownedBy(instance, portsA.get(service)) ? "A" : ownedBy(instance, portsB.get(service)) ? "B" : "?";
                member.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(topic))
                        .forEach(tp -> byInstance.computeIfAbsent(owner, k -> new HashSet<>()).add(tp.partition()));
            }
            return byInstance.keySet().equals(Set.of("A", "B"))
                    && byInstance.values().stream().mapToInt(Set::size).sum() == PARTITIONS;
        });
        return byInstance;
    }

    /** Whether a static member's name is that of the instance with this ops port (Kafka Streams adds "-<thread>"). */
    private static boolean ownedBy(String groupInstanceId, int opsPort) {
        return groupInstanceId.endsWith("-" + opsPort) || groupInstanceId.contains("-" + opsPort + "-");
    }

    /** Each subscription's webhook ids in the order the enricher wrote them (committed records only). */
    private static Map<String, List<String>> outboundOrder(Infra infra, Topics topics, Set<String> wanted) {
        Map<String, List<String>> order = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.outbound().name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    WebhookRequest request = topics.outbound().valueSerde().deserializer().deserialize(record.topic(), record.value());
                    if (wanted.contains(request.getWebhookId())) {
                        order.computeIfAbsent(request.getSubscriptionId(), k -> new ArrayList<>()).add(request.getWebhookId());
                    }
                }
            }
        }
        return order;
    }

    /** The webhook ids received at {@code path}, each at its first arrival, in arrival order. */
    private static List<String> firstArrivals(WebhookInspector receiver, String path) {
        Map<String, Long> first = new LinkedHashMap<>();
        receiver.webhooks(100_000, path).stream().sorted(Comparator.comparingLong(ReceivedWebhook::n))
                .forEach(w -> first.putIfAbsent(w.webhookId(), w.n()));
        return new ArrayList<>(first.keySet());
    }

    /**
     * The limit is a token bucket of one second's worth: at most {@code limit × (w + 1)} requests
     * in any {@code w} seconds. Had both dispatchers served the subscription at once, the long
     * windows would see about twice that.
     */
    private static void assertRateLimited(List<ReceivedWebhook> requests) {
        List<Instant> times = requests.stream().map(ReceivedWebhook::receivedAt).sorted().toList();
        assertThat(times.size()).as("requests to the rate-limited subscription").isGreaterThan(4 * RATE_LIMIT);
        for (int window : new int[] {2, 10}) {
            int most = 0;
            for (int i = 0, j = 0; i < times.size(); i++) {
                while (Duration.between(times.get(j), times.get(i)).toMillis() >= window * 1000L) {
                    j++;
                }
                most = Math.max(most, i - j + 1);
            }
            LOG.info("rate-limited subscription: at most {} requests in {} s (limit {}/s)", most, window, RATE_LIMIT);
            // One more second's burst allowed for the instance that took the partition over with a full bucket.
            assertThat(most).as("requests in any %d s", window).isLessThanOrEqualTo(RATE_LIMIT * (window + 2));
        }
        Duration span = Duration.between(times.get(0), times.get(times.size() - 1));
        LOG.info("rate-limited subscription: {} requests over {} ms", times.size(), span.toMillis());
    }
}
