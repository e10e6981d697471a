package io.callhook.enricher.fanout;

import io.callhook.enricher.subscriptions.AccountSubscriptionsCache.Target;
import io.callhook.model.AccountSubscription;
import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import java.util.ArrayList;
import java.util.List;

/**
 * Which subscriptions a call event goes to. CallKeeper calls reach only CALLKEEPER
 * subscriptions (start and end, always); Calltracking calls only CALLTRACKING ones, for the
 * events each chose. Disabled subscriptions get nothing, except a test call to one (see
 * {@link #isDisabledTarget}); a test call goes only to its target.
 */
public final class SubscriptionMatcher {

    private SubscriptionMatcher() {
    }

    public static boolean matches(AccountSubscription subscription, CallEvent event) {
        return subscription.getEnabled() && wants(subscription, event);
    }

    /**
     * A test call to a disabled subscription: it is rendered and dead-lettered instead of sent, so
     * the customer sees why nothing arrived and can replay it once the subscription is enabled.
     */
    public static boolean isDisabledTarget(AccountSubscription subscription, CallEvent event) {
        return !subscription.getEnabled() && event.getTargetSubscriptionId() != null && wants(subscription, event);
    }

    /** The subscriptions among {@code candidates} that {@link #matches} or {@link #isDisabledTarget}. */
    public static List<Target> select(List<Target> candidates, CallEvent event) {
        List<Target> selected = new ArrayList<>(candidates.size());
        for (Target candidate : candidates) {
            AccountSubscription subscription = candidate.subscription();
            if (matches(subscription, event) || isDisabledTarget(subscription, event)) {
                selected.add(candidate);
            }
        }
        return selected;
    }

    /** Whether the subscription takes this event (product, target, phase), enabled or not. */
    static boolean wants(AccountSubscription subscription, CallEvent event) {
        if (subscription.getProduct() != event.getProduct()) {
            return false;
        }
        String target = event.getTargetSubscriptionId();
        if (target != null && !target.equals(subscription.getId())) {
            return false;
        }
        CallPhase phase = event.getPhase();
        return switch (subscription.getProduct()) {
            case CALLKEEPER -> phase == CallPhase.STARTED || phase == CallPhase.ENDED;
            case CALLTRACKING -> phase != CallPhase.UNKNOWN && subscription.getEvents().contains(phase);
            case UNKNOWN -> false;
        };
    }
}
