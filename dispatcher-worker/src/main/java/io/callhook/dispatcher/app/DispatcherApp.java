package io.callhook.dispatcher.app;

import io.callhook.dispatcher.DispatcherMetrics;
import io.callhook.dispatcher.consume.DispatchLoop;
import io.callhook.dispatcher.engine.DeliveryEngine;
import io.callhook.dispatcher.engine.LaneBreakers;
import io.callhook.dispatcher.engine.OutcomeHandler;
import io.callhook.dispatcher.engine.Preparer;
import io.callhook.dispatcher.http.WebhookSender;
import io.callhook.dispatcher.publish.OutcomeWriter;
import io.callhook.dispatcher.publish.Outputs;
import io.callhook.dispatcher.publish.Publisher;
import io.callhook.dispatcher.signing.WebhookSigner;
import io.callhook.domain.SubscriptionView;
import io.callhook.model.DeadLetter;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import io.callhook.net.AddressPolicy;
import io.callhook.serde.AvroSerdes;
import io.callhook.service.HealthStatus;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.TopicProvisioner;
import io.callhook.service.kafka.TopicProvisioner.TopicSpec;
import io.callhook.subscription.SubscriptionRules;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running dispatcher: creates its topics, registers the schemas it writes, reads the
 * subscriptions into memory, and only then starts delivering (a request for a subscription it
 * has not read yet would otherwise be dropped as deleted). A registry outage at start is waited
 * out, not fatal: {@link #start} returns once the parts exist, and {@link #readiness()} says DOWN,
 * and why, until delivery runs. {@link Main} wires it; integration tests start it in-process too.
 */
public final class DispatcherApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DispatcherApp.class);
    private static final Duration KEEP_METADATA = Duration.ofDays(365);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(60);
    private static final Duration METADATA_POLL = Duration.ofMillis(50);

    private final SubscriptionView subscriptions;
    private final Publisher publisher;
    private final OutcomeWriter writer;
    private final WebhookSender sender;
    private final DeliveryEngine engine;
    private final DispatchLoop loop;
    private final Thread loopThread;
    private final List<AutoCloseable> metrics;
    private final StartupSteps startup;

    private DispatcherApp(SubscriptionView subscriptions, Outputs outputs, WebhookSender sender, DeliveryEngine engine,
                          DispatchLoop loop, List<AutoCloseable> metrics, StartupSteps startup) {
        this.subscriptions = subscriptions;
        this.publisher = outputs.publisher();
        this.writer = outputs.writer();
        this.sender = sender;
        this.engine = engine;
        this.loop = loop;
        this.metrics = metrics;
        this.startup = startup;
        this.loopThread = new Thread(() -> {
            startup.awaitPrerequisites();
            loop.run();
        }, "dispatch-loop");
    }

    public static DispatcherApp start(DispatcherConfig config, AddressPolicy policy, Vertx vertx, MeterRegistry registry)
            throws InterruptedException {
        KafkaSettings kafka = config.kafka();
        AvroSerdes serdes = new AvroSerdes(kafka.registry());
        Topics topics = new Topics(kafka.topics(), serdes);
        List<String> tiers = config.schedule().tiers().suffixes().stream().map(kafka.topics()::retryTier).toList();
        provisionTopics(kafka, tiers);

        KafkaConsumer<String, Subscription> viewConsumer = new KafkaConsumer<>(kafka.clientConfig(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                new StringDeserializer(), topics.subscriptions().valueSerde().deserializer());
        // Structure only: whether the URL's address may be reached is decided when sending, on the
        // resolved address, and a refusal becomes a dead letter naming it.
        SubscriptionView subscriptions = new SubscriptionView(viewConsumer, kafka.topics().subscriptions(),
                new SubscriptionRules(url -> java.util.Optional.empty())).start();

        // Attempt records are small and go to many partitions: with 5 ms a batch held about three of
        // them at 8,000 deliveries/s, each batch compressed into a fresh 64 KB LZ4 buffer (JFR: LZ4
        // ~6 % of the samples). 25 ms makes batches several times larger: 15 % less CPU per delivery,
        // of the broker's too. It delays only when an offset may be committed, not a delivery.
        //
        // Outcomes are sent from the engine's event loop, which must never wait. With the broker gone,
        // the client forgets the cluster (it bootstraps again) and a send would wait max.block.ms (60 s
        // by default) for metadata, each one: every delivery stalled, the engine's timers too. With 0,
        // such a send fails at once and the outcome writer sends it again after a pause, readiness
        // down meanwhile. The set of topics written is fixed, so their metadata is never let go
        // (metadata.max.idle.ms), and a send to a topic idle for minutes does not fail for it.
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.clientConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 25,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 0,
                ProducerConfig.METADATA_MAX_IDLE_CONFIG, KEEP_METADATA.toMillis())), new StringSerializer(),
                new ByteArraySerializer());
        awaitMetadata(producer, writtenSchemas(kafka.topics(), tiers).keySet());
        Publisher publisher = new Publisher(producer, topics);
        Outputs outputs = new Outputs(publisher, new OutcomeWriter(Clock.systemUTC()));
        WebhookSender sender = new WebhookSender(vertx, config.sender(), policy);
        SplittableRandom jitter = new SplittableRandom(new SecureRandom().nextLong());
        DispatcherMetrics metrics = new DispatcherMetrics(registry);
        OutcomeHandler outcomes = new OutcomeHandler(publisher, config.schedule(), metrics, jitter::nextDouble,
                config.engine().breakerOpenFor(), subscriptions::get);
        Preparer preparer = new Preparer(new WebhookSigner(), config.sender().userAgent(), config.sender().totalTimeout());
        DeliveryEngine engine = new DeliveryEngine(vertx,
                new DeliveryEngine.Parts(sender, preparer, outcomes, outputs.writer(), LaneBreakers.of(config.engine())),
                subscriptions, config.engine(), config.sender().maxPoolSize(), metrics,
                new DeliveryEngine.Sources(Clock.systemUTC(), System::nanoTime));

        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.groupConsumerConfig(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, config.groupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // The enricher writes transactionally: never act on what it aborted.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000)), new StringDeserializer(), new ByteArrayDeserializer());
        List<AutoCloseable> clientMetrics = new ArrayList<>();
        KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(registry);
        clientMetrics.add(consumerMetrics);
        KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        clientMetrics.add(producerMetrics);

        DispatchLoop loop = new DispatchLoop(consumer, topics.outbound().valueSerde().deserializer(), kafka.topics().outbound(),
                tiers, engine, outputs, Clock.systemUTC(), config.engine().maxBuffered());
        Map<String, Schema> written = writtenSchemas(kafka.topics(), tiers);
        // The contracts of what others write, published whichever service starts first.
        written.putAll(Topics.inputSchemas(kafka.topics()));
        StartupSteps startup = new StartupSteps(() -> serdes.registerValueSchemas(written), kafka.registry().url(),
                subscriptions, () -> LOG.info("Dispatching from {} and {} retry tiers", kafka.topics().outbound(), tiers.size()));
        DispatcherApp app = new DispatcherApp(subscriptions, outputs, sender, engine, loop, clientMetrics, startup);
        app.loopThread.start();
        return app;
    }

    /**
     * Metadata of every topic written, fetched now, so that the first outcomes are not refused
     * for the want of it (the producer never waits for metadata, see {@code max.block.ms}).
     */
    private static void awaitMetadata(Producer<String, byte[]> producer, Collection<String> topics) throws InterruptedException {
        long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
        for (String topic : topics) {
            while (true) {
                try {
                    producer.partitionsFor(topic);
                    break;
                } catch (TimeoutException notYet) {
                    // Asked for in the background by the call that failed.
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("no metadata of topic " + topic + " from the broker within " + METADATA_WAIT,
                                notYet);
                    }
                    Thread.sleep(METADATA_POLL.toMillis());
                }
            }
        }
    }

    private static void provisionTopics(KafkaSettings kafka, List<String> tiers) throws InterruptedException {
        try (Admin admin = Admin.create(kafka.clientConfig(Map.of()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(kafka.layout(), topicSpecs(kafka.topics(), tiers));
        }
    }

    /** The topics the dispatcher reads and writes, as it creates them when they are missing. */
    public static List<TopicSpec> topicSpecs(TopicNames names, List<String> tiers) {
        List<TopicSpec> needed = new ArrayList<>(List.of(
                new TopicSpec(names.outbound(), false),
                TopicSpec.readOutside(names.attempts(), false),
                TopicSpec.readOutside(names.deadLetters(), false),
                TopicSpec.readOutside(names.subscriptions(), true)));
        tiers.forEach(tier -> needed.add(new TopicSpec(tier, false)));
        return needed;
    }

    private static Map<String, Schema> writtenSchemas(TopicNames names, List<String> tiers) {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put(names.attempts(), DeliveryAttempt.getClassSchema());
        schemas.put(names.deadLetters(), DeadLetter.getClassSchema());
        schemas.put(names.subscriptions(), Subscription.getClassSchema());
        schemas.put(names.outbound(), WebhookRequest.getClassSchema());
        tiers.forEach(tier -> schemas.put(tier, WebhookRequest.getClassSchema()));
        return schemas;
    }

    /** Ready once the schemas are registered, the subscriptions are read and current, the consumer polls, and while outcomes can be written. */
    public HealthStatus readiness() {
        // Registration, then the subscription view's own health (which stays in force after start).
        HealthStatus prerequisites = startup.status();
        if (!prerequisites.isUp()) {
            return prerequisites;
        }
        java.util.Optional<Throwable> failed = loop.failed();
        if (failed.isPresent()) {
            return HealthStatus.down("dispatch loop stopped: " + failed.get());
        }
        if (!loop.isPolling()) {
            return HealthStatus.down("consumer not polling");
        }
        return writer.health();
    }

    /**
     * Completes with the cause if the dispatch loop ends by an error: the process should then
     * exit and be restarted, as nothing reads the outbound topic any more.
     */
    public java.util.concurrent.CompletionStage<Throwable> loopFailure() {
        return loop.failure();
    }

    /** Whether the subscription is known and current here (diagnostics and tests). */
    public boolean knows(String subscriptionId) {
        return subscriptions.get(subscriptionId).isPresent();
    }

    /** The subscription as this dispatcher knows it now (diagnostics and tests). */
    public java.util.Optional<Subscription> subscription(String subscriptionId) {
        return subscriptions.get(subscriptionId);
    }

    public int inFlight() {
        return engine.inFlight();
    }

    @Override
    public void close() throws InterruptedException {
        startup.cancel(loopThread);
        if (loopThread.isAlive()) {
            loop.close();
        }
        engine.close();
        sender.close();
        writer.close();
        publisher.close();
        subscriptions.close();
        for (AutoCloseable closeable : metrics) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("closing metrics", e);
            }
        }
    }
}
