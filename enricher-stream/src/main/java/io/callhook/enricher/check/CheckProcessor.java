package io.callhook.enricher.check;

import io.callhook.body.Validated;
import io.callhook.enricher.deadletter.DeadLetters;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link RecordRule} to every record of an input topic. Records that break it leave as
 * dead letters naming the reason and the record's coordinates; the stream goes on.
 */
public final class CheckProcessor<V> implements Processor<String, V, String, Checked<V>> {

    private static final Logger LOG = LoggerFactory.getLogger(CheckProcessor.class);

    private final RecordRule<V> rule;
    private final boolean tombstonesPass;
    private final DeadLetters deadLetters;
    private ProcessorContext<String, Checked<V>> context;

    /**
     * @param tombstonesPass whether a null value is a legitimate delete (compacted tables) or a
     *                       malformed record (event streams)
     */
    public CheckProcessor(RecordRule<V> rule, boolean tombstonesPass, DeadLetters deadLetters) {
        this.rule = rule;
        this.tombstonesPass = tombstonesPass;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<String, Checked<V>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, V> record) {
        if (record.value() == null) {
            if (tombstonesPass) {
                context.forward(record.withValue(new Checked.Passed<>(null)));
            } else {
                fail(record, "record has no value");
            }
            return;
        }
        Validated<V> result = rule.check(record.key(), record.value());
        if (result instanceof Validated.Valid<V> valid) {
            context.forward(record.withValue(new Checked.Passed<>(valid.value())));
        } else if (result instanceof Validated.Invalid<V> invalid) {
            fail(record, String.join("; ", invalid.errors()));
        }
    }

    private void fail(Record<String, V> record, String reason) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        LOG.warn("Invalid record on {}-{} at offset {} (key {}) dead-lettered: {}",
                source.topic(), source.partition(), source.offset(), record.key(), reason);
        context.forward(record.withValue(new Checked.Failed<>(
                deadLetters.invalid(source.topic(), source.partition(), source.offset(), reason))));
    }
}
