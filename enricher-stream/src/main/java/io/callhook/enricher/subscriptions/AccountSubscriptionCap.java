package io.callhook.enricher.subscriptions;

import io.callhook.deadletter.DeadLetterReason;
import io.callhook.enricher.check.Checked;
import io.callhook.enricher.deadletter.DeadLetters;
import io.callhook.model.AccountSubscription;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds at most {@link SubscriptionLimits#maxPerAccount()} subscriptions of one account. The
 * records arrive partitioned by account ({@link AccountPartitioner}), so this task sees all of an
 * account's subscriptions, in order, and counts them exactly in its store (keys
 * {@code accountId|subscriptionId}; the value is only a marker). A subscription already held is
 * always updated; a new one past the cap is dead-lettered naming it and the account, and is held
 * once it is written again with room for it (the subscription store's own cap keeps an account
 * below this one).
 */
public final class AccountSubscriptionCap
        implements Processor<String, AccountSubscription, String, Checked<AccountSubscription>> {

    private static final Logger LOG = LoggerFactory.getLogger(AccountSubscriptionCap.class);
    private static final StringSerializer KEYS = new StringSerializer();

    private final String heldStore;
    private final int maxPerAccount;
    private final DeadLetters deadLetters;
    private ProcessorContext<String, Checked<AccountSubscription>> context;
    private KeyValueStore<String, Integer> held;

    public AccountSubscriptionCap(String heldStore, int maxPerAccount, DeadLetters deadLetters) {
        this.heldStore = heldStore;
        this.maxPerAccount = maxPerAccount;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<String, Checked<AccountSubscription>> context) {
        this.context = context;
        this.held = context.getStateStore(heldStore);
    }

    @Override
    public void process(Record<String, AccountSubscription> record) {
        String key = record.key();
        AccountSubscription subscription = record.value();
        if (subscription == null) {
            held.delete(key);
            context.forward(record.withValue(new Checked.Passed<>(null)));
        } else if (held.get(key) != null || countUpTo(AccountKeys.prefix(subscription.getAccountId()), maxPerAccount) < maxPerAccount) {
            held.put(key, 1);
            context.forward(record.withValue(new Checked.Passed<>(subscription)));
        } else {
            refuse(record, subscription);
        }
    }

    private int countUpTo(String prefix, int limit) {
        int count = 0;
        try (KeyValueIterator<String, Integer> keys = held.prefixScan(prefix, KEYS)) {
            while (count < limit && keys.hasNext()) {
                keys.next();
                count++;
            }
        }
        return count;
    }

    private void refuse(Record<String, AccountSubscription> record, AccountSubscription subscription) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        String reason = "subscription " + subscription.getId() + " of account " + subscription.getAccountId()
                + " refused: the account already has " + maxPerAccount + " subscriptions, the most the enricher holds"
                + " (callhook.enricher.max-subscriptions-per-account); it gets no webhooks until it is written again"
                + " after another is deleted";
        LOG.warn("Subscription on {}-{} at offset {} refused: {}", source.topic(), source.partition(), source.offset(), reason);
        context.forward(record.withKey(subscription.getId()).withValue(new Checked.Failed<>(deadLetters.subscriptionRefused(
                DeadLetterReason.TOO_MANY_SUBSCRIPTIONS, reason, subscription.getId(), subscription.getAccountId(),
                source.topic(), source.partition(), source.offset()))));
    }
}
