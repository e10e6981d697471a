package io.callhook.enricher.check;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Applies a {@link RecordCheck} to every record of an input topic. Records that break its rule
 * leave as dead letters naming the reason and the record's coordinates; the stream goes on.
 */
public final class CheckProcessor<V> implements Processor<String, V, String, Checked<V>> {

    private final RecordCheck<V> check;
    private ProcessorContext<String, Checked<V>> context;

    public CheckProcessor(RecordCheck<V> check) {
        this.check = check;
    }

    @Override
    public void init(ProcessorContext<String, Checked<V>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, V> record) {
        context.forward(record.withValue(check.check(record, context)));
    }
}
