package io.callhook.enricher.fanout;

import io.callhook.model.AccountSubscriptions;
import io.callhook.model.Subscription;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps an account's subscriptions as one list, replacing and removing by subscription id.
 * The list is kept sorted by id so that the same set always serializes to the same bytes.
 */
public final class AccountSubscriptionsAggregator {

    private AccountSubscriptionsAggregator() {
    }

    public static AccountSubscriptions empty() {
        return new AccountSubscriptions(0L, new ArrayList<>());
    }

    /** Adder of the aggregation; {@code accountKey} is the grouping key, not the subscription's id. */
    public static AccountSubscriptions add(String accountKey, Subscription subscription, AccountSubscriptions current) {
        List<Subscription> next = without(current.getSubscriptions(), subscription.getId());
        next.add(subscription);
        next.sort(Comparator.comparing(Subscription::getId));
        return new AccountSubscriptions(subscription.getAccountId(), next);
    }

    /** Subtractor of the aggregation: the subscription's previous value leaves its account. */
    public static AccountSubscriptions remove(String accountKey, Subscription subscription, AccountSubscriptions current) {
        return new AccountSubscriptions(subscription.getAccountId(), without(current.getSubscriptions(), subscription.getId()));
    }

    private static List<Subscription> without(List<Subscription> subscriptions, String id) {
        List<Subscription> rest = new ArrayList<>(subscriptions.size() + 1);
        for (Subscription subscription : subscriptions) {
            if (!subscription.getId().equals(id)) {
                rest.add(subscription);
            }
        }
        return rest;
    }
}
