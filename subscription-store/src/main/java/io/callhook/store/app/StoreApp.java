package io.callhook.store.app;

import io.callhook.model.CallEvent;
import io.callhook.model.Subscription;
import io.callhook.model.SubscriptionStats;
import io.callhook.model.WebhookRequest;
import io.callhook.net.AddressPolicy;
import io.callhook.serde.AvroSerdes;
import io.callhook.service.AllowedAddresses;
import io.callhook.service.HealthStatus;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.SubscriptionView;
import io.callhook.service.kafka.TopicProvisioner;
import io.callhook.service.kafka.TopicProvisioner.TopicSpec;
import io.callhook.store.api.StoreApi;
import io.callhook.store.api.TokenAuth;
import io.callhook.store.service.DeadLetters;
import io.callhook.store.service.SubscriptionService;
import io.callhook.store.stats.StatsQueries;
import io.callhook.store.stats.StatsTopology;
import io.callhook.subscription.SubscriptionRules;
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
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
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
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final SubscriptionView view;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final HttpServer server;
    private final WebClient client;

    private StoreApp(SubscriptionView view, KafkaProducer<String, byte[]> producer, KafkaStreams streams,
                     KafkaStreamsMetrics streamsMetrics, HttpServer server, WebClient client) {
        this.view = view;
        this.producer = producer;
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.server = server;
        this.client = client;
    }

    public static StoreApp start(StoreConfig config, AddressPolicy policy, Vertx vertx, MeterRegistry registry)
            throws InterruptedException {
        KafkaSettings kafka = config.kafka();
        AvroSerdes serdes = new AvroSerdes(kafka.registry());
        Topics topics = new Topics(kafka.topics(), serdes);
        provisionTopics(kafka);
        serdes.registerValueSchemas(writtenSchemas(kafka.topics(), config.applicationId()));

        SubscriptionView view = new SubscriptionView(new KafkaConsumer<>(kafka.clientConfig(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")), new StringDeserializer(),
                topics.subscriptions().valueSerde().deserializer()), kafka.topics().subscriptions(),
                new SubscriptionRules(url -> Optional.empty())).start();
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.clientConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1)), new StringSerializer(), new ByteArraySerializer());

        KafkaStreams streams = new KafkaStreams(
                StatsTopology.build(topics, serdes.forValue(SubscriptionStats.class), Clock.systemUTC()),
                streamsProperties(config));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Counters stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.start();

        WebClient client = WebClient.create(vertx);
        StatsQueries stats = new StatsQueries(streams, new HostInfo(config.advertisedHost(), config.httpPort()), client,
                config.adminToken());
        SubscriptionService subscriptions = new SubscriptionService(view, producer, topics,
                new SubscriptionRules(AllowedAddresses.urlCheck(policy)), Clock.systemUTC(), config.secretGrace());
        StoreApi api = new StoreApi(vertx, new TokenAuth(Optional.of(config.adminToken()), config.tokenKey()), subscriptions,
                stats, new DeadLetters(kafka, topics, producer));
        if (!view.awaitCaughtUp(Duration.ofSeconds(120))) {
            throw new IllegalStateException("The subscriptions topic could not be read within 120 s");
        }
        HttpServer server = vertx.createHttpServer().requestHandler(api.router())
                .listen(config.httpPort(), config.httpHost()).await();
        LOG.info("Subscription store API and page on http://{}:{}/", config.httpHost(), server.actualPort());
        return new StoreApp(view, producer, streams, streamsMetrics, server, client);
    }

    private static Properties streamsProperties(StoreConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.advertisedHost() + ":" + config.httpPort());
        // Counter updates and the attempt ids seen commit together: a crash neither loses nor doubles a count.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        // Attempt and dead-letter records are written only by our services; one that cannot be
        // read is logged and skipped rather than stopping every customer's counters.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        config.stateDir().ifPresent(dir -> props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString()));
        // Static membership: a restarted instance takes its tasks back without a rebalance.
        props.putAll(config.kafka().membership().consumerConfig());
        props.putAll(config.kafka().kafkaOverrides());
        return props;
    }

    private static void provisionTopics(KafkaSettings kafka) throws InterruptedException {
        TopicNames names = kafka.topics();
        List<TopicSpec> needed = List.of(new TopicSpec(names.subscriptions(), true), new TopicSpec(names.attempts(), false),
                new TopicSpec(names.deadLetters(), false), new TopicSpec(names.callEvents(), false),
                new TopicSpec(names.outbound(), false));
        try (Admin admin = Admin.create(kafka.clientConfig(Map.of()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(kafka.layout(), needed);
        }
    }

    private static Map<String, Schema> writtenSchemas(TopicNames names, String applicationId) {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put(names.subscriptions(), Subscription.getClassSchema());
        schemas.put(names.callEvents(), CallEvent.getClassSchema());
        schemas.put(names.outbound(), WebhookRequest.getClassSchema());
        schemas.put(applicationId + "-" + StatsTopology.STATS_STORE + "-changelog", SubscriptionStats.getClassSchema());
        return schemas;
    }

    public int port() {
        return server.actualPort();
    }

    /** Ready once the subscriptions are read and the counters are served. */
    public HealthStatus readiness() {
        if (!view.isCaughtUp()) {
            return HealthStatus.down("reading subscriptions");
        }
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.RUNNING ? HealthStatus.up() : HealthStatus.down("counters " + state);
    }

    @Override
    public void close() throws InterruptedException {
        server.close().await();
        client.close();
        streamsMetrics.close();
        // Leaves the group: a static member's partitions move to the other instances at once.
        if (!streams.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP).withTimeout(CLOSE_TIMEOUT))) {
            LOG.warn("Counters' Kafka Streams did not stop within {} s", CLOSE_TIMEOUT.toSeconds());
        }
        producer.close(CLOSE_TIMEOUT);
        view.close();
    }
}
