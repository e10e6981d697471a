package io.callhook.enricher.check;

import io.callhook.body.Validated;
import io.callhook.enricher.deadletter.DeadLetters;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link RecordRule} to a record read from an input topic: its value passes on, or it
 * becomes a dead letter naming the reason and the record's coordinates (logged once, at WARN).
 */
public final class RecordCheck<V> {

    private static final Logger LOG = LoggerFactory.getLogger(RecordCheck.class);

    private final RecordRule<V> rule;
    private final boolean tombstonesPass;
    private final DeadLetters deadLetters;

    /**
     * @param tombstonesPass whether a null value is a legitimate delete (compacted tables) or a
     *                       malformed record (event streams)
     */
    public RecordCheck(RecordRule<V> rule, boolean tombstonesPass, DeadLetters deadLetters) {
        this.rule = rule;
        this.tombstonesPass = tombstonesPass;
        this.deadLetters = deadLetters;
    }

    /** @param context the context of the processor reading the record, for its coordinates */
    public Checked<V> check(Record<String, V> record, ProcessorContext<?, ?> context) {
        if (record.value() == null) {
            return tombstonesPass ? new Checked.Passed<>(null) : fail(record, context, "record has no value");
        }
        Validated<V> result = rule.check(record.key(), record.value());
        if (result instanceof Validated.Invalid<V> invalid) {
            return fail(record, context, String.join("; ", invalid.errors()));
        }
        return new Checked.Passed<>(((Validated.Valid<V>) result).value());
    }

    private Checked<V> fail(Record<String, V> record, ProcessorContext<?, ?> context, String reason) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        LOG.warn("Invalid record on {}-{} at offset {} (key {}) dead-lettered: {}",
                source.topic(), source.partition(), source.offset(), record.key(), reason);
        return new Checked.Failed<>(deadLetters.invalid(source.topic(), source.partition(), source.offset(), reason));
    }
}
