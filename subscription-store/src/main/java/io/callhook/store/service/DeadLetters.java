package io.callhook.store.service;

import io.callhook.model.DeadLetter;
import io.callhook.model.WebhookRequest;
import io.callhook.service.kafka.DeadLetterReplayer;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.topic.Topics;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Replays a subscription's dead letters into delivery, for the API's replay action. */
public final class DeadLetters {

    private final KafkaSettings kafka;
    private final Topics topics;
    private final Producer<String, byte[]> producer;

    public DeadLetters(KafkaSettings kafka, Topics topics, Producer<String, byte[]> producer) {
        this.kafka = kafka;
        this.topics = topics;
        this.producer = producer;
    }

    /** @return how many webhooks went back to the outbound topic */
    public int replay(String subscriptionId, Instant from, Instant to) {
        try (KafkaConsumer<String, DeadLetter> consumer = new KafkaConsumer<>(kafka.clientConfig(Map.of(
                "isolation.level", "read_committed")), new StringDeserializer(), topics.deadLetters().valueSerde().deserializer())) {
            return new DeadLetterReplayer(consumer, topics.deadLetters().name(), this::outbound).replay(subscriptionId, from, to);
        }
    }

    private CompletableFuture<Void> outbound(WebhookRequest request) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        byte[] value = topics.outbound().valueSerde().serializer().serialize(topics.outbound().name(), request);
        producer.send(new ProducerRecord<>(topics.outbound().name(), request.getSubscriptionId(), value), (metadata, error) -> {
            if (error == null) {
                written.complete(null);
            } else {
                written.completeExceptionally(error);
            }
        });
        return written;
    }
}
