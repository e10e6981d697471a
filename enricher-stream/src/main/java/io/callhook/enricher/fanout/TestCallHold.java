package io.callhook.enricher.fanout;

import io.callhook.enricher.deadletter.DeadLetters;
import io.callhook.enricher.subscriptions.AccountSubscriptionsTable;
import io.callhook.model.CallEvent;
import io.callhook.model.DeadLetter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Holds a test call ("send test webhook") until its target subscription has reached this
 * instance's subscription table, in a version that takes the call's event. A customer adds a URL,
 * or changes which events it takes, and presses the test button a moment later; the subscription
 * then travels through its own topics to the table and may not be there yet when the test call
 * arrives. Without this, such a test would silently go nowhere.
 *
 * <p>Held calls are kept in a store (so a restart keeps them) under their offset, so they leave in
 * the order they came: a call's STARTED before its ENDED. A test call for a target that still has
 * earlier calls held waits behind them, even if the target is known by now, so it cannot overtake
 * them. {@link CallEnricher} looks at held calls twice a second while there are any; one whose
 * target is still unknown after {@link #GIVE_UP_AFTER} is dead-lettered saying so. Every other call
 * passes straight through.
 */
public final class TestCallHold {

    public static final Duration GIVE_UP_AFTER = Duration.ofSeconds(60);
    static final Duration LOOK_EVERY = Duration.ofMillis(500);

    private final KeyValueStore<String, CallEvent> pending;
    private final AccountSubscriptionsTable subscriptions;
    private final DeadLetters deadLetters;
    private final String sourceTopic;

    /** @param sourceTopic the call events topic, named in the dead letter of a test call given up on */
    public TestCallHold(KeyValueStore<String, CallEvent> pending, AccountSubscriptionsTable subscriptions,
                        DeadLetters deadLetters, String sourceTopic) {
        this.pending = pending;
        this.subscriptions = subscriptions;
        this.deadLetters = deadLetters;
        this.sourceTopic = sourceTopic;
    }

    /**
     * Whether the call waits, and is then held: a test call whose target is not in the table yet,
     * or that has earlier calls for its target held.
     *
     * @param offset the call's offset on its partition, which orders the held calls
     */
    public boolean holds(CallEvent call, long offset) {
        if (call.getTargetSubscriptionId() == null || (targetKnown(call) && !heldFor(call.getTargetSubscriptionId()))) {
            return false;
        }
        pending.put(arrivalKey(offset), call);
        return true;
    }

    /**
     * Releases, in the order they came, the held calls whose target is known, and gives up on
     * those whose target is still unknown after {@link #GIVE_UP_AFTER}.
     *
     * @param released each call that can go on
     * @param givenUp each call given up on, with its dead letter
     * @return whether calls are still held after this pass
     */
    public boolean releaseOrExpire(long now, Consumer<CallEvent> released, BiConsumer<CallEvent, DeadLetter> givenUp) {
        // Targets with a call still held in this pass: later calls for them wait too, in case
        // their target reached the table while this pass ran.
        Set<String> stillHeld = new HashSet<>();
        try (KeyValueIterator<String, CallEvent> held = pending.all()) {
            while (held.hasNext()) {
                KeyValue<String, CallEvent> entry = held.next();
                CallEvent call = entry.value;
                String target = call.getTargetSubscriptionId();
                boolean known = targetKnown(call);
                if (known && !stillHeld.contains(target)) {
                    pending.delete(entry.key);
                    released.accept(call);
                } else if (!known && now - call.getOccurredAt().toEpochMilli() > GIVE_UP_AFTER.toMillis()) {
                    pending.delete(entry.key);
                    // Punctuations have no current record: the held call's own offset is not known here.
                    givenUp.accept(call, deadLetters.invalid(sourceTopic, -1, -1, "test call " + call.getCallId()
                            + ": subscription " + target + " of account " + call.getAccountId() + " still unknown, or not"
                            + " taking its " + call.getPhase() + " event, after " + GIVE_UP_AFTER.toSeconds() + " s"));
                } else {
                    stillHeld.add(target);
                }
            }
        }
        // Every call kept added its target here.
        return !stillHeld.isEmpty();
    }

    /** Whether no call is held. */
    public boolean isEmpty() {
        try (KeyValueIterator<String, CallEvent> held = pending.all()) {
            return !held.hasNext();
        }
    }

    /** Zero-padded, so the store's key order is the order of arrival on this task's partition. */
    private static String arrivalKey(long offset) {
        return String.format("%019d", offset);
    }

    /**
     * Whether the table holds the target as a version that takes the call's event. The store sends
     * a test only with the events the subscription's current version takes, so a version here that
     * does not take it is one this table has not caught up with yet (the customer changed the events
     * and pressed the test button at once): the call waits for the change like for a new subscription.
     */
    private boolean targetKnown(CallEvent call) {
        return subscriptions.find(call.getAccountId(), call.getTargetSubscriptionId())
                .map(subscription -> SubscriptionMatcher.wants(subscription, call)).orElse(false);
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
}
