package io.callhook.enricher.subscriptions;

import io.callhook.model.AccountSubscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the global store of account subscriptions (kept by {@link AccountSubscriptionsUpdater}):
 * an account's subscriptions are the key range {@link AccountKeys#prefix}, in subscription id
 * order.
 */
public final class AccountSubscriptionsTable {

    private static final StringSerializer KEYS = new StringSerializer();

    private final ReadOnlyKeyValueStore<String, AccountSubscription> store;

    public AccountSubscriptionsTable(ReadOnlyKeyValueStore<String, AccountSubscription> store) {
        this.store = store;
    }

    public List<AccountSubscription> of(long accountId) {
        List<AccountSubscription> subscriptions = new ArrayList<>();
        try (KeyValueIterator<String, AccountSubscription> range = store.prefixScan(AccountKeys.prefix(accountId), KEYS)) {
            range.forEachRemaining(entry -> subscriptions.add(entry.value));
        }
        return subscriptions;
    }

    /** The subscription as this table holds it now, if it does. */
    public Optional<AccountSubscription> find(long accountId, String subscriptionId) {
        return Optional.ofNullable(store.get(AccountKeys.of(accountId, subscriptionId)));
    }
}
