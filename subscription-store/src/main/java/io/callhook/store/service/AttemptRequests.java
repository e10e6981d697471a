package io.callhook.store.service;

import io.callhook.model.DeliveryAttempt;
import io.callhook.model.SourceCoordinates;
import io.callhook.model.WebhookRequest;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The request an attempt sent, read back from where the dispatcher read it (the outbound topic or
 * a retry tier, named by the attempt), and sent again on a customer's request. Only a request of
 * the attempt's own subscription is ever shown or sent: the coordinates come from our own record,
 * and what is read there is checked against it.
 */
public final class AttemptRequests {

    /** How long one read waits for the broker. */
    static final Duration READ_WITHIN = Duration.ofSeconds(5);
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Deserializer<WebhookRequest> requests;
    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final java.security.SecureRandom random = new java.security.SecureRandom();

    public AttemptRequests(KafkaSettings kafka, Topics topics, Producer<String, byte[]> producer) {
        this(() -> new KafkaConsumer<>(kafka.clientConfig(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1)),
                        new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                topics, producer);
    }

    AttemptRequests(Supplier<Consumer<byte[], byte[]>> consumers, Topics topics, Producer<String, byte[]> producer) {
        this.consumers = consumers;
        this.topics = topics;
        this.producer = producer;
        this.requests = topics.outbound().valueSerde().deserializer();
    }

    /** What reading an attempt's request found. */
    public sealed interface Found {
        record Request(WebhookRequest request) implements Found {
        }

        /** The attempt names no request (written before attempts did), or the topic no longer keeps it. */
        record Gone(String why) implements Found {
        }
    }

    /** The request the attempt sent. Blocks up to {@link #READ_WITHIN}: call it off the event loop. */
    public Found read(DeliveryAttempt attempt) {
        SourceCoordinates at = attempt.getRequest();
        if (at == null) {
            return new Found.Gone("the attempt was recorded before attempts named their request");
        }
        if (!topics.holdsRequests(at.getTopic())) {
            return new Found.Gone("the attempt names no request topic");
        }
        TopicPartition partition = new TopicPartition(at.getTopic(), at.getPartition());
        try (Consumer<byte[], byte[]> consumer = consumers.get()) {
            consumer.assign(List.of(partition));
            Long earliest = consumer.beginningOffsets(List.of(partition), READ_WITHIN).get(partition);
            if (earliest != null && earliest > at.getOffset()) {
                return new Found.Gone("the request is no longer kept (" + at.getTopic() + " keeps its records for a limited time)");
            }
            consumer.seek(partition, at.getOffset());
            long deadline = System.nanoTime() + READ_WITHIN.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500)).records(partition)) {
                    if (record.offset() != at.getOffset()) {
                        // A transaction's marker or an aborted record took its place: not the one sent.
                        return new Found.Gone("the request is no longer kept");
                    }
                    WebhookRequest request = requests.deserialize(record.topic(), record.value());
                    if (request == null || !request.getWebhookId().equals(attempt.getWebhookId())
                            || !request.getSubscriptionId().equals(attempt.getSubscriptionId())) {
                        return new Found.Gone("the record at the attempt's place is not its request");
                    }
                    return new Found.Request(request);
                }
            }
            throw new IllegalStateException("reading " + at.getTopic() + "-" + at.getPartition() + " at " + at.getOffset()
                    + " took longer than " + READ_WITHIN.toSeconds() + " s");
        }
    }

    /**
     * Sends the request again: the same webhook (same {@code webhook-id}, body and headers) to the
     * subscription's current URL, with attempts of its own ({@code resendId}) and a fresh retry
     * schedule. Blocks until the broker has it.
     *
     * @return the resend's id, part of its attempts' ids
     */
    public String resend(WebhookRequest sent, Instant now) throws InterruptedException, ExecutionException, TimeoutException {
        byte[] id = new byte[6];
        random.nextBytes(id);
        String resendId = "resend_" + HexFormat.of().formatHex(id);
        WebhookRequest again = WebhookRequest.newBuilder(sent).setResendId(resendId).setNotBefore(null)
                .setScheduleStart(sent.getAttempts().size()).setCreatedAt(now).build();
        byte[] value = topics.outbound().valueSerde().serializer().serialize(topics.outbound().name(), again);
        producer.send(new ProducerRecord<>(topics.outbound().name(), again.getSubscriptionId(), value))
                .get(READ_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        return resendId;
    }
}
