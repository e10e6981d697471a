package io.callhook.enricher.subscriptions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.callhook.body.BodyOptions;
import io.callhook.body.Validated;
import io.callhook.model.AccountSubscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decoded subscriptions of the accounts calls came for lately, each with its parsed body
 * options: a call then costs one map lookup instead of a prefix scan of the global store, an Avro
 * decode per subscription and a parse of its options. Shared by the stream threads of one
 * instance; {@link AccountSubscriptionsUpdater} drops an account as soon as any of its
 * subscriptions changes in the global store, so the next call reads it again.
 *
 * <p>A read of the store that overlaps a change is used for that call but not kept: a change
 * counter taken before the read must be unchanged once the read is in the cache. Without that, a
 * stream thread could put back what it read just before the change, after the change had dropped
 * the account, and the account would keep its old subscriptions until its next change. Bounded by
 * an estimate of the bytes held; the least recently used accounts go first.
 */
public final class AccountSubscriptionsCache {

    /** A subscription with its body options, parsed once when it is read. */
    public record Target(AccountSubscription subscription, BodyOptions options) {
    }

    /** About what the cache may hold, estimated from its strings. */
    static final long MAX_BYTES = 64L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(AccountSubscriptionsCache.class);

    private final Cache<Long, List<Target>> byAccount;
    private final AtomicLong changes = new AtomicLong();

    public AccountSubscriptionsCache() {
        this(MAX_BYTES);
    }

    AccountSubscriptionsCache(long maxBytes) {
        this.byAccount = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Long account, List<Target> targets) -> weightOf(targets))
                .build();
    }

    /**
     * The account's subscriptions, from the cache or else from {@code store} (and then cached).
     *
     * @param store reads the account's subscriptions from the global store
     */
    public List<Target> of(long accountId, LongFunction<List<AccountSubscription>> store) {
        List<Target> cached = byAccount.getIfPresent(accountId);
        if (cached != null) {
            return cached;
        }
        long before = changes.get();
        List<Target> read = targets(store.apply(accountId));
        if (changes.get() == before) {
            byAccount.put(accountId, read);
            // A change may have landed between the check and the put, its invalidation before the
            // put: look again, after the put. A change after this look invalidates after the put.
            if (changes.get() != before) {
                byAccount.invalidate(accountId);
            }
        }
        return read;
    }

    /** Called after one of the account's subscriptions changed in the store. */
    public void invalidate(long accountId) {
        changes.incrementAndGet();
        byAccount.invalidate(accountId);
    }

    private static List<Target> targets(List<AccountSubscription> subscriptions) {
        List<Target> targets = new ArrayList<>(subscriptions.size());
        for (AccountSubscription subscription : subscriptions) {
            Validated<BodyOptions> options = BodyOptions.validate(subscription.getFormat(), subscription.getMethod(),
                    subscription.getRenames(), subscription.getParams());
            if (options instanceof Validated.Valid<BodyOptions> valid) {
                targets.add(new Target(subscription, valid.value()));
            } else if (options instanceof Validated.Invalid<BodyOptions> invalid) {
                // Cannot happen for subscriptions that passed SubscriptionRules; kept loud if it does.
                LOG.error("Subscription {} has invalid body options and gets no webhooks: {}",
                        subscription.getId(), invalid.errors());
            }
        }
        return List.copyOf(targets);
    }

    /** Bytes, roughly: two per character of every string, plus a little per entry. */
    private static int weightOf(List<Target> targets) {
        long bytes = 64;
        for (Target target : targets) {
            AccountSubscription subscription = target.subscription();
            bytes += 256 + 2L * (subscription.getId().length() + subscription.getUrl().length())
                    + mapBytes(subscription.getRenames()) + mapBytes(subscription.getParams())
                    + mapBytes(subscription.getHeaders());
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    private static long mapBytes(Map<String, String> map) {
        long bytes = 0;
        for (Map.Entry<String, String> entry : map.entrySet()) {
            bytes += 48 + 2L * (entry.getKey().length() + entry.getValue().length());
        }
        return bytes;
    }
}
