package io.callhook.deploy;

import io.callhook.demo.Traffic;
import io.callhook.model.CallEvent;
import io.callhook.model.Subscription;
import io.callhook.testkit.Infra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What reaches a {@link Pipeline} from outside in the operator tests: subscriptions written to
 * their topic (and deleted), calls and visits, call events that fail the checks, and a
 * customer's "send test webhook" through the store's API.
 */
final class PipelineInput implements AutoCloseable {

    private final Pipeline pipeline;
    private final KafkaProducer<String, byte[]> producer;
    private final String bootstrapServers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    PipelineInput(Infra infra, Pipeline pipeline) {
        this.pipeline = pipeline;
        this.bootstrapServers = infra.bootstrapServers();
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
    }

    void subscribe(Subscription subscription) throws Exception {
        producer.send(new ProducerRecord<>(pipeline.names.subscriptions(), subscription.getId(),
                pipeline.topics.subscriptions().valueSerde().serializer()
                        .serialize(pipeline.names.subscriptions(), subscription))).get();
    }

    /** Deletes a subscription: its tombstone. */
    void delete(String subscriptionId) throws Exception {
        producer.send(new ProducerRecord<>(pipeline.names.subscriptions(), subscriptionId, null)).get();
    }

    /** Calls of the accounts in turn, one every {@code every}. */
    CallLoop startCalls(List<Long> accounts, Duration every, long firstCallId) {
        return CallLoop.start(producer, pipeline, accounts, every, firstCallId);
    }

    /**
     * Call events that decode but fail the enricher's checks (call id 0), as a broken producer
     * would write them. (Records that do not decode at all are dead-lettered too, but by Kafka
     * Streams' exception handler, which counts them in no metric yet.)
     */
    void invalidCallEvents(int count) throws Exception {
        Traffic traffic = new Traffic(13, Instant.now());
        for (int i = 0; i < count; i++) {
            CallEvent invalid = CallEvent.newBuilder(traffic.call(1, 41, false)).setEventId("evt-invalid-" + i).setCallId(0).build();
            producer.send(new ProducerRecord<>(pipeline.names.callEvents(), "0",
                    pipeline.topics.callEvents().valueSerde().serializer().serialize(pipeline.names.callEvents(), invalid))).get();
        }
    }

    /**
     * A backlog: {@code count} call events of an account without subscriptions, all on one
     * partition (one key), made visible at once: written in one transaction, which the enricher's
     * read-committed consumer sees only when it commits. Written plainly, a fast enricher read them
     * as they came and never fell 5,000 behind (the alert test failed so in CI once).
     */
    void callBacklog(long accountId, int count) {
        byte[] event = pipeline.topics.callEvents().valueSerde().serializer().serialize(pipeline.names.callEvents(),
                new Traffic(11, Instant.now()).call(1, accountId, false));
        try (KafkaProducer<String, byte[]> transactional = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "alerts-backlog-" + UUID.randomUUID(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer())) {
            transactional.initTransactions();
            transactional.beginTransaction();
            for (int i = 0; i < count; i++) {
                transactional.send(new ProducerRecord<>(pipeline.names.callEvents(), "backlog", event));
            }
            transactional.commitTransaction();
        }
    }

    /** "Send test webhook" on a subscription, through the store's API; fails unless it is accepted. */
    void testWebhook(String subscriptionId) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(pipeline.storeUrl + "/api/v1/subscriptions/" + subscriptionId + "/test"))
                .header("Authorization", "Bearer " + Pipeline.ADMIN_TOKEN)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("test webhook of " + subscriptionId + ": " + response.statusCode() + " " + response.body());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
