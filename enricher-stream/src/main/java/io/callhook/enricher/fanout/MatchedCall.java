package io.callhook.enricher.fanout;

import io.callhook.enricher.subscriptions.AccountSubscriptionsCache.Target;
import io.callhook.model.CallEvent;
import io.callhook.model.VisitSnapshot;
import java.util.List;

/**
 * A call event with the subscriptions it is rendered for (see {@link SubscriptionMatcher#select})
 * and, once joined, its visitor's latest visit (null when the tracker has none). Lives only
 * between two operators: never serialized.
 */
public record MatchedCall(CallEvent call, List<Target> subscriptions, VisitSnapshot visit) {

    public MatchedCall withVisit(VisitSnapshot latest) {
        return new MatchedCall(call, subscriptions, latest);
    }
}
