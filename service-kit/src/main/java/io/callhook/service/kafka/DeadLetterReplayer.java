package io.callhook.service.kafka;

import io.callhook.model.DeadLetter;
import io.callhook.model.WebhookRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends dead-lettered webhooks of one subscription back into delivery: every dead letter on
 * the topic (up to its end when the replay starts) that carries a request, belongs to the
 * subscription and died in {@code [from, to)} goes to the outbound topic again. Its attempt
 * history is kept (the attempt log stays whole) and its retry schedule starts over. The
 * receiver sees the same {@code webhook-id} as before.
 */
public final class DeadLetterReplayer {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplayer.class);

    private final Consumer<String, DeadLetter> consumer;
    private final String topic;
    private final Function<WebhookRequest, CompletableFuture<Void>> outbound;

    /**
     * @param consumer a consumer without group, used for this replay only
     * @param outbound writes a request to the outbound topic, completing once the broker has it
     */
    public DeadLetterReplayer(Consumer<String, DeadLetter> consumer, String topic,
                              Function<WebhookRequest, CompletableFuture<Void>> outbound) {
        this.consumer = consumer;
        this.topic = topic;
        this.outbound = outbound;
    }

    /** @return how many webhooks were sent back */
    public int replay(String subscriptionId, Instant from, Instant to) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            try {
                for (ConsumerRecord<String, DeadLetter> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))
                            && matches(record.value(), subscriptionId, from, to)) {
                        sent.add(outbound.apply(restart(record.value().getRequest())));
                    }
                }
            } catch (RecordDeserializationException e) {
                consumer.seek(e.topicPartition(), e.offset() + 1);
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        LOG.info("Replayed {} dead-lettered webhooks of subscription {} that died in [{}, {})", sent.size(), subscriptionId, from, to);
        return sent.size();
    }

    static boolean matches(DeadLetter letter, String subscriptionId, Instant from, Instant to) {
        return letter != null && letter.getRequest() != null && subscriptionId.equals(letter.getSubscriptionId())
                && !letter.getDeadAt().isBefore(from) && letter.getDeadAt().isBefore(to);
    }

    static WebhookRequest restart(WebhookRequest request) {
        return WebhookRequest.newBuilder(request).setNotBefore(null).setScheduleStart(request.getAttempts().size()).build();
    }
}
