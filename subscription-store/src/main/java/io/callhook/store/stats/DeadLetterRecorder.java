package io.callhook.store.stats;

import io.callhook.model.DeadLetter;
import io.callhook.model.DeadLetterSummary;
import io.callhook.model.SubscriptionStats;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a subscription's latest dead letters for the customer to see (and replay). Dead
 * letters of records that never became a webhook (undecodable calls, invalid subscriptions)
 * belong to no subscription and are left out.
 */
final class DeadLetterRecorder implements Processor<String, DeadLetter, Void, Void> {

    private final InputHealth health;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, SubscriptionStats> stats;

    DeadLetterRecorder(InputHealth health) {
        this.health = health;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        stats = context.getStateStore(StatsTopology.STATS_STORE);
    }

    @Override
    public void process(Record<String, DeadLetter> record) {
        record(record);
        context.recordMetadata().ifPresent(source -> health.counted(source.topic(), source.partition(), source.offset()));
    }

    private void record(Record<String, DeadLetter> record) {
        DeadLetter letter = record.value();
        if (letter == null || letter.getSubscriptionId() == null || letter.getRequest() == null
                || !letter.getSubscriptionId().equals(record.key())) {
            return;
        }
        String id = letter.getSubscriptionId();
        DeadLetterSummary summary = DeadLetterSummary.newBuilder()
                .setReasonCode(letter.getReasonCode())
                .setReason(letter.getReason())
                .setDeadAt(letter.getDeadAt())
                .setWebhookId(letter.getRequest().getWebhookId())
                .setCallId(letter.getRequest().getCallId())
                .setPhase(letter.getRequest().getPhase())
                .setAttempts(letter.getRequest().getAttempts().size())
                .build();
        SubscriptionStats current = stats.get(id);
        SubscriptionStats base = current == null ? Stats.empty(id) : current;
        stats.put(id, SubscriptionStats.newBuilder(base)
                .setRecentDeadLetters(Stats.prepend(summary, base.getRecentDeadLetters())).build());
    }
}
