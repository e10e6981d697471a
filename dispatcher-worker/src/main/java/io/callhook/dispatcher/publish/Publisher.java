package io.callhook.dispatcher.publish;

import io.callhook.model.DeadLetter;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import io.callhook.topic.Topic;
import io.callhook.topic.Topics;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Everything the dispatcher writes, each write a future that completes once the broker has it
 * (acks=all, idempotent): a delivery is finished, and its offset may be committed, only when
 * all of its writes completed.
 */
public final class Publisher implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final Topics topics;

    public Publisher(Producer<String, byte[]> producer, Topics topics) {
        this.producer = producer;
        this.topics = topics;
    }

    public CompletableFuture<Void> attempt(DeliveryAttempt attempt) {
        return send(topics.attempts(), attempt.getSubscriptionId(), attempt);
    }

    public CompletableFuture<Void> retry(String tier, WebhookRequest request) {
        return send(topics.retryTier(tier), request.getSubscriptionId(), request);
    }

    public CompletableFuture<Void> outbound(WebhookRequest request) {
        return send(topics.outbound(), request.getSubscriptionId(), request);
    }

    public CompletableFuture<Void> deadLetter(String key, DeadLetter letter) {
        return send(topics.deadLetters(), key, letter);
    }

    public CompletableFuture<Void> subscription(Subscription subscription) {
        return send(topics.subscriptions(), subscription.getId(), subscription);
    }

    private <V> CompletableFuture<Void> send(Topic<String, V> topic, String key, V value) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        try {
            byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
            producer.send(new ProducerRecord<>(topic.name(), key, bytes), (metadata, error) -> {
                if (error == null) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            written.completeExceptionally(e);
        }
        return written;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
