package io.callhook.demo;

import static io.callhook.demo.PipelineTestSupport.Sub;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.demo.PipelineServices.Service;
import io.callhook.demo.PipelineTestSupport.Receiver;
import io.callhook.demo.inspector.ReceivedWebhook;
import io.callhook.demo.inspector.WebhookInspector;
import io.callhook.launch.ChildProcess;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enricher's and the store's transactional producers across producer id rotations, on a
 * broker formatted as Kafka formats a new cluster. Under transactions v2 every commit bumps the
 * producer's epoch, and at epoch 32,766 the coordinator moves the transactional id to a new
 * producer id. At the enricher's 100 ms commit interval a busy stream thread gets there in about
 * 55 minutes, so a busy deployment rotates every hour (the issue-era demo, whose idle tasks
 * committed twice a second, every four hours or so): no other test runs long enough to see one.
 *
 * <p>Not in the suite: bringing a producer to its last epochs takes 32,700 transactions, about
 * three minutes for the four of them side by side on two cores; the two tests take about 25
 * minutes. Run them with {@code mvn verify -pl demo -am -Dcallhook.rotation=true
 * -Dit.test=ProducerIdRotationIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
@RealInfra
@EnabledIfSystemProperty(named = "callhook.rotation", matches = "true",
        disabledReason = "about 25 minutes of transactions to exhaust producer epochs; -Dcallhook.rotation=true runs it")
class ProducerIdRotationIT {

    private static final Logger LOG = LoggerFactory.getLogger(ProducerIdRotationIT.class);
    private static final String PREFIX = "rotation-";
    private static final String ENRICHER_GROUP = PREFIX + "enricher";
    private static final Duration READY_LIMIT = Duration.ofSeconds(30);

    /**
     * Four rounds: the enricher and the store stopped, their producers brought 40 or 2 epochs
     * short of the last, started again under traffic; each rotates within seconds. In the even
     * rounds the enricher is SIGKILLed right after and started again. Every webhook arrives.
     */
    @Test
    void servicesKeepDeliveringThroughProducerIdRotations(Infra infra) throws Exception {
        try (Pipeline pipeline = Pipeline.start(infra, "producer-id-rotation")) {
            for (int round = 1; round <= 4; round++) {
                pipeline.services.stop(Service.ENRICHER);
                pipeline.services.stop(Service.STORE);
                int margin = round % 2 == 1 ? 40 : 2;
                Map<String, TransactionDescription> pumped = pumpAll(pipeline, id -> true, margin);
                LOG.info("Round {}: producers {} epochs short of the last: {}", round, margin, summary(pumped));
                long start = System.nanoTime();
                pipeline.services.launch(Service.STORE);
                pipeline.services.launch(Service.ENRICHER);
                pipeline.services.awaitReady(Service.STORE);
                pipeline.services.awaitReady(Service.ENRICHER);
                Duration ready = Duration.ofNanos(System.nanoTime() - start);
                LOG.info("Round {}: ready in {} ms", round, ready.toMillis());
                assertThat(ready).as("round %d: enricher and store ready", round).isLessThan(READY_LIMIT);
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> rotated(pumped, describe(pipeline.admin)));
                LOG.info("Round {}: every producer rotated: {}", round, summary(describe(pipeline.admin)));
                if (round % 2 == 0) {
                    pipeline.services.kill(Service.ENRICHER);
                    start = System.nanoTime();
                    pipeline.services.start(Service.ENRICHER);
                    LOG.info("Round {}: enricher SIGKILLed, ready again in {} ms", round, (System.nanoTime() - start) / 1_000_000);
                }
                Thread.sleep(3000);
            }
            pipeline.everyWebhookArrives();
        }
    }

    /**
     * The enricher stopped while a transaction of its producer holding its group's offsets is open
     * at one of the last epochs (its process died mid-transaction, left here by a producer of the
     * same transactional id abandoned at that point): starting, the enricher must fence and abort
     * it, across the rotation that fencing causes, before it can read its offsets. A transaction
     * left hanging there would make it wait on {@code committed()} for ever, as issue 10 reported.
     */
    @Test
    void anOpenTransactionAtTheLastEpochsIsAbortedWhenTheEnricherStarts(Infra infra) throws Exception {
        try (Pipeline pipeline = Pipeline.start(infra, "producer-id-rotation-open")) {
            Predicate<String> enricherTasks = id -> id.startsWith(ENRICHER_GROUP + "-") && !id.startsWith(ENRICHER_GROUP + "-tables-");
            for (int epoch = Short.MAX_VALUE - 1; epoch >= Short.MAX_VALUE - 3; epoch--) {
                pipeline.services.stop(Service.ENRICHER);
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                pipeline.admin.listConsumerGroupOffsets(ENRICHER_GROUP).partitionsToOffsetAndMetadata().get()
                        .forEach((partition, offset) -> {
                            if (partition.topic().equals(pipeline.names.callEvents())) {
                                offsets.put(partition, offset);
                            }
                        });
                int margin = Short.MAX_VALUE - 1 - epoch;
                Map<String, TransactionDescription> open = pumpAll(pipeline, enricherTasks, margin, offsets);
                LOG.info("Open at epoch {}: {}", epoch, summary(open));
                assertThat(open.values()).as("transactions left open at epoch %d", epoch)
                        .allMatch(t -> t.state() == org.apache.kafka.clients.admin.TransactionState.ONGOING);
                long start = System.nanoTime();
                pipeline.services.start(Service.ENRICHER);
                Duration ready = Duration.ofNanos(System.nanoTime() - start);
                LOG.info("Open at epoch {}: enricher ready in {} ms: {}", epoch, ready.toMillis(), summary(describe(pipeline.admin)));
                assertThat(ready).as("enricher ready with transactions open at epoch %d", epoch).isLessThan(READY_LIMIT);
                Thread.sleep(3000);
            }
            pipeline.everyWebhookArrives();
        }
    }

    /** The transactional ids {@code which} brought to {@code margin} epochs short of the last, side by side. */
    private static Map<String, TransactionDescription> pumpAll(Pipeline pipeline, Predicate<String> which, int margin) throws Exception {
        return pumpAll(pipeline, which, margin, Map.of());
    }

    /**
     * The same; with {@code openWith} offsets, each then begins a transaction committing them for
     * the enricher's group and is abandoned, as a process killed mid-transaction leaves it.
     */
    private static Map<String, TransactionDescription> pumpAll(Pipeline pipeline, Predicate<String> which, int margin,
                                                               Map<TopicPartition, OffsetAndMetadata> openWith) throws Exception {
        List<String> ids = describe(pipeline.admin).keySet().stream().filter(which).toList();
        ExecutorService pool = Executors.newFixedThreadPool(ids.size());
        try {
            List<Future<?>> pumps = new ArrayList<>();
            for (String id : ids) {
                pumps.add(pool.submit(() -> {
                    pump(pipeline, id, margin, openWith);
                    return null;
                }));
            }
            for (Future<?> pump : pumps) {
                pump.get();
            }
        } finally {
            pool.shutdown();
        }
        Map<String, TransactionDescription> now = describe(pipeline.admin);
        now.keySet().retainAll(ids);
        return now;
    }

    private static void pump(Pipeline pipeline, String id, int margin, Map<TopicPartition, OffsetAndMetadata> openWith)
            throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.infra.bootstrapServers());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        // A transaction's first request meets the last one's markers still being written: retry at once, not in 100 ms.
        config.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 1);
        config.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 5);
        // Left open, the transaction must still be open when the enricher starts, not aborted by its timeout.
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 600_000);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
            int left = Short.MAX_VALUE - 1 - margin - describe(pipeline.admin).get(id).producerEpoch();
            // Offsets of a group of its own, so that the pump changes nothing the services read.
            Map<TopicPartition, OffsetAndMetadata> noOp = Map.of(new TopicPartition(pipeline.names.callEvents(), 0), new OffsetAndMetadata(0));
            for (int i = 0; i < left; i++) {
                producer.beginTransaction();
                producer.sendOffsetsToTransaction(noOp, new ConsumerGroupMetadata(PREFIX + "pump"));
                producer.commitTransaction();
            }
            if (!openWith.isEmpty()) {
                producer.beginTransaction();
                producer.sendOffsetsToTransaction(openWith, new ConsumerGroupMetadata(ENRICHER_GROUP));
            }
        } finally {
            // No time to end anything: an open transaction stays open.
            producer.close(Duration.ZERO);
        }
    }

    private static boolean rotated(Map<String, TransactionDescription> before, Map<String, TransactionDescription> now) {
        return before.entrySet().stream().allMatch(e -> now.containsKey(e.getKey())
                && now.get(e.getKey()).producerId() != e.getValue().producerId());
    }

    private static Map<String, TransactionDescription> describe(Admin admin) throws Exception {
        List<String> ids = admin.listTransactions().all().get().stream()
                .map(TransactionListing::transactionalId).filter(id -> id.startsWith(PREFIX)).toList();
        return new TreeMap<>(admin.describeTransactions(ids).all().get());
    }

    /** Each transactional id (without its process id) as producer id/epoch/state. */
    private static String summary(Map<String, TransactionDescription> transactions) {
        return transactions.entrySet().stream().map(e -> e.getKey().replaceAll("-[0-9a-f]{8}-[0-9a-f-]{27}", "") + "="
                + e.getValue().producerId() + "/" + e.getValue().producerEpoch() + "/" + e.getValue().state())
                .collect(Collectors.joining(", "));
    }

    /** A broker of its own (formatted by Kafka's storage tool), the three services, two subscriptions and calls coming. */
    private static final class Pipeline implements AutoCloseable {
        final Infra infra;
        final TopicNames names = TopicNames.DEFAULTS.withPrefix("rotation.");
        final PipelineServices services;
        final Admin admin;
        private final StandaloneKafka kafka;
        private final Receiver receiver;
        private final KafkaProducer<String, byte[]> producer;
        private final List<Sub> subs;
        private final List<CallEvent> published = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean calling = new AtomicBoolean(true);
        private final Thread telephony;

        private Pipeline(Infra registry, String name) throws Exception {
            Path root = PipelineTestSupport.projectRoot();
            Path work = ScratchDirs.create(name);
            int storePort = ChildProcess.freePort();
            kafka = StandaloneKafka.start(work.resolve("kafka"), ChildProcess.freePort(), ChildProcess.freePort(),
                    DemoMain.brokerJars(root), JvmProfile.QUICK_START);
            infra = new Infra(kafka.bootstrapServers(), registry.registryBaseUrl());
            receiver = Receiver.start(100_000);
            services = new PipelineServices(root, root.resolve("demo/target/it-logs/" + name),
                    PipelineTestSupport.commonEnv(infra, names), PipelineTestSupport.serviceEnv(work, storePort, PREFIX),
                    PipelineTestSupport.freeOpsPorts());
            producer = PipelineTestSupport.producer(infra);
            admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()));
            services.startAll();
            WebhookInspector inspector = receiver.inspector();
            DemoStoreClient store = new DemoStoreClient("http://127.0.0.1:" + storePort, PipelineTestSupport.ADMIN);
            subs = PipelineTestSupport.twoSubscriptionsTested(store, inspector, storePort);
            Topics topics = new Topics(names, new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true)));
            // A call every 50 ms: every stream task has records to commit at every commit interval.
            telephony = new Thread(() -> PipelineTestSupport.callUntilStopped(producer, topics, published, calling,
                    3_000_000, Duration.ofMillis(50)), "telephony");
            telephony.start();
            // Offsets committed on every partition before the first stop.
            Thread.sleep(5000);
        }

        static Pipeline start(Infra registry, String name) throws Exception {
            return new Pipeline(registry, name);
        }

        /** Stops the calls; every (call, subscription) webhook arrives, and nothing else. */
        void everyWebhookArrives() throws Exception {
            calling.set(false);
            telephony.join();
            WebhookInspector inspector = receiver.inspector();
            Map<String, String> expected = PipelineTestSupport.expected(published, subs);
            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> PipelineTestSupport.received(inspector).keySet().containsAll(expected.keySet()));
            Map<String, List<ReceivedWebhook>> byId = PipelineTestSupport.received(inspector);
            int requests = byId.values().stream().mapToInt(List::size).sum();
            LOG.info("{} call events, {} webhooks expected, all received, {} requests ({} duplicates); producers {}", published.size(),
                    expected.size(), requests, requests - byId.size(), summary(describe(admin)));
            assertThat(byId.keySet()).as("nothing but the expected webhooks").isEqualTo(expected.keySet());
        }

        @Override
        public void close() throws Exception {
            calling.set(false);
            telephony.join();
            try (kafka; receiver; producer; admin; services) {
                LOG.info("Stopping the pipeline");
            }
        }
    }
}
