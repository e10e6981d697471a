package io.callhook.dispatcher.publish;

import io.callhook.model.DeadLetter;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.SourceCoordinates;
import io.callhook.model.WebhookRequest;
import io.callhook.topic.Topic;
import io.callhook.topic.Topics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Everything the dispatcher writes (never a subscription: the store owns that topic), each write
 * a future that completes once the broker has it (acks=all, idempotent): a delivery is finished,
 * and its offset may be committed, only when all of its writes completed.
 */
public final class Publisher implements AutoCloseable {

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

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

    /** The attempt record; if it can never be written, the same without its response excerpt. */
    public Write attemptWrite(DeliveryAttempt attempt) {
        Write full = Write.of("attempt " + attempt.getAttemptId(), () -> attempt(attempt));
        return full.orElse(failure -> Write.of("attempt " + attempt.getAttemptId() + " without its response excerpt",
                () -> attempt(SmallerRecords.withoutExcerpt(attempt))));
    }

    /** A retry; if it can never be written, the dead letter {@code instead} builds from the failure, and smaller ones after it. */
    public Write retryWrite(String tier, WebhookRequest request, Function<Throwable, DeadLetter> instead) {
        return Write.of("retry of webhook " + request.getWebhookId() + " to tier " + tier, () -> retry(tier, request))
                .orElse(failure -> deadLetterWrite(request.getSubscriptionId(), instead.apply(failure)));
    }

    /** A dead letter; if it can never be written, the same with less in it (see {@link SmallerRecords}). */
    public Write deadLetterWrite(String key, DeadLetter letter) {
        String what = "dead letter " + letter.getReasonCode() + " of " + describe(letter);
        return Write.of(what, () -> deadLetter(key, letter)).orElse(failure -> smaller(key, letter, what, failure));
    }

    private Write smaller(String key, DeadLetter letter, String what, Throwable failure) {
        String why = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        DeadLetter minimal = SmallerRecords.withoutContent(letter, why);
        Write last = Write.of(what + " without its content", () -> deadLetter(key, minimal));
        if (letter.getRequest() != null && SmallerRecords.hasExcerpts(letter.getRequest())) {
            DeadLetter slim = SmallerRecords.withSlimHistory(letter, why);
            return Write.of(what + " without response excerpts", () -> deadLetter(key, slim)).orElse(again -> last);
        }
        return last;
    }

    private static String describe(DeadLetter letter) {
        if (letter.getRequest() != null) {
            return "webhook " + letter.getRequest().getWebhookId();
        }
        SourceCoordinates source = letter.getSource();
        return source.getTopic() + "-" + source.getPartition() + " at offset " + source.getOffset();
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

    /**
     * Closes the producer, waiting at most {@link #CLOSE_WAIT} for writes still in flight: they
     * belong to deliveries whose offsets were not committed (a delivery's offset is committed only
     * once all of its writes landed), so a cut write is sent again by the next instance, not lost.
     * Unbounded, a close with the broker gone would wait for the producer's delivery timeout (2 min).
     */
    @Override
    public void close() {
        producer.close(CLOSE_WAIT);
    }
}
