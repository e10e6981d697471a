package io.callhook.enricher.fanout;

import io.callhook.enricher.EnricherMetrics;
import io.callhook.enricher.subscriptions.AccountSubscriptionsCache;
import io.callhook.enricher.subscriptions.AccountSubscriptionsCache.Target;
import io.callhook.enricher.subscriptions.AccountSubscriptionsTable;
import io.callhook.model.CallEvent;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Finds the subscriptions a call goes to among its account's, read through the
 * {@link AccountSubscriptionsCache} from the global store of account subscriptions; calls no
 * subscription wants stop here.
 */
public final class SubscriptionMatch implements Processor<String, CallEvent, String, MatchedCall> {

    private final String subscriptionsStore;
    private final AccountSubscriptionsCache cache;
    private final EnricherMetrics metrics;
    private ProcessorContext<String, MatchedCall> context;
    private AccountSubscriptionsTable subscriptions;

    public SubscriptionMatch(String subscriptionsStore, AccountSubscriptionsCache cache, EnricherMetrics metrics) {
        this.subscriptionsStore = subscriptionsStore;
        this.cache = cache;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, MatchedCall> context) {
        this.context = context;
        this.subscriptions = new AccountSubscriptionsTable(context.getStateStore(subscriptionsStore));
    }

    @Override
    public void process(Record<String, CallEvent> record) {
        CallEvent call = record.value();
        List<Target> selected = SubscriptionMatcher.select(cache.of(call.getAccountId(), subscriptions::of), call);
        metrics.callMatched(!selected.isEmpty());
        if (!selected.isEmpty()) {
            context.forward(record.withValue(new MatchedCall(call, selected, null)));
        }
    }
}
