package io.callhook.bench;

import io.callhook.demo.Traffic;

import io.callhook.body.BodyOptions;
import io.callhook.body.EnrichedCall;
import io.callhook.body.Geo;
import io.callhook.body.WebhookBody;
import io.callhook.body.WebhookBodyRenderer;
import io.callhook.dispatcher.app.DispatcherApp;
import io.callhook.dispatcher.app.DispatcherConfig;
import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.http.PreparedRequest;
import io.callhook.dispatcher.http.SenderConfig;
import io.callhook.dispatcher.http.WebhookSender;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.dispatcher.signing.SigningResult;
import io.callhook.dispatcher.signing.WebhookSigner;
import io.callhook.model.CallEvent;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import io.callhook.net.AddressPolicy;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.TopicLayout;
import io.callhook.testkit.InProcessKafka;
import io.callhook.testkit.RegistryProcess;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery rate on a real broker and registry to a fast local receiver, from a pre-filled
 * outbound topic, next to two figures measured in the same run on the same bodies:
 *
 * <ol>
 *   <li>the limit: the same HTTP client signing and posting the same bodies to the same
 *       receiver with the same concurrency, without Kafka;</li>
 *   <li>what a team writes by hand: a synchronous consume-then-post loop.</li>
 * </ol>
 *
 * Usage: {@code DispatcherBenchmark [requests]}.
 */
public final class DispatcherBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(DispatcherBenchmark.class);
    private static final int SUBSCRIPTIONS = 50;
    private static final int PARTITIONS = 6;
    private static final int PLAIN_LOOP_REQUESTS = 3_000;

    private DispatcherBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        Path work = Files.createTempDirectory("dispatcher-bench");
        try (InProcessKafka kafka = InProcessKafka.start();
             RegistryProcess registry = RegistryProcess.start(null, work.resolve("registry.log"));
             CountingReceiver receiver = new CountingReceiver()) {
            RegistryConfig registryConfig = new RegistryConfig(registry.baseUrl(), true);
            TopicNames names = TopicNames.DEFAULTS;
            Topics topics = new Topics(names, new AvroSerdes(registryConfig));
            List<Subscription> subscriptions = new ArrayList<>();
            for (int s = 0; s < SUBSCRIPTIONS; s++) {
                subscriptions.add(Traffic.subscription("sub-" + s, 2L * s + 1, receiver.url("/hooks/" + s), Instant.now()));
            }
            List<WebhookRequest> bodies = requests(subscriptions, requests);
            prefill(kafka.bootstrapServers(), topics, subscriptions, bodies);
            int inFlight = SUBSCRIPTIONS * EngineConfig.DEFAULTS.inFlightPerEndpoint();

            double limit = rawClient(receiver, subscriptions, bodies, Math.min(inFlight, 512));
            double plain = plainLoop(kafka.bootstrapServers(), topics, receiver, subscriptions);
            double ours = dispatcher(kafka.bootstrapServers(), registryConfig, names, receiver, requests);

            System.out.printf("%nDelivery rate, %,d webhooks (%,d-byte JSON bodies) to %d subscriptions of one local receiver, "
                    + "%d cores, one in-process broker%n", requests, bodies.get(0).getBody().remaining(), SUBSCRIPTIONS,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("| variant | webhooks/s | dispatcher / variant |%n|---|---:|---:|%n");
            System.out.printf("| same HTTP client, same bodies, no Kafka (limit) | %,.0f | %.2f |%n", limit, ours / limit);
            System.out.printf("| synchronous consume-then-post loop (by hand) | %,.0f | %.1f |%n", plain, ours / plain);
            System.out.printf("| dispatcher (signed, at least once, offsets of finished work) | %,.0f | 1.00 |%n", ours);
        }
    }

    private static List<WebhookRequest> requests(List<Subscription> subscriptions, int count) {
        Traffic traffic = new Traffic(11, Instant.parse("2026-11-23T09:00:00Z"));
        List<WebhookRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Subscription subscription = subscriptions.get(i % subscriptions.size());
            CallEvent call = traffic.call(i + 1, subscription.getAccountId(), i % 2 == 1);
            byte[] body = WebhookBodyRenderer.render(WebhookBody.of(new EnrichedCall(call, traffic.visit("v" + i),
                    new Geo("RU", "Москва", "Москва", "Центральный федеральный округ"))), BodyOptions.DEFAULT, subscription.getUrl()).body();
            requests.add(WebhookRequest.newBuilder()
                    .setWebhookId("msg_bench_" + i).setSubscriptionId(subscription.getId()).setAccountId(subscription.getAccountId())
                    .setProduct(call.getProduct()).setCallId(call.getCallId()).setPhase(call.getPhase())
                    .setUrl(subscription.getUrl()).setMethod(subscription.getMethod()).setContentType(WebhookBodyRenderer.JSON)
                    .setHeaders(Map.of()).setBody(ByteBuffer.wrap(body))
                    .setEventTime(Instant.now()).setCreatedAt(Instant.now()).build());
        }
        return requests;
    }

    private static void prefill(String bootstrap, Topics topics, List<Subscription> subscriptions, List<WebhookRequest> requests)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topics.outbound().name(), PARTITIONS, (short) 1),
                    new NewTopic(topics.subscriptions().name(), PARTITIONS, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (Subscription subscription : subscriptions) {
                producer.send(new ProducerRecord<>(topics.subscriptions().name(), subscription.getId(),
                        topics.subscriptions().valueSerde().serializer().serialize(topics.subscriptions().name(), subscription)));
            }
            for (WebhookRequest request : requests) {
                producer.send(new ProducerRecord<>(topics.outbound().name(), request.getSubscriptionId(),
                        topics.outbound().valueSerde().serializer().serialize(topics.outbound().name(), request)));
            }
        }
        LOG.info("Pre-filled {} webhook requests", requests.size());
    }

    /** The limit: sign and post every body with the dispatcher's own HTTP client and concurrency, no Kafka at all. */
    private static double rawClient(CountingReceiver receiver, List<Subscription> subscriptions, List<WebhookRequest> requests,
                                    int concurrency) throws Exception {
        Vertx vertx = Vertx.vertx();
        WebhookSigner signer = new WebhookSigner();
        Map<String, Subscription> byId = new java.util.HashMap<>();
        subscriptions.forEach(s -> byId.put(s.getId(), s));
        try (WebhookSender sender = new WebhookSender(vertx, SenderConfig.defaults(), AddressPolicy.allowing("127.0.0.0/8"))) {
            receiver.expect(requests.size());
            AtomicInteger next = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(concurrency);
            // As many event loops as the dispatcher spreads its endpoints over.
            int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
            for (int loop = 0; loop < loops; loop++) {
                int share = concurrency / loops + (loop < concurrency % loops ? 1 : 0);
                vertx.getOrCreateContext().runOnContext(v -> {
                    for (int lane = 0; lane < share; lane++) {
                        sendNext(sender, signer, byId, requests, next, done);
                    }
                });
            }
            done.await();
            receiver.awaitAll(Duration.ofMinutes(5));
            double rate = receiver.ratePerSecond(0.1, 0.9);
            LOG.info("Raw client: {} requests/s", Math.round(rate));
            return rate;
        } finally {
            vertx.close().await();
        }
    }

    private static void sendNext(WebhookSender sender, WebhookSigner signer, Map<String, Subscription> subscriptions,
                                 List<WebhookRequest> requests, AtomicInteger next, CountDownLatch done) {
        int index = next.getAndIncrement();
        if (index >= requests.size()) {
            done.countDown();
            return;
        }
        sender.send(prepare(signer, subscriptions.get(requests.get(index).getSubscriptionId()), requests.get(index)))
                .onComplete(result -> sendNext(sender, signer, subscriptions, requests, next, done));
    }

    private static PreparedRequest prepare(WebhookSigner signer, Subscription subscription, WebhookRequest request) {
        byte[] body = new byte[request.getBody().remaining()];
        request.getBody().duplicate().get(body);
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Content-Type", request.getContentType());
        headers.put("User-Agent", SenderConfig.DEFAULT_USER_AGENT);
        headers.putAll(((SigningResult.Signed) signer.sign(request.getWebhookId(), Instant.now().getEpochSecond(), body,
                subscription.getSecrets())).headers().asMap());
        return new PreparedRequest(request.getMethod(), request.getUrl(), headers, body, Duration.ofSeconds(15));
    }

    /** What a team writes first: poll, post each record and wait for the answer, commit. */
    private static double plainLoop(String bootstrap, Topics topics, CountingReceiver receiver, List<Subscription> subscriptions)
            throws Exception {
        WebhookSigner signer = new WebhookSigner();
        Map<String, Subscription> byId = new java.util.HashMap<>();
        subscriptions.forEach(s -> byId.put(s.getId(), s));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        receiver.expect(PLAIN_LOOP_REQUESTS);
        int posted = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "plain-loop",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.outbound().name()));
            while (posted < PLAIN_LOOP_REQUESTS) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (posted == PLAIN_LOOP_REQUESTS) {
                        break;
                    }
                    WebhookRequest request = topics.outbound().valueSerde().deserializer().deserialize(record.topic(), record.value());
                    PreparedRequest prepared = prepare(signer, byId.get(request.getSubscriptionId()), request);
                    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(prepared.url())).timeout(Duration.ofSeconds(15))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(prepared.body()));
                    prepared.headers().forEach((name, value) -> {
                        if (!name.equalsIgnoreCase("User-Agent")) {
                            builder.header(name, value);
                        }
                    });
                    http.send(builder.build(), HttpResponse.BodyHandlers.discarding());
                    posted++;
                }
                consumer.commitSync();
            }
        }
        receiver.awaitAll(Duration.ofMinutes(1));
        double rate = receiver.ratePerSecond(0.1, 0.9);
        LOG.info("Plain loop: {} requests/s", Math.round(rate));
        return rate;
    }

    private static double dispatcher(String bootstrap, RegistryConfig registry, TopicNames names, CountingReceiver receiver,
                                     int requests) throws Exception {
        DispatcherConfig config = new DispatcherConfig(
                new KafkaSettings(bootstrap, registry, names, new TopicLayout(true, PARTITIONS, (short) -1), Map.of()),
                "bench-dispatcher", SenderConfig.defaults(), EngineConfig.DEFAULTS, RetrySchedule.DEFAULT, "127.0.0.1", 0);
        Vertx vertx = Vertx.vertx();
        receiver.expect(requests);
        try (DispatcherApp app = DispatcherApp.start(config, AddressPolicy.allowing("127.0.0.0/8"), vertx, new SimpleMeterRegistry())) {
            receiver.awaitAll(Duration.ofMinutes(10));
            double rate = receiver.ratePerSecond(0.1, 0.9);
            LOG.info("Dispatcher: {} webhooks/s", Math.round(rate));
            return rate;
        } finally {
            vertx.close().await();
        }
    }
}
