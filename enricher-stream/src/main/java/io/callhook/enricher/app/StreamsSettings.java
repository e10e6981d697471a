package io.callhook.enricher.app;

import io.callhook.enricher.EnricherTopology;
import io.callhook.enricher.deadletter.DeadLetteringExceptionHandler;
import io.callhook.model.DeadLetter;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams properties of the enricher's two applications (see {@link EnricherTopology}),
 * the same for the app and its topology tests.
 */
public final class StreamsSettings {

    private StreamsSettings() {
    }

    /** The calls half: the configured application id and stream threads. */
    public static Properties properties(EnricherConfig config, Serializer<DeadLetter> deadLetterSerializer) {
        return properties(config, deadLetterSerializer, config.applicationId(), config.threads(), Map.of(
                StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, VisitsStoreRocksDb.class,
                VisitsStoreRocksDb.CACHE_MB, config.visitsCacheMb()));
    }

    /**
     * The tables half: one stream thread, which is plenty for subscription changes and visits,
     * under its own application id.
     */
    public static Properties tablesProperties(EnricherConfig config, Serializer<DeadLetter> deadLetterSerializer) {
        return properties(config, deadLetterSerializer, EnricherTopology.tablesApplicationId(config.applicationId()), 1, Map.of());
    }

    private static Properties properties(EnricherConfig config, Serializer<DeadLetter> deadLetterSerializer,
                                         String applicationId, int threads, Map<String, Object> ownSettings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        // One call event gives exactly one WebhookRequest per matching subscription, even across crashes.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        // Every task reads one partition (lookups are global stores), so there is nothing to align
        // between partitions: skip the idling check Kafka Streams otherwise makes before each record.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        config.stateDir().ifPresent(dir -> props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString()));
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringExceptionHandler.class);
        props.put(DeadLetteringExceptionHandler.TOPIC, config.topics().deadLetters());
        props.put(DeadLetteringExceptionHandler.SERIALIZER, deadLetterSerializer);
        props.put(DeadLetteringExceptionHandler.VALUES_WITHHELD_FROM, config.topics().subscriptions());
        // Webhooks carry their body, often a few KiB: batch and compress the outbound writes. Under
        // exactly-once nothing is read before its transaction commits, so lingering up to the commit
        // interval costs no latency and gives one batch per partition and commit instead of one per
        // few records (each new compressed batch allocates two 64 KiB buffers).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), config.commitInterval().toMillis());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Static membership: a restarted instance takes its tasks back without a rebalance.
        props.putAll(config.kafka().membership().consumerConfig());
        props.putAll(ownSettings);
        // Operators' kafka.* settings (security, tuning) come last and win.
        props.putAll(config.kafkaOverrides());
        return props;
    }
}
