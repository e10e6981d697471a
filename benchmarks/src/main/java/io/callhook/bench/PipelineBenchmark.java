package io.callhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.callhook.demo.DemoMain;
import io.callhook.demo.PipelineServices;
import io.callhook.demo.PipelineServices.Service;
import io.callhook.demo.StandaloneKafka;
import io.callhook.demo.StoreClient;
import io.callhook.demo.Traffic;
import io.callhook.dispatcher.http.PreparedRequest;
import io.callhook.dispatcher.http.SenderConfig;
import io.callhook.dispatcher.http.WebhookSender;
import io.callhook.enricher.fanout.WebhookIds;
import io.callhook.model.CallEvent;
import io.callhook.model.HttpMethod;
import io.callhook.model.VisitSnapshot;
import io.callhook.net.AddressPolicy;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.AvroTrust;
import io.callhook.serde.RegistryConfig;
import io.callhook.testkit.ChildProcess;
import io.callhook.testkit.RegistryProcess;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline under load, as deployed: a standalone broker and the three services, each
 * a process, the registry beside them; accounts with several subscriptions each, all pointing at
 * one fast local receiver. Measures, in one run:
 * <ul>
 *   <li>sustained webhooks/s with calls published as fast as the pipeline takes them;</li>
 *   <li>end-to-end latency (call event published → webhook received) p50/p99 at that full load
 *       and at 20 % of it;</li>
 *   <li>CPU seconds per 1,000 webhooks of the services, and of the broker;</li>
 *   <li>the limit: the same HTTP client posting the same bodies to the same receiver, no Kafka.</li>
 * </ul>
 * Writes bench-results/pipeline.md and bench-results/pipeline.png. Usage: {@code PipelineBenchmark [calls]}.
 */
public final class PipelineBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineBenchmark.class);
    private static final int ACCOUNTS = 20;
    private static final int SUBSCRIPTIONS_PER_ACCOUNT = 3;
    private static final String ADMIN = "bench-admin-token-0123456789abcdef";
    private static final Duration LIGHT_LOAD = Duration.ofSeconds(20);

    private record Published(Map<String, Long> atByWebhookId, int webhooks) {
    }

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        AvroTrust.install();
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 4_000;
        Path root = Path.of(System.getProperty("callhook.root", ".")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("pipeline-bench");
        Map<Service, Integer> opsPorts = new EnumMap<>(Map.of(Service.ENRICHER, ChildProcess.freePort(),
                Service.DISPATCHER, ChildProcess.freePort(), Service.STORE, ChildProcess.freePort()));
        int storePort = ChildProcess.freePort();
        try (StandaloneKafka kafka = StandaloneKafka.start(work.resolve("kafka"), ChildProcess.freePort(), ChildProcess.freePort(),
                     root.resolve("demo/target/lib"));
             RegistryProcess registry = RegistryProcess.start(null, work.resolve("registry.log"));
             LatencyReceiver receiver = new LatencyReceiver();
             PipelineServices services = new PipelineServices(root, work.resolve("logs"),
                     DemoMain.commonEnv(kafka.bootstrapServers(), registry.baseUrl()), serviceEnv(work, storePort), opsPorts);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5,
                     ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                     new StringSerializer(), new ByteArraySerializer())) {
            services.startAll();
            Topics topics = new Topics(TopicNames.DEFAULTS, new AvroSerdes(new RegistryConfig(registry.baseUrl(), true)));
            Map<Long, List<String>> subscriptionsByAccount = subscribe(new StoreClient("http://127.0.0.1:" + storePort, ADMIN), receiver);
            Traffic traffic = new Traffic(3, Instant.now());
            warmUp(producer, topics, traffic, subscriptionsByAccount, receiver);
            // Warm the services' JIT before measuring: a quarter of the load, delivered and discarded.
            receiver.clear();
            Published warm = publish(producer, topics, traffic, subscriptionsByAccount, 5_000_000, calls / 4, 0);
            awaitAll(receiver, warm.webhooks(), Duration.ofMinutes(10));

            // Full load: every call's visit, start and end, as fast as the producer sends them.
            receiver.clear();
            Map<Service, Duration> cpuBefore = cpu(services);
            Duration brokerBefore = kafka.cpu();
            long started = System.nanoTime();
            Published full = publish(producer, topics, traffic, subscriptionsByAccount, 10_000_000, calls, 0);
            awaitAll(receiver, full.webhooks(), Duration.ofMinutes(15));
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuServices = cpu(services).entrySet().stream()
                    .mapToDouble(e -> e.getValue().minus(cpuBefore.get(e.getKey())).toMillis() / 1000.0).sum();
            double cpuBroker = kafka.cpu().minus(brokerBefore).toMillis() / 1000.0;
            double sustained = steadyRate(receiver.arrivals());
            double[] fullLatency = percentiles(full, receiver);
            List<double[]> overTime = overTime(receiver.arrivals(), started);
            LOG.info("Full load: {} webhooks in {} s, {} webhooks/s sustained", full.webhooks(), Math.round(seconds), Math.round(sustained));

            // 20 % load: a steady fifth of the sustained rate, paced.
            receiver.clear();
            double fanOut = (double) full.webhooks() / (2.0 * calls);
            double eventsPerSecond = 0.2 * sustained / fanOut;
            int lightCalls = (int) Math.max(10, eventsPerSecond / 2 * LIGHT_LOAD.toSeconds());
            Published light = publish(producer, topics, traffic, subscriptionsByAccount, 20_000_000, lightCalls, eventsPerSecond);
            awaitAll(receiver, light.webhooks(), Duration.ofMinutes(5));
            double[] lightLatency = percentiles(light, receiver);

            double limit = rawLimit(receiver, subscriptionsByAccount.size() * SUBSCRIPTIONS_PER_ACCOUNT * 16);
            report(root, calls, full.webhooks(), sustained, fullLatency, lightLatency, eventsPerSecond * fanOut, cpuServices,
                    cpuBroker, limit, overTime);
        }
    }

    private static Map<Service, Map<String, String>> serviceEnv(Path work, int storePort) {
        Map<String, String> enricher = new HashMap<>(Map.of("CALLHOOK_ENRICHER_STATE_DIR", work.resolve("enricher").toString()));
        String geo = System.getenv("CALLHOOK_GEOIP_DB");
        if (geo != null && !geo.isBlank()) {
            enricher.put("CALLHOOK_GEOIP_DB", geo);
        }
        return Map.of(Service.ENRICHER, enricher, Service.DISPATCHER, Map.of(), Service.STORE, Map.of(
                "CALLHOOK_STORE_ADMIN_TOKEN", ADMIN, "CALLHOOK_STORE_TOKEN_KEY", "bench-token-key-0123456789abcdef",
                "CALLHOOK_STORE_INTERNAL_TOKEN", "bench-internal-token-0123456789abcdef",
                "CALLHOOK_STORE_HTTP_PORT", Integer.toString(storePort), "CALLHOOK_STORE_STATE_DIR", work.resolve("store").toString()));
    }

    /** Accounts 1..ACCOUNTS, three subscriptions each (Calltracking accounts take both events). */
    private static Map<Long, List<String>> subscribe(StoreClient store, LatencyReceiver receiver) throws Exception {
        Map<Long, List<String>> ids = new HashMap<>();
        for (long account = 1; account <= ACCOUNTS; account++) {
            for (int n = 0; n < SUBSCRIPTIONS_PER_ACCOUNT; n++) {
                String product = Traffic.productOf(account).name();
                JsonNode created = store.create("{\"accountId\":" + account + ",\"product\":\"" + product + "\",\"url\":\""
                        + receiver.url("/hooks/" + account + "/" + n) + "\"}");
                ids.computeIfAbsent(account, a -> new ArrayList<>()).add(created.get("id").asText());
            }
        }
        return ids;
    }

    /** One call per account, waited for: then every subscription has reached the enricher's table. */
    private static void warmUp(KafkaProducer<String, byte[]> producer, Topics topics, Traffic traffic,
                               Map<Long, List<String>> subscriptions, LatencyReceiver receiver) throws Exception {
        for (int round = 0; round < 30; round++) {
            receiver.clear();
            Published probe = publish(producer, topics, traffic, subscriptions, 1_000 + round * ACCOUNTS, ACCOUNTS, 0);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (receiver.distinct() < probe.webhooks() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (receiver.distinct() >= probe.webhooks()) {
                return;
            }
        }
        throw new IllegalStateException("the pipeline did not deliver the warm-up calls");
    }

    /**
     * Publishes calls {@code firstCall..} (visit, start, end each), at {@code eventsPerSecond}
     * or as fast as possible when 0, noting when each event went out by the ids of its webhooks.
     */
    private static Published publish(KafkaProducer<String, byte[]> producer, Topics topics, Traffic traffic,
                                     Map<Long, List<String>> subscriptions, long firstCall, int calls, double eventsPerSecond)
            throws InterruptedException {
        Map<String, Long> at = new HashMap<>();
        for (long call = firstCall; call < firstCall + calls; call++) {
            VisitSnapshot visit = traffic.visit("visitor-" + call);
            producer.send(new ProducerRecord<>(topics.visits().name(), visit.getVisitorId(),
                    topics.visits().valueSerde().serializer().serialize(topics.visits().name(), visit)));
        }
        producer.flush();
        long start = System.nanoTime();
        int sent = 0;
        for (boolean ended : new boolean[] {false, true}) {
            for (long call = firstCall; call < firstCall + calls; call++) {
                long account = 1 + call % ACCOUNTS;
                CallEvent event = CallEvent.newBuilder(traffic.call(call, account, ended)).setOccurredAt(Instant.now()).build();
                if (eventsPerSecond > 0) {
                    long due = start + (long) (sent / eventsPerSecond * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                long now = System.nanoTime();
                for (String subscription : subscriptions.get(account)) {
                    at.put(WebhookIds.of(event, subscription), now);
                }
                producer.send(new ProducerRecord<>(topics.callEvents().name(), Long.toString(call),
                        topics.callEvents().valueSerde().serializer().serialize(topics.callEvents().name(), event)));
                sent++;
            }
        }
        producer.flush();
        return new Published(at, at.size());
    }

    private static void awaitAll(LatencyReceiver receiver, int expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (receiver.distinct() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + receiver.distinct() + " of " + expected + " webhooks arrived");
            }
            Thread.sleep(50);
        }
    }

    /** Webhooks per second between 10 % and 90 % of the arrivals. */
    private static double steadyRate(List<Long> arrivals) {
        int first = arrivals.size() / 10;
        int last = arrivals.size() * 9 / 10 - 1;
        return (last - first) / ((arrivals.get(last) - arrivals.get(first)) / 1e9);
    }

    /** p50, p90 and p99 in milliseconds. */
    private static double[] percentiles(Published published, LatencyReceiver receiver) {
        List<Double> latencies = new ArrayList<>();
        published.atByWebhookId().forEach((id, at) -> {
            Long arrived = receiver.arrivalOf(id);
            if (arrived != null) {
                latencies.add((arrived - at) / 1e6);
            }
        });
        latencies.sort(Double::compare);
        return new double[] {at(latencies, 0.5), at(latencies, 0.9), at(latencies, 0.99)};
    }

    private static double at(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static List<double[]> overTime(List<Long> arrivals, long start) {
        List<double[]> points = new ArrayList<>();
        int step = Math.max(1, arrivals.size() / 200);
        for (int i = 0; i < arrivals.size(); i += step) {
            points.add(new double[] {(arrivals.get(i) - start) / 1e9, i + 1});
        }
        points.add(new double[] {(arrivals.get(arrivals.size() - 1) - start) / 1e9, arrivals.size()});
        return points;
    }

    private static Map<Service, Duration> cpu(PipelineServices services) {
        Map<Service, Duration> cpu = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            cpu.put(service, services.cpu(service));
        }
        return cpu;
    }

    /** The same HTTP client posting bodies of the same size to the same receiver, no Kafka: the limit. */
    private static double rawLimit(LatencyReceiver receiver, int concurrency) throws Exception {
        int requests = 20_000;
        byte[] body = ("{\"id\":1," + "\"x\":\"" + "a".repeat(1150) + "\"}").getBytes(StandardCharsets.UTF_8);
        Vertx vertx = Vertx.vertx();
        receiver.clear();
        try (WebhookSender sender = new WebhookSender(vertx, SenderConfig.defaults(), AddressPolicy.allowing("127.0.0.0/8"))) {
            AtomicInteger next = new AtomicInteger();
            int lanes = Math.min(512, concurrency);
            CountDownLatch done = new CountDownLatch(lanes);
            int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
            for (int loop = 0; loop < loops; loop++) {
                int share = lanes / loops + (loop < lanes % loops ? 1 : 0);
                vertx.getOrCreateContext().runOnContext(v -> {
                    for (int lane = 0; lane < share; lane++) {
                        sendNext(sender, receiver, body, next, requests, done);
                    }
                });
            }
            done.await();
            return steadyRate(receiver.arrivals());
        } finally {
            vertx.close().await();
        }
    }

    private static void sendNext(WebhookSender sender, LatencyReceiver receiver, byte[] body, AtomicInteger next, int total,
                                 CountDownLatch done) {
        int n = next.getAndIncrement();
        if (n >= total) {
            done.countDown();
            return;
        }
        PreparedRequest request = new PreparedRequest(HttpMethod.POST, receiver.url("/limit"),
                Map.of("Content-Type", "application/json", "webhook-id", "msg_limit_" + n), body, Duration.ofSeconds(15));
        sender.send(request).onComplete(result -> sendNext(sender, receiver, body, next, total, done));
    }

    private static void report(Path root, int calls, int webhooks, double sustained, double[] full, double[] light,
                               double lightRate, double cpuServices, double cpuBroker, double limit, List<double[]> overTime)
            throws Exception {
        Path dir = Files.createDirectories(root.resolve("bench-results"));
        String table = String.format("""
                # End-to-end benchmark

                %,d calls (start and end) of %d accounts with %d subscriptions each, one fast local receiver;
                a standalone broker and the three services as processes on this machine (%d cores), %s.

                | figure | value |
                |---|---:|
                | sustained rate, calls published as fast as the pipeline takes them | %,.0f webhooks/s |
                | end-to-end latency at full load, p50 / p90 / p99 | %,.0f / %,.0f / %,.0f ms |
                | end-to-end latency at 20 %% load (%,.0f webhooks/s), p50 / p90 / p99 | %,.0f / %,.0f / %,.0f ms |
                | CPU of the three services per 1,000 webhooks | %.2f s |
                | CPU of the broker per 1,000 webhooks | %.2f s |
                | limit: same HTTP client, same receiver, no Kafka | %,.0f requests/s |
                | pipeline / limit | %.2f |

                End-to-end latency is from the moment a call event is handed to the producer to the
                moment the receiver has its webhook; at full load it is mostly time spent queued
                behind the calls published before it.
                """, calls, ACCOUNTS, SUBSCRIPTIONS_PER_ACCOUNT, Runtime.getRuntime().availableProcessors(), Instant.now(),
                sustained, full[0], full[1], full[2], lightRate, light[0], light[1], light[2],
                cpuServices / (webhooks / 1000.0), cpuBroker / (webhooks / 1000.0), limit, sustained / limit);
        Files.writeString(dir.resolve("pipeline.md"), table);
        Chart.write(dir.resolve("pipeline.png"), overTime, List.of(new Chart.Bar("full p50", full[0]),
                new Chart.Bar("full p99", full[2]), new Chart.Bar("20% p50", light[0]), new Chart.Bar("20% p99", light[2])),
                String.format("Callhook end to end: %,.0f webhooks/s sustained", sustained));
        System.out.println(table);
        System.out.println("Written to " + dir.resolve("pipeline.md") + " and " + dir.resolve("pipeline.png"));
    }
}
