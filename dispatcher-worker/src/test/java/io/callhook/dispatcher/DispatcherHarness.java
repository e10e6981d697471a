package io.callhook.dispatcher;

import io.callhook.body.QueryStrings;
import io.callhook.dispatcher.app.DispatcherApp;
import io.callhook.dispatcher.app.DispatcherConfig;
import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.http.SenderConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.model.BodyFormat;
import io.callhook.model.CallPhase;
import io.callhook.model.DeadLetter;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.HttpMethod;
import io.callhook.model.Product;
import io.callhook.model.SampleSubscriptions;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import io.callhook.net.AddressPolicy;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.TopicLayout;
import io.callhook.testkit.Infra;
import io.callhook.testkit.TopicTail;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * The dispatcher running in-process against the real broker and registry, on topics of its own
 * (a prefix per harness), with tails of what it writes. Tests play the enricher (writing
 * requests) and the subscription store (writing subscriptions).
 */
final class DispatcherHarness implements AutoCloseable {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    final TopicNames names;
    final Topics topics;
    final AvroSerdes serdes;
    final Vertx vertx = Vertx.vertx();
    /** The running dispatcher; replaced by {@link #restart()}. */
    volatile DispatcherApp app;
    final TopicTail<String, DeliveryAttempt> attempts;
    final TopicTail<String, DeadLetter> deadLetters;
    final TopicTail<String, Subscription> subscriptions;
    private final KafkaProducer<String, byte[]> producer;
    private final String bootstrapServers;
    private final DispatcherConfig config;
    private final AddressPolicy policy;
    private final MeterRegistry registry;

    private DispatcherHarness(Infra infra, String prefix, RetrySchedule schedule, AddressPolicy policy, Duration totalTimeout,
                              EngineConfig engine, MeterRegistry registry, Map<String, String> kafkaOverrides) throws Exception {
        this.names = TopicNames.DEFAULTS.withPrefix(prefix);
        this.bootstrapServers = infra.bootstrapServers();
        this.serdes = new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true));
        this.topics = new Topics(names, serdes);
        this.config = new DispatcherConfig(
                new KafkaSettings(infra.bootstrapServers(), new RegistryConfig(infra.registryBaseUrl(), true), names,
                        new TopicLayout(true, 3, (short) -1), kafkaOverrides),
                prefix + "dispatcher", SenderConfig.defaults().withTimeouts(Duration.ofSeconds(1), totalTimeout), engine, schedule,
                "127.0.0.1", 0);
        this.policy = policy;
        this.registry = registry;
        this.app = DispatcherApp.start(config, policy, vertx, registry);
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new ByteArraySerializer());
        this.attempts = new TopicTail<>(infra.bootstrapServers(), names.attempts(), new StringDeserializer(),
                topics.attempts().valueSerde().deserializer());
        this.deadLetters = new TopicTail<>(infra.bootstrapServers(), names.deadLetters(), new StringDeserializer(),
                topics.deadLetters().valueSerde().deserializer());
        this.subscriptions = new TopicTail<>(infra.bootstrapServers(), names.subscriptions(), new StringDeserializer(),
                topics.subscriptions().valueSerde().deserializer());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> app.readiness().isUp());
    }

    static DispatcherHarness start(Infra infra, String prefix, RetrySchedule schedule, AddressPolicy policy,
                                   Duration totalTimeout, EngineConfig engine) throws Exception {
        return new DispatcherHarness(infra, prefix, schedule, policy, totalTimeout, engine, new SimpleMeterRegistry(), Map.of());
    }

    /** A harness whose dispatcher's Kafka clients get these settings too (e.g. shorter producer timeouts). */
    static DispatcherHarness start(Infra infra, String prefix, RetrySchedule schedule, AddressPolicy policy,
                                   Duration totalTimeout, EngineConfig engine, MeterRegistry registry,
                                   Map<String, String> kafkaOverrides) throws Exception {
        return new DispatcherHarness(infra, prefix, schedule, policy, totalTimeout, engine, registry, kafkaOverrides);
    }

    static DispatcherHarness start(Infra infra, String prefix, RetrySchedule schedule, AddressPolicy policy,
                                   Duration totalTimeout, EngineConfig engine, MeterRegistry registry) throws Exception {
        return new DispatcherHarness(infra, prefix, schedule, policy, totalTimeout, engine, registry, Map.of());
    }

    /** Stops the dispatcher (committing what it finished, as on a shutdown) and starts a new one in the same group. */
    void restart() throws Exception {
        app.close();
        app = DispatcherApp.start(config, policy, vertx, registry);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> app.readiness().isUp());
    }

    String groupId() {
        return config.groupId();
    }

    /** The dispatcher group's committed offsets on a topic, by partition (absent: none committed). */
    Map<Integer, Long> committedOffsets(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<Integer, Long> committed = new java.util.TreeMap<>();
            admin.listConsumerGroupOffsets(groupId()).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .forEach((partition, offset) -> {
                        if (partition.topic().equals(topic) && offset != null) {
                            committed.put(partition.partition(), offset.offset());
                        }
                    });
            return committed;
        }
    }

    /** The end offset of one partition of a topic. */
    long endOffset(String topic, int partition) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            TopicPartition tp = new TopicPartition(topic, partition);
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(10, TimeUnit.SECONDS).offset();
        }
    }

    /** The partition of the outbound topic (and every topic of the same size) a subscription's records go to. */
    static int partitionOf(String subscriptionId) {
        return org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(subscriptionId.getBytes(StandardCharsets.UTF_8))) % 3;
    }

    /** Writes a subscription straight to the topic, as another producer might, without waiting for the dispatcher. */
    void writeSubscription(Subscription subscription) throws Exception {
        send(names.subscriptions(), subscription.getId(), topics.subscriptions().valueSerde().serializer()
                .serialize(names.subscriptions(), subscription));
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Writes the subscription and waits until the dispatcher knows it. */
    void subscribe(Subscription subscription) throws Exception {
        send(names.subscriptions(), subscription.getId(), topics.subscriptions().valueSerde().serializer()
                .serialize(names.subscriptions(), subscription));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> app.knows(subscription.getId()));
    }

    void delete(String subscriptionId) throws Exception {
        send(names.subscriptions(), subscriptionId, null);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !app.knows(subscriptionId));
    }

    void publish(WebhookRequest request) throws Exception {
        send(names.outbound(), request.getSubscriptionId(),
                topics.outbound().valueSerde().serializer().serialize(names.outbound(), request));
    }

    /** Writes many requests without waiting for each, then waits for all. */
    void publishAll(List<WebhookRequest> requests) {
        publishEncoded(encode(requests));
    }

    /** Outbound records of these requests, encoded ahead so that timing {@link #publishEncoded} leaves encoding out. */
    List<ProducerRecord<String, byte[]>> encode(List<WebhookRequest> requests) {
        return requests.stream().map(request -> new ProducerRecord<>(names.outbound(), request.getSubscriptionId(),
                topics.outbound().valueSerde().serializer().serialize(names.outbound(), request))).toList();
    }

    void publishEncoded(List<ProducerRecord<String, byte[]>> records) {
        records.forEach(producer::send);
        producer.flush();
    }

    private void send(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
    }

    List<DeliveryAttempt> attemptsOf(String webhookId) {
        return attempts.values().stream().filter(a -> a.getWebhookId().equals(webhookId)).toList();
    }

    static Subscription subscription(String id, String url) {
        Instant now = Instant.now();
        return SampleSubscriptions.of(id, 1, Product.CALLKEEPER, url, SECRET, now).setHeaders(Map.of("X-Customer", "acme")).build();
    }

    static WebhookRequest request(String webhookId, Subscription subscription, long callId) {
        Instant now = Instant.now();
        String body = "{\"id\":" + callId + ",\"hook_event\":\"Call is over\",\"city\":\"Москва\"}";
        return WebhookRequest.newBuilder()
                .setWebhookId(webhookId).setSubscriptionId(subscription.getId()).setAccountId(subscription.getAccountId())
                .setProduct(Product.CALLKEEPER).setCallId(callId).setPhase(CallPhase.ENDED)
                .setUrl(subscription.getUrl()).setMethod(HttpMethod.POST).setContentType("application/json")
                .setHeaders(subscription.getHeaders())
                .setBody(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)))
                .setEventTime(now).setCreatedAt(now)
                .build();
    }

    /** A Calltracking subscription sent with GET (only Calltracking ones can be). */
    static Subscription getSubscription(String id, String url) {
        return Subscription.newBuilder(subscription(id, url)).setProduct(Product.CALLTRACKING)
                .setMethod(HttpMethod.GET).setFormat(BodyFormat.FORM).build();
    }

    /**
     * A GET webhook as the enricher renders it: no body, the pairs in the URL's query and, from
     * WebhookRequest v3 on, apart in {@code query}; without it ({@code v3} false), as written before.
     */
    static WebhookRequest getRequest(String webhookId, Subscription subscription, String pairs, boolean v3) {
        return WebhookRequest.newBuilder(request(webhookId, subscription, 1001))
                .setMethod(HttpMethod.GET).setContentType(null).setBody(ByteBuffer.allocate(0))
                .setUrl(QueryStrings.withPairs(subscription.getUrl(), pairs))
                .setQuery(v3 ? pairs : null)
                .build();
    }

    @Override
    public void close() throws Exception {
        attempts.close();
        deadLetters.close();
        subscriptions.close();
        producer.close();
        app.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
