package io.callhook.bench;

import com.sun.net.httpserver.HttpServer;
import io.callhook.demo.DemoMain;
import io.callhook.demo.DemoStoreClient;
import io.callhook.demo.PipelineServices;
import io.callhook.demo.PipelineServices.Service;
import io.callhook.demo.Traffic;
import io.callhook.launch.ChildProcess;
import io.callhook.launch.JvmProfile;
import io.callhook.launch.RegistryProcess;
import io.callhook.launch.StandaloneKafka;
import io.callhook.model.CallEvent;
import io.callhook.model.VisitSnapshot;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.AvroTrust;
import io.callhook.serde.RegistryConfig;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one webhook costs the broker, end to end: for every topic, internal ones included
 * (Kafka Streams' changelogs and repartition topics, {@code __consumer_offsets},
 * {@code __transaction_state}), the records and bytes written while N calls go through the real
 * pipeline, divided by the webhooks delivered. The three services run from their jars as in
 * production, against a standalone broker, with the demo's settings (3 partitions); the receiver
 * only answers 204 and counts, so it changes no figure.
 *
 * <p>Records are the growth of each partition's end offset, so transaction markers (one per
 * partition a transaction wrote to) count as records; bytes are the growth of the partitions' log
 * files on the broker (compressed batches with their headers, as stored). Both are read once the
 * pipeline is idle before and after the measured calls, the first ones (one per account) having
 * warmed every path.
 *
 * <p>Usage: {@code BrokerTraffic [calls] [label]} (defaults 2,000 and "run"), with
 * {@code -Dcallhook.root=} the tree whose service jars are measured; writes the table under
 * "## label" in {@code bench-results/broker-traffic.md} of the working directory (or
 * {@code -Dbench.out=FILE}), replacing an earlier table of the same label.
 */
public final class BrokerTraffic {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerTraffic.class);
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final Duration IDLE_SAMPLE = Duration.ofSeconds(20);

    /** Records and bytes of one topic's partitions together. */
    private record Size(long records, long bytes) {
        Size minus(Size other) {
            return new Size(records - other.records, bytes - other.bytes);
        }
    }

    private BrokerTraffic() {
    }

    public static void main(String[] args) throws Exception {
        AvroTrust.install();
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        String label = args.length > 1 ? args[1] : "run";
        Path root = Path.of(System.getProperty("callhook.root", ".")).toAbsolutePath().normalize();
        Path out = Path.of(System.getProperty("bench.out", "bench-results/broker-traffic.md")).toAbsolutePath();
        Path work = Files.createTempDirectory("broker-traffic");
        int storePort = ChildProcess.freePort();
        Map<Service, Integer> opsPorts = Map.of(Service.ENRICHER, ChildProcess.freePort(),
                Service.DISPATCHER, ChildProcess.freePort(), Service.STORE, ChildProcess.freePort());
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        HttpServer receiver = receiver(delivered);
        try (StandaloneKafka kafka = StandaloneKafka.start(work.resolve("kafka"), ChildProcess.freePort(), ChildProcess.freePort(),
                     root.resolve("demo/target/lib"), JvmProfile.THROUGHPUT);
             RegistryProcess registry = RegistryProcess.start(null, work.resolve("registry.log"));
             PipelineServices services = new PipelineServices(root, work.resolve("logs"),
                     DemoMain.commonEnv(kafka.bootstrapServers(), registry.baseUrl()), BenchAccounts.serviceEnv(work, storePort), opsPorts, JvmProfile.THROUGHPUT);
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5,
                     ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
            services.startAll();
            Topics topics = new Topics(TopicNames.DEFAULTS, new AvroSerdes(new RegistryConfig(registry.baseUrl(), true)));
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/";
            Map<Long, List<String>> subscriptions = BenchAccounts.subscribe(
                    new DemoStoreClient("http://127.0.0.1:" + storePort, BenchAccounts.ADMIN), suffix -> url + suffix);
            Traffic traffic = new Traffic(11, Instant.now());

            warmUp(producer, topics, traffic, subscriptions, delivered);
            awaitIdle(admin);
            // An idle pipeline still writes (offset commits, transaction state): measure that rate
            // first, to take it out of the run's figures.
            Map<String, Size> idleFrom = sizes(admin);
            long idleStart = System.nanoTime();
            Thread.sleep(IDLE_SAMPLE.toMillis());
            Map<String, Size> before = sizes(admin);
            long start = System.nanoTime();
            double idleSeconds = (start - idleStart) / 1e9;
            int deliveredBefore = delivered.size();

            int webhooks = publish(producer, topics, traffic, subscriptions, 1_000_000, calls);
            await(delivered, deliveredBefore + webhooks, Duration.ofMinutes(10));
            Map<String, Size> after = awaitIdle(admin);
            double runSeconds = (System.nanoTime() - start) / 1e9;

            String table = table(idleFrom, before, idleSeconds, after, runSeconds, webhooks);
            System.out.println(table);
            write(out, label, String.format("%s, %,d calls (start and end) of %d accounts × %d subscriptions = %,d webhooks, "
                    + "services from %s, measured %s.%n%n%s", label, calls, BenchAccounts.ACCOUNTS, BenchAccounts.SUBSCRIPTIONS_PER_ACCOUNT, webhooks, root,
                    Instant.now(), table));
        } finally {
            receiver.stop(0);
        }
    }

    /** Answers every request 204 and notes its webhook id. */
    private static HttpServer receiver(Set<String> delivered) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (id != null) {
                delivered.add(id);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }



    /**
     * One call per account until all of a round's webhooks arrive: then every subscription has
     * reached the enricher's table and every path (lanes, counters) is warm.
     */
    private static void warmUp(KafkaProducer<String, byte[]> producer, Topics topics, Traffic traffic,
                               Map<Long, List<String>> subscriptions, Set<String> delivered) throws InterruptedException {
        for (int round = 0; round < 30; round++) {
            int expected = delivered.size() + publish(producer, topics, traffic, subscriptions, 1 + round * BenchAccounts.ACCOUNTS, BenchAccounts.ACCOUNTS);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (delivered.size() < expected && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (delivered.size() >= expected) {
                return;
            }
        }
        throw new IllegalStateException("the pipeline did not deliver the warm-up calls");
    }

    /** A visit, then the start and end of each call; returns the webhooks they make. */
    private static int publish(KafkaProducer<String, byte[]> producer, Topics topics, Traffic traffic,
                               Map<Long, List<String>> subscriptions, long firstCall, int calls) {
        int webhooks = 0;
        for (long call = firstCall; call < firstCall + calls; call++) {
            VisitSnapshot visit = traffic.visit("visitor-" + call);
            producer.send(new ProducerRecord<>(topics.visits().name(), visit.getVisitorId(),
                    topics.visits().valueSerde().serializer().serialize(topics.visits().name(), visit)));
        }
        producer.flush();
        for (boolean ended : new boolean[] {false, true}) {
            for (long call = firstCall; call < firstCall + calls; call++) {
                long account = 1 + call % BenchAccounts.ACCOUNTS;
                CallEvent event = CallEvent.newBuilder(traffic.call(call, account, ended)).setOccurredAt(Instant.now()).build();
                producer.send(new ProducerRecord<>(topics.callEvents().name(), Long.toString(call),
                        topics.callEvents().valueSerde().serializer().serialize(topics.callEvents().name(), event)));
                webhooks += subscriptions.get(account).size();
            }
        }
        producer.flush();
        return webhooks;
    }

    private static void await(Set<String> delivered, int expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (delivered.size() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + delivered.size() + " of " + expected + " webhooks arrived");
            }
            Thread.sleep(100);
        }
    }

    /**
     * Sizes once no topic has grown for {@link #IDLE} (attempts recorded, counters updated,
     * transactions closed), leaving out the broker's own topics, which an idle pipeline still writes.
     */
    private static Map<String, Size> awaitIdle(Admin admin) throws Exception {
        Map<String, Size> last = sizes(admin);
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < IDLE.toNanos()) {
            Thread.sleep(1_000);
            Map<String, Size> now = sizes(admin);
            if (!withoutBrokerTopics(now).equals(withoutBrokerTopics(last))) {
                quietSince = System.nanoTime();
            }
            last = now;
        }
        return last;
    }

    private static Map<String, Size> withoutBrokerTopics(Map<String, Size> sizes) {
        Map<String, Size> kept = new TreeMap<>(sizes);
        kept.keySet().removeIf(topic -> topic.startsWith("__"));
        return kept;
    }

    /** End offsets and log bytes of every topic, internal ones included. */
    private static Map<String, Size> sizes(Admin admin) throws Exception {
        Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (TopicDescription topic : admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
            topic.partitions().forEach(p -> partitions.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
        }
        Map<String, Long> records = new TreeMap<>();
        admin.listOffsets(partitions).all().get(30, TimeUnit.SECONDS)
                .forEach((partition, info) -> records.merge(partition.topic(), info.offset(), Long::sum));
        Map<String, Long> bytes = new HashMap<>();
        for (Map<String, LogDirDescription> broker : admin.describeLogDirs(List.of(1)).allDescriptions().get(30, TimeUnit.SECONDS).values()) {
            for (LogDirDescription dir : broker.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                    bytes.merge(replica.getKey().topic(), replica.getValue().size(), Long::sum);
                }
            }
        }
        Map<String, Size> sizes = new TreeMap<>();
        records.forEach((topic, count) -> sizes.put(topic, new Size(count, bytes.getOrDefault(topic, 0L))));
        return sizes;
    }

    /**
     * Per topic: what the run wrote, less what the idle pipeline writes in as long (measured just
     * before), per webhook; then the idle rate itself.
     */
    private static String table(Map<String, Size> idleFrom, Map<String, Size> idleTo, double idleSeconds,
                                Map<String, Size> after, double runSeconds, int webhooks) {
        List<Map.Entry<String, Size>> grown = new ArrayList<>();
        StringBuilder idle = new StringBuilder();
        for (Map.Entry<String, Size> topic : after.entrySet()) {
            Size background = idleTo.getOrDefault(topic.getKey(), new Size(0, 0))
                    .minus(idleFrom.getOrDefault(topic.getKey(), new Size(0, 0)));
            Size run = topic.getValue().minus(idleTo.getOrDefault(topic.getKey(), new Size(0, 0)));
            double share = runSeconds / idleSeconds;
            Size delta = new Size(Math.max(0, Math.round(run.records() - background.records() * share)),
                    Math.max(0, Math.round(run.bytes() - background.bytes() * share)));
            if (delta.records() != 0 || delta.bytes() != 0) {
                grown.add(Map.entry(topic.getKey(), delta));
            }
            if (background.records() != 0 || background.bytes() != 0) {
                idle.append(String.format("| %s | %.1f | %,.0f |%n", topic.getKey(), background.records() / idleSeconds,
                        background.bytes() / idleSeconds));
            }
        }
        grown.sort((a, b) -> Long.compare(b.getValue().bytes(), a.getValue().bytes()));
        StringBuilder table = new StringBuilder("| topic | records per webhook | bytes per webhook |\n|---|---:|---:|\n");
        long records = 0;
        long bytes = 0;
        for (Map.Entry<String, Size> topic : grown) {
            table.append(String.format("| %s | %.3f | %,.0f |%n", topic.getKey(),
                    (double) topic.getValue().records() / webhooks, (double) topic.getValue().bytes() / webhooks));
            records += topic.getValue().records();
            bytes += topic.getValue().bytes();
        }
        table.append(String.format("| **all topics** | **%.3f** | **%,.0f** |%n", (double) records / webhooks, (double) bytes / webhooks));
        table.append(String.format("%nThe run took %.0f s. Written by the idle pipeline (measured over %.0f s before the run, and "
                + "taken out of the figures above):%n%n| topic | records/s | bytes/s |%n|---|---:|---:|%n", runSeconds, idleSeconds));
        table.append(idle.length() == 0 ? "| (none) | | |\n" : idle);
        return table.toString();
    }

    /** Writes {@code section} under "## label", replacing that label's earlier section and keeping the others. */
    private static void write(Path file, String label, String section) throws Exception {
        Files.createDirectories(file.getParent());
        String header = "# Broker traffic per webhook\n\nWritten by `io.callhook.bench.BrokerTraffic` (see its Javadoc for what is counted).\n";
        String existing = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : header;
        String heading = "\n## " + label + "\n";
        int start = existing.indexOf(heading);
        String kept;
        if (start < 0) {
            kept = existing;
        } else {
            int next = existing.indexOf("\n## ", start + heading.length());
            kept = existing.substring(0, start) + (next < 0 ? "" : existing.substring(next));
        }
        Files.writeString(file, kept.stripTrailing() + "\n" + heading + "\n" + section, StandardCharsets.UTF_8);
        LOG.info("Written under '{}' in {}", label, file);
    }
}
