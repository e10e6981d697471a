package io.callhook.store.stats;

import io.callhook.deadletter.DeadLetterReason;
import io.callhook.model.DeadLetter;
import io.callhook.model.SourceCoordinates;
import io.callhook.serde.RegistryFailures;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
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
 * What the counters do with an input record they cannot use (Kafka Streams' handlers, KIP-1034):
 * <ul>
 *   <li>an attempt that cannot be decoded, or whose counting throws, goes to the dead-letter topic
 *       with its coordinates and bytes (in the task's transaction), and counting goes on;</li>
 *   <li>an undecodable record of the dead-letter topic itself is logged and stepped over: writing
 *       it back to the topic it came from would only copy it;</li>
 *   <li>a failure of the infrastructure (the registry unreachable, a broker timeout) is not the
 *       record's fault: {@link InputHealth} holds readiness down, the thread fails and is replaced
 *       after a pause, and the record is read again from the last commit, until it can be counted.</li>
 * </ul>
 * Configured through the Streams properties {@link #DEAD_LETTER_TOPIC}, {@link #DEAD_LETTER_SERIALIZER}
 * and {@link #HEALTH}.
 */
public final class StatsInputErrors implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    public static final String DEAD_LETTER_TOPIC = "callhook.store.dead-letter.topic";
    /** A {@code Serializer<DeadLetter>} instance (it carries the registry client). */
    public static final String DEAD_LETTER_SERIALIZER = "callhook.store.dead-letter.serializer";
    /** The {@link InputHealth} instance readiness reads. */
    public static final String HEALTH = "callhook.store.input-health";

    private static final Logger LOG = LoggerFactory.getLogger(StatsInputErrors.class);

    private final Clock clock = Clock.systemUTC();
    private String deadLetterTopic;
    private Serializer<DeadLetter> serializer;
    private InputHealth health;

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        if (!(configs.get(DEAD_LETTER_TOPIC) instanceof String topic) || topic.isBlank()) {
            throw new IllegalArgumentException(DEAD_LETTER_TOPIC + " must name the dead-letter topic");
        }
        if (!(configs.get(DEAD_LETTER_SERIALIZER) instanceof Serializer<?> instance)) {
            throw new IllegalArgumentException(DEAD_LETTER_SERIALIZER + " must be a Serializer<DeadLetter> instance");
        }
        if (!(configs.get(HEALTH) instanceof InputHealth inputHealth)) {
            throw new IllegalArgumentException(HEALTH + " must be an InputHealth instance");
        }
        this.deadLetterTopic = topic;
        this.serializer = (Serializer<DeadLetter>) instance;
        this.health = inputHealth;
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        if (RegistryFailures.isInfrastructure(exception)) {
            waitFor(record.topic(), record.partition(), record.offset(), exception);
            return DeserializationExceptionHandler.Response.fail();
        }
        if (record.topic().equals(deadLetterTopic)) {
            LOG.warn("Undecodable record on {}-{} at offset {} stepped over (it is on the dead-letter topic already): {}",
                    record.topic(), record.partition(), record.offset(), describe(exception));
            return DeserializationExceptionHandler.Response.resume();
        }
        LOG.warn("Undecodable record on {}-{} at offset {} dead-lettered: {}", record.topic(), record.partition(), record.offset(),
                describe(exception));
        return DeserializationExceptionHandler.Response.resume(List.of(deadLetter(DeadLetterReason.UNDECODABLE, describe(exception), record.topic(),
                record.partition(), record.offset(), record.key(), record.value())));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (RegistryFailures.isInfrastructure(exception)) {
            waitFor(context.topic(), context.partition(), context.offset(), exception);
            return ProcessingExceptionHandler.Response.fail();
        }
        LOG.error("Counting the record on {}-{} at offset {} failed in {}; dead-lettered", context.topic(), context.partition(),
                context.offset(), context.processorNodeId(), exception);
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(DeadLetterReason.PROCESSING_ERROR,
                "in " + context.processorNodeId() + ": " + describe(exception), context.topic(), context.partition(),
                context.offset(), context.sourceRawKey(), context.sourceRawValue())));
    }

    private void waitFor(String topic, int partition, long offset, Exception exception) {
        LOG.warn("Record on {}-{} at offset {} not counted for now ({}); the thread restarts and reads it again",
                topic, partition, offset, describe(exception));
        health.waitingFor(topic, partition, offset, describe(exception));
    }

    private ProducerRecord<byte[], byte[]> deadLetter(DeadLetterReason code, String reason, String topic, int partition, long offset,
                                                      byte[] rawKey, byte[] rawValue) {
        DeadLetter letter = DeadLetter.newBuilder()
                .setReasonCode(code.code())
                .setReason(DeadLetterReason.text(reason))
                .setSource(new SourceCoordinates(topic, partition, offset))
                .setDeadAt(clock.instant())
                .setRawKey(rawKey == null ? null : ByteBuffer.wrap(rawKey))
                .setRawValue(rawValue == null ? null : ByteBuffer.wrap(rawValue))
                .build();
        return new ProducerRecord<>(deadLetterTopic, null, letter.getDeadAt().toEpochMilli(), rawKey,
                serializer.serialize(deadLetterTopic, letter));
    }

    private static String describe(Exception exception) {
        StringBuilder text = new StringBuilder(exception.getClass().getSimpleName()).append(": ").append(exception.getMessage());
        for (Throwable cause = exception.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" <- ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }
}
