package io.callhook.store.service;

import io.callhook.domain.DeadLetterReplayer;
import io.callhook.domain.DeadLetterReplayer.ReplayResult;
import io.callhook.domain.DeadLetterReplayer.ReplayScope;
import io.callhook.domain.KafkaReplayLedger;
import io.callhook.domain.ReplayLedger;
import io.callhook.model.DeadLetter;
import io.callhook.model.DeadLetterReplay;
import io.callhook.model.WebhookRequest;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.topic.Topic;
import io.callhook.topic.Topics;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Replays a subscription's dead letters into delivery, for the API's replay jobs: each replay
 * reads with consumers of its own, and records what it sent in the replay ledger, so that no
 * dead letter is sent back twice.
 */
public final class ReplayRunner implements ReplayJobs.Runner {

    private final KafkaSettings kafka;
    private final Topics topics;
    private final Topic<String, DeadLetterReplay> ledgerTopic;
    private final Producer<String, byte[]> producer;
    private final ReplayLedger ledger;
    private final Clock clock;

    public ReplayRunner(KafkaSettings kafka, Topics topics, Topic<String, DeadLetterReplay> ledgerTopic,
                       Producer<String, byte[]> producer, Clock clock) {
        this.kafka = kafka;
        this.topics = topics;
        this.ledgerTopic = ledgerTopic;
        this.producer = producer;
        this.clock = clock;
        this.ledger = new KafkaReplayLedger(ledgerTopic.name(), () -> new KafkaConsumer<>(consumerConfig(),
                new StringDeserializer(), ledgerTopic.valueSerde().deserializer()), producer, ledgerTopic.valueSerde().serializer());
    }

    @Override
    public ReplayResult run(ReplayScope scope, String replayId) {
        try (KafkaConsumer<String, DeadLetter> consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(),
                topics.deadLetters().valueSerde().deserializer())) {
            return new DeadLetterReplayer(consumer, topics.deadLetters().name(), this::outbound, ledger, clock).replay(scope, replayId);
        }
    }

    private Map<String, Object> consumerConfig() {
        return kafka.clientConfig(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
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
