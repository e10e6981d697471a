package io.callhook.enricher.deadletter;

import io.callhook.deadletter.DeadLetterReason;
import io.callhook.model.DeadLetter;
import io.callhook.serde.RegistryFailures;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' dead-letter hook (KIP-1034) writing our {@link DeadLetter} records: a record
 * that cannot be decoded, or whose processing throws, goes to the dead-letter topic with the
 * reason and its bytes as they were, in the same transaction as the task's other output, and
 * the task goes on. Failures of the infrastructure rather than of the record (the registry
 * unreachable, a broker timeout) are not dead-lettered: the thread fails and is replaced, and
 * the record is processed again from the last commit. Configured through the Streams properties {@link #TOPIC},
 * {@link #SERIALIZER} and {@link #VALUES_WITHHELD_FROM}.
 */
public final class DeadLetteringExceptionHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    /** Name of the dead-letter topic. */
    public static final String TOPIC = "callhook.dead-letter.topic";
    /** A {@code Serializer<DeadLetter>} instance (not a class name: it carries the registry client). */
    public static final String SERIALIZER = "callhook.dead-letter.serializer";
    /**
     * Comma-separated topics whose record values are not copied into dead letters: the
     * subscriptions topic, whose values carry signing secrets. The dead letter names the record's
     * coordinates, where it still is.
     */
    public static final String VALUES_WITHHELD_FROM = "callhook.dead-letter.values-withheld-from";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetteringExceptionHandler.class);

    private String topic;
    private Serializer<DeadLetter> serializer;
    private Set<String> valuesWithheldFrom = Set.of();
    private final DeadLetters deadLetters = new DeadLetters(Clock.systemUTC());

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        Object name = configs.get(TOPIC);
        Object instance = configs.get(SERIALIZER);
        if (!(name instanceof String) || ((String) name).isBlank()) {
            throw new IllegalArgumentException(TOPIC + " must name the dead-letter topic");
        }
        if (!(instance instanceof Serializer<?>)) {
            throw new IllegalArgumentException(SERIALIZER + " must be a Serializer<DeadLetter> instance");
        }
        this.topic = (String) name;
        this.serializer = (Serializer<DeadLetter>) instance;
        Object withheld = configs.get(VALUES_WITHHELD_FROM);
        if (withheld instanceof String topics && !topics.isBlank()) {
            this.valuesWithheldFrom = Set.of(topics.split(","));
        }
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        if (RegistryFailures.isInfrastructure(exception)) {
            LOG.warn("Record on {}-{} at offset {} not decoded for now ({}); the thread restarts and reads it again",
                    record.topic(), record.partition(), record.offset(), describe(exception));
            return DeserializationExceptionHandler.Response.fail();
        }
        LOG.warn("Undecodable record on {}-{} at offset {} dead-lettered: {}",
                record.topic(), record.partition(), record.offset(), describe(exception));
        DeadLetter letter = deadLetters.unreadable(DeadLetterReason.UNDECODABLE, describe(exception),
                record.topic(), record.partition(), record.offset(), record.key(), valueToKeep(record.topic(), record.value()));
        return DeserializationExceptionHandler.Response.resume(List.of(toRecord(record.key(), letter)));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception exception) {
        if (RegistryFailures.isInfrastructure(exception)) {
            // Not the record's fault (registry or broker unavailable): fail the thread so that it is
            // replaced and the record processed again, exactly once, from the last commit.
            LOG.warn("Processing in {} of the record on {}-{} at offset {} failed for now ({}); retrying",
                    context.processorNodeId(), context.topic(), context.partition(), context.offset(), describe(exception));
            return ProcessingExceptionHandler.Response.fail();
        }
        LOG.error("Processing failed in {} for the record on {}-{} at offset {}; dead-lettered",
                context.processorNodeId(), context.topic(), context.partition(), context.offset(), exception);
        DeadLetter letter = deadLetters.unreadable(DeadLetterReason.PROCESSING_ERROR,
                "in " + context.processorNodeId() + ": " + describe(exception),
                context.topic(), context.partition(), context.offset(), context.sourceRawKey(),
                valueToKeep(context.topic(), context.sourceRawValue()));
        return ProcessingExceptionHandler.Response.resume(List.of(toRecord(context.sourceRawKey(), letter)));
    }

    private byte[] valueToKeep(String sourceTopic, byte[] value) {
        return valuesWithheldFrom.contains(sourceTopic) ? null : value;
    }

    private ProducerRecord<byte[], byte[]> toRecord(byte[] key, DeadLetter letter) {
        return new ProducerRecord<>(topic, key, serializer.serialize(topic, letter));
    }

    private static String describe(Exception exception) {
        StringBuilder text = new StringBuilder(exception.getClass().getSimpleName()).append(": ").append(exception.getMessage());
        for (Throwable cause = exception.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" <- ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }
}
