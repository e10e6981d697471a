package io.callhook.enricher.fanout;

import io.callhook.enricher.check.Checked;
import io.callhook.enricher.deadletter.DeadLetters;
import io.callhook.enricher.subscriptions.AccountSubscriptionsTable;
import io.callhook.model.CallEvent;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Holds a test call ("send test webhook") until its target subscription has reached this
 * instance's subscription table. A customer adds a URL and presses the test button a moment
 * later; the subscription then travels through its own topics to the table and may not be there
 * yet when the test call arrives. Without this, such a test would silently go nowhere.
 *
 * <p>Held calls are kept in a store (so a restart keeps them) under their offset, so they leave in
 * the order they came: a call's STARTED before its ENDED. A test call for a target that still has
 * earlier calls held waits behind them, even if the target is known by now, so it cannot overtake
 * them. Held calls are looked at twice a second; one whose target is still unknown after
 * {@link #GIVE_UP_AFTER} is dead-lettered saying so. Every other call passes straight through.
 */
public final class TestCallHold implements Processor<String, CallEvent, String, Checked<CallEvent>> {

    public static final Duration GIVE_UP_AFTER = Duration.ofSeconds(60);
    static final Duration LOOK_EVERY = Duration.ofMillis(500);

    private final String pendingStore;
    private final String subscriptionsStore;
    private final DeadLetters deadLetters;
    private final String sourceTopic;
    private ProcessorContext<String, Checked<CallEvent>> context;
    private KeyValueStore<String, CallEvent> pending;
    private AccountSubscriptionsTable subscriptions;

    /** @param sourceTopic the call events topic, named in the dead letter of a test call given up on */
    public TestCallHold(String pendingStore, String subscriptionsStore, DeadLetters deadLetters, String sourceTopic) {
        this.pendingStore = pendingStore;
        this.subscriptionsStore = subscriptionsStore;
        this.deadLetters = deadLetters;
        this.sourceTopic = sourceTopic;
    }

    @Override
    public void init(ProcessorContext<String, Checked<CallEvent>> context) {
        this.context = context;
        this.pending = context.getStateStore(pendingStore);
        this.subscriptions = new AccountSubscriptionsTable(context.getStateStore(subscriptionsStore));
        context.schedule(LOOK_EVERY, PunctuationType.WALL_CLOCK_TIME, this::releaseOrExpire);
    }

    @Override
    public void process(Record<String, CallEvent> record) {
        CallEvent call = record.value();
        if (call.getTargetSubscriptionId() == null || (targetKnown(call) && !heldFor(call.getTargetSubscriptionId()))) {
            context.forward(record.withValue(new Checked.Passed<>(call)));
        } else {
            pending.put(arrivalKey(context.recordMetadata().orElseThrow().offset()), call);
        }
    }

    /** Zero-padded, so the store's key order is the order of arrival on this task's partition. */
    private static String arrivalKey(long offset) {
        return String.format("%019d", offset);
    }

    private boolean targetKnown(CallEvent call) {
        return subscriptions.contains(call.getAccountId(), call.getTargetSubscriptionId());
    }

    /** Whether an earlier test call for this target is still held (test calls are few: the store is small). */
    private boolean heldFor(String target) {
        try (KeyValueIterator<String, CallEvent> held = pending.all()) {
            while (held.hasNext()) {
                if (target.equals(held.next().value.getTargetSubscriptionId())) {
                    return true;
                }
            }
        }
        return false;
    }

    private void releaseOrExpire(long now) {
        // Targets with a call still held in this pass: later calls for them wait too, in case
        // their target reached the table while this pass ran.
        Set<String> stillHeld = new HashSet<>();
        try (KeyValueIterator<String, CallEvent> held = pending.all()) {
            while (held.hasNext()) {
                KeyValue<String, CallEvent> entry = held.next();
                CallEvent call = entry.value;
                String target = call.getTargetSubscriptionId();
                String key = Long.toString(call.getCallId());
                boolean known = targetKnown(call);
                if (known && !stillHeld.contains(target)) {
                    context.forward(new Record<>(key, new Checked.Passed<>(call), now));
                    pending.delete(entry.key);
                } else if (!known && now - call.getOccurredAt().toEpochMilli() > GIVE_UP_AFTER.toMillis()) {
                    // Punctuations have no current record: the held call's own offset is not known here.
                    context.forward(new Record<>(key, new Checked.Failed<>(deadLetters.invalid(sourceTopic, -1, -1,
                            "test call " + call.getCallId() + ": subscription " + target + " of account "
                                    + call.getAccountId() + " still unknown after " + GIVE_UP_AFTER.toSeconds() + " s")), now));
                    pending.delete(entry.key);
                } else {
                    stillHeld.add(target);
                }
            }
        }
    }
}
