package io.callhook.store.app;

import io.callhook.domain.KafkaReplayLedger;
import io.callhook.domain.SubscriptionView;
import io.callhook.model.CallEvent;
import io.callhook.model.DeadLetter;
import io.callhook.model.DeadLetterReplay;
import io.callhook.model.Subscription;
import io.callhook.model.SubscriptionStats;
import io.callhook.model.WebhookRequest;
import io.callhook.net.AddressPolicy;
import io.callhook.serde.AvroSerdes;
import io.callhook.service.AllowedAddresses;
import io.callhook.service.HealthStatus;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.StalledGroupExplainer;
import io.callhook.service.kafka.TopicProvisioner;
import io.callhook.service.kafka.TopicProvisioner.TopicSpec;
import io.callhook.store.api.AttemptRoutes;
import io.callhook.store.api.DeadLetterRoutes;
import io.callhook.store.api.StoreApi;
import io.callhook.store.api.TokenAuth;
import io.callhook.store.app.StoreConfig.TenantLimits;
import io.callhook.store.service.AccountLimiter;
import io.callhook.store.service.AttemptRequests;
import io.callhook.store.service.AutoDisabler;
import io.callhook.store.service.ReplayJobs;
import io.callhook.store.service.ReplayRunner;
import io.callhook.store.service.SubscriptionService;
import io.callhook.store.service.TopicCatchUp;
import io.callhook.store.stats.AutoDisable;
import io.callhook.store.stats.InputHealth;
import io.callhook.store.stats.StatsQueries;
import io.callhook.store.stats.StatsTopology;
import io.callhook.subscription.SubscriptionRules;
import io.callhook.topic.Topic;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running subscription store: the subscriptions view, the counters' Kafka Streams app and
 * the HTTP API with the web page. {@link Main} wires it; integration tests start it in-process,
 * two at a time when they check that either instance answers for any subscription.
 */
public final class StoreApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreApp.class);
    /**
     * How long the counters' stream thread gets to commit (or abort) and leave its group: against
     * a live broker well under a second; with the broker gone it cannot finish, and a process
     * manager's SIGKILL comes soon (the demo's at 15 s). Its transaction is aborted at the next start.
     */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * For writes still in flight at a stop, none of them reported done: an API call that waits for
     * one fails, and a replay records what it sent in its ledger only once it landed.
     */
    private static final Duration PRODUCER_CLOSE = Duration.ofSeconds(2);
    private static final Duration PRODUCER_MAX_BLOCK = Duration.ofSeconds(5);
    /** Threads that read attempts' requests back from Kafka and send them again, all accounts together. */
    private static final int ATTEMPT_REQUEST_THREADS = 2;

    private static final Duration THREAD_RESTART_DELAY = Duration.ofSeconds(2);

    private final SubscriptionView view;
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final StalledGroupExplainer stalled;
    private final InputHealth inputHealth;
    private final AutoDisabler autoDisabler;
    private final ReplayJobs replays;
    private final HttpServer server;
    private final WebClient client;

    private StoreApp(SubscriptionView view, KafkaProducer<String, byte[]> producer, Admin admin, KafkaStreams streams,
                     KafkaStreamsMetrics streamsMetrics, StalledGroupExplainer stalled, InputHealth inputHealth,
                     AutoDisabler autoDisabler, ReplayJobs replays, HttpServer server, WebClient client) {
        this.view = view;
        this.producer = producer;
        this.admin = admin;
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.stalled = stalled;
        this.inputHealth = inputHealth;
        this.autoDisabler = autoDisabler;
        this.replays = replays;
        this.server = server;
        this.client = client;
    }

    public static StoreApp start(StoreConfig config, AddressPolicy policy, Vertx vertx, MeterRegistry registry)
            throws InterruptedException {
        KafkaSettings kafka = config.kafka();
        AvroSerdes serdes = new AvroSerdes(kafka.registry());
        Topics topics = new Topics(kafka.topics(), serdes);
        Topic<String, DeadLetterReplay> replayLedger = new Topic<>(KafkaReplayLedger.topicOf(kafka.topics().deadLetters()),
                Serdes.String(), serdes.forValue(DeadLetterReplay.class));
        provisionTopics(kafka, replayLedger.name());
        serdes.registerValueSchemas(writtenSchemas(kafka.topics(), replayLedger.name(), config.applicationId()));
        // The contracts of what others write, published whichever service starts first.
        serdes.registerValueSchemas(Topics.inputSchemas(kafka.topics()));
        Clock clock = Clock.systemUTC();

        SubscriptionView view = new SubscriptionView(new KafkaConsumer<>(kafka.clientConfig(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")), new StringDeserializer(),
                topics.subscriptions().valueSerde().deserializer()), kafka.topics().subscriptions(),
                new SubscriptionRules(url -> Optional.empty())).start();
        // With the broker gone, Kafka's client forgets the cluster, and a send waits max.block.ms for
        // metadata before it even fails (60 s by default): an API call would hang that long on a
        // worker thread. 5 s is ample to fetch the metadata of a topic idle for minutes.
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.clientConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1, ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) PRODUCER_MAX_BLOCK.toMillis())),
                new StringSerializer(), new ByteArraySerializer());
        Admin admin = Admin.create(kafka.clientConfig(Map.of()));
        SubscriptionService subscriptions = new SubscriptionService(view, producer, topics,
                new SubscriptionRules(AllowedAddresses.urlCheck(policy)), clock, config.secretGrace(), config.limits().maxSubscriptions(),
                new TopicCatchUp(admin, producer, view, kafka.topics().subscriptions(), Duration.ofSeconds(15)));
        AutoDisabler autoDisabler = new AutoDisabler(subscriptions, config.autoDisableAfter(), registry);

        InputHealth inputHealth = new InputHealth(clock);
        KafkaStreams streams = new KafkaStreams(StatsTopology.build(topics, serdes.forValue(SubscriptionStats.class), clock,
                new AutoDisable(config.autoDisableAfter(), autoDisabler), inputHealth),
                StatsStreamsSettings.properties(config, topics.deadLetters(), inputHealth));
        streams.setUncaughtExceptionHandler(e -> {
            // The input handlers fail the thread only when the infrastructure (registry, broker) failed: wait a
            // little, so that an unreachable registry is not asked again by thread after thread.
            LOG.error("Counters stream thread failed; replacing it in {} ms", THREAD_RESTART_DELAY.toMillis(), e);
            try {
                Thread.sleep(THREAD_RESTART_DELAY.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.start();
        StalledGroupExplainer stalled = StalledGroupExplainer.started(admin, List.of(config.applicationId()),
                () -> streams.state() == KafkaStreams.State.RUNNING);

        WebClient client = WebClient.create(vertx);
        StatsQueries stats = new StatsQueries(streams, new HostInfo(config.advertisedHost(), config.httpPort()), client,
                config.tokens().internal());
        TenantLimits limits = config.limits();
        ReplayJobs replays = new ReplayJobs(new ReplayRunner(kafka, topics, replayLedger, producer, clock),
                new AccountLimiter("replays", limits.replays(), clock), limits.replayThreads(), clock);
        StoreApi api = new StoreApi(vertx, new TokenAuth(Optional.of(config.tokens().admin()), Optional.of(config.tokens().internal()),
                config.tokens().tokenKey()), subscriptions, stats, new AccountLimiter("test calls", limits.testCalls(), clock),
                new DeadLetterRoutes(vertx, subscriptions, stats, replays, limits.replayMaxRange(), limits.replayMaxLetters(), clock),
                new AttemptRoutes(subscriptions, stats, new AttemptRequests(kafka, topics, producer),
                        new AccountLimiter("attempt requests", limits.attemptRequests(), clock),
                        vertx.createSharedWorkerExecutor("attempt-requests", ATTEMPT_REQUEST_THREADS), clock));
        if (!view.awaitCaughtUp(Duration.ofSeconds(120))) {
            throw new IllegalStateException("The subscriptions topic could not be read within 120 s");
        }
        HttpServer server = vertx.createHttpServer().requestHandler(api.router())
                .listen(config.httpPort(), config.httpHost()).await();
        LOG.info("Subscription store API and page on http://{}:{}/", config.httpHost(), server.actualPort());
        return new StoreApp(view, producer, admin, streams, streamsMetrics, stalled, inputHealth, autoDisabler, replays, server,
                client);
    }

    private static void provisionTopics(KafkaSettings kafka, String replayLedger) throws InterruptedException {
        TopicNames names = kafka.topics();
        List<TopicSpec> needed = List.of(TopicSpec.readOutside(names.subscriptions(), true),
                TopicSpec.readOutside(names.attempts(), false), TopicSpec.readOutside(names.deadLetters(), false),
                new TopicSpec(replayLedger, false), new TopicSpec(names.callEvents(), false),
                new TopicSpec(names.outbound(), false));
        try (Admin admin = Admin.create(kafka.clientConfig(Map.of()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(kafka.layout(), needed);
        }
    }

    private static Map<String, Schema> writtenSchemas(TopicNames names, String replayLedger, String applicationId) {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put(names.subscriptions(), Subscription.getClassSchema());
        schemas.put(names.callEvents(), CallEvent.getClassSchema());
        schemas.put(names.outbound(), WebhookRequest.getClassSchema());
        schemas.put(names.deadLetters(), DeadLetter.getClassSchema());
        schemas.put(replayLedger, DeadLetterReplay.getClassSchema());
        schemas.put(applicationId + "-" + StatsTopology.STATS_STORE + "-changelog", SubscriptionStats.getClassSchema());
        return schemas;
    }

    public int port() {
        return server.actualPort();
    }

    /** Ready once the subscriptions are read and the counters are served, and no input waits for the infrastructure. */
    public HealthStatus readiness() {
        HealthStatus subscriptions = view.health();
        if (!subscriptions.isUp()) {
            return subscriptions;
        }
        HealthStatus inputs = inputHealth.status();
        if (!inputs.isUp()) {
            return inputs;
        }
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.RUNNING ? HealthStatus.up()
                : HealthStatus.down("counters " + state + stalled.explanation());
    }

    @Override
    public void close() throws InterruptedException {
        server.close().await();
        client.close();
        replays.close();
        streamsMetrics.close();
        stalled.close();
        // Leaves the group: a static member's partitions move to the other instances at once.
        if (!streams.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP).withTimeout(CLOSE_TIMEOUT))) {
            LOG.warn("Counters' Kafka Streams did not stop within {} s (is the broker gone?); its open transaction is "
                    + "aborted when the store starts again", CLOSE_TIMEOUT.toSeconds());
        }
        autoDisabler.close();
        producer.close(PRODUCER_CLOSE);
        // The API, its only asker besides the explainer, is closed: what it still waits for is of no use now.
        admin.close(Duration.ZERO);
        view.close();
    }
}
