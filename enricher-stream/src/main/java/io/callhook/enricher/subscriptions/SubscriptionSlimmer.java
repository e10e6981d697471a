package io.callhook.enricher.subscriptions;

import io.callhook.deadletter.DeadLetterReason;
import io.callhook.enricher.check.Checked;
import io.callhook.enricher.deadletter.DeadLetters;
import io.callhook.model.AccountSubscription;
import io.callhook.model.Subscription;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each checked subscription (key: subscription id; a tombstone deletes) into the
 * enricher's own {@link AccountSubscription}, keyed {@code accountId|subscriptionId}: only what
 * matching and rendering need, never the signing secrets, which the enricher does not use and
 * so must not copy into its topics and stores.
 *
 * <p>The subscription's account is remembered in a store (id → account), so that a tombstone,
 * which carries only the id, and a subscription moved to another account remove the record under
 * the old key. A subscription larger than {@link SubscriptionLimits#maxBytes()} is dead-lettered
 * naming it, and its earlier version removed: the enricher then sends it nothing, as the dead
 * letter says, instead of sending what it no longer is.
 */
public final class SubscriptionSlimmer implements Processor<String, Subscription, String, Checked<AccountSubscription>> {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionSlimmer.class);

    private final String accountsStore;
    private final int maxBytes;
    private final DeadLetters deadLetters;
    private ProcessorContext<String, Checked<AccountSubscription>> context;
    private KeyValueStore<String, Long> accounts;

    /** @param accountsStore store of subscription id → account id */
    public SubscriptionSlimmer(String accountsStore, int maxBytes, DeadLetters deadLetters) {
        this.accountsStore = accountsStore;
        this.maxBytes = maxBytes;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<String, Checked<AccountSubscription>> context) {
        this.context = context;
        this.accounts = context.getStateStore(accountsStore);
    }

    @Override
    public void process(Record<String, Subscription> record) {
        String id = record.key();
        Subscription subscription = record.value();
        Long previous = accounts.get(id);
        boolean moved = previous != null && (subscription == null || previous != subscription.getAccountId());
        if (moved) {
            context.forward(record.withKey(AccountKeys.of(previous, id)).withValue(new Checked.Passed<>(null)));
        }
        if (subscription == null) {
            accounts.delete(id);
            return;
        }
        AccountSubscription slim = slim(subscription);
        int size = sizeOf(slim);
        if (size > maxBytes) {
            refuseTooLarge(record, subscription, size, previous != null && !moved);
            return;
        }
        accounts.put(id, subscription.getAccountId());
        context.forward(record.withKey(AccountKeys.of(subscription.getAccountId(), id)).withValue(new Checked.Passed<>(slim)));
    }

    private void refuseTooLarge(Record<String, Subscription> record, Subscription subscription, int size, boolean held) {
        String id = subscription.getId();
        if (held) {
            context.forward(record.withKey(AccountKeys.of(subscription.getAccountId(), id)).withValue(new Checked.Passed<>(null)));
        }
        accounts.delete(id);
        RecordMetadata source = context.recordMetadata().orElseThrow();
        String reason = "subscription " + id + " of account " + subscription.getAccountId() + " takes " + size
                + " bytes without its secrets, more than the " + maxBytes + " the enricher holds"
                + " (callhook.enricher.max-subscription-bytes); it gets no webhooks until it is made smaller";
        LOG.warn("Subscription on {}-{} at offset {} refused: {}", source.topic(), source.partition(), source.offset(), reason);
        context.forward(record.withKey(id).withValue(new Checked.Failed<>(deadLetters.subscriptionRefused(
                DeadLetterReason.SUBSCRIPTION_TOO_LARGE, reason, id, subscription.getAccountId(),
                source.topic(), source.partition(), source.offset()))));
    }

    /** The subscription as the enricher keeps it: everything but the secrets and the bookkeeping. */
    static AccountSubscription slim(Subscription subscription) {
        return AccountSubscription.newBuilder()
                .setId(subscription.getId())
                .setAccountId(subscription.getAccountId())
                .setProduct(subscription.getProduct())
                .setUrl(subscription.getUrl())
                .setMethod(subscription.getMethod())
                .setFormat(subscription.getFormat())
                .setEvents(subscription.getEvents())
                .setRenames(subscription.getRenames())
                .setParams(subscription.getParams())
                .setHeaders(subscription.getHeaders())
                .setEnabled(subscription.getEnabled())
                .build();
    }

    private static int sizeOf(AccountSubscription slim) {
        try {
            return slim.toByteBuffer().remaining();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding to memory cannot fail", e);
        }
    }
}
