package io.callhook.store.stats;

import io.callhook.model.SubscriptionStats;
import java.util.ArrayList;
import java.util.List;

/** Building blocks of the stats aggregate. */
final class Stats {

    /** Latest dead letters kept per subscription. */
    static final int RECENT = 50;

    private Stats() {
    }

    static SubscriptionStats empty(String subscriptionId) {
        return SubscriptionStats.newBuilder().setSubscriptionId(subscriptionId).setRecentDeadLetters(new ArrayList<>()).build();
    }

    /** The list with {@code first} in front, capped at {@link #RECENT}. */
    static <T> List<T> prepend(T first, List<T> rest) {
        List<T> list = new ArrayList<>(Math.min(RECENT, rest.size() + 1));
        list.add(first);
        for (int i = 0; i < rest.size() && list.size() < RECENT; i++) {
            list.add(rest.get(i));
        }
        return list;
    }
}
