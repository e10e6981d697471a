package io.callhook.enricher.subscriptions;

import io.callhook.model.AccountSubscription;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global store of account subscriptions equal to its topic: every instance holds every
 * subscription, so calls are matched without being repartitioned. Each change drops the account
 * from the {@link AccountSubscriptionsCache} once the store has it. Also runs on restore.
 */
public final class AccountSubscriptionsUpdater implements Processor<String, AccountSubscription, Void, Void> {

    private final String storeName;
    private final AccountSubscriptionsCache cache;
    private KeyValueStore<String, AccountSubscription> store;

    public AccountSubscriptionsUpdater(String storeName, AccountSubscriptionsCache cache) {
        this.storeName = storeName;
        this.cache = cache;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, AccountSubscription> record) {
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        cache.invalidate(AccountKeys.accountOf(record.key()));
    }
}
