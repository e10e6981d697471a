package io.callhook.enricher.fanout;

import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.Subscription;

/**
 * Which subscriptions a call event goes to. CallKeeper calls reach only CALLKEEPER
 * subscriptions (start and end, always); Calltracking calls only CALLTRACKING ones, for the
 * events each chose. Disabled subscriptions get nothing; a test call goes only to its target.
 */
public final class SubscriptionMatcher {

    private SubscriptionMatcher() {
    }

    public static boolean matches(Subscription subscription, CallEvent event) {
        if (!subscription.getEnabled() || subscription.getProduct() != event.getProduct()) {
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
