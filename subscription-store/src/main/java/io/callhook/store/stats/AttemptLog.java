package io.callhook.store.stats;

import io.callhook.model.AttemptOutcome;
import io.callhook.model.DeliveryAttempt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Each subscription's attempt log, newest first: the attempts kept in the {@value StatsTopology#LOG_STORE}
 * store under {@code <length of the subscription id, 3 digits> <subscription id> "/" <newest-first time> "/"
 * <attempt id>}, so one range read gives a page. The length comes first because an id may hold any
 * character, "/" too: without it the range of {@code a} would also hold the attempts of {@code a/b}. Bounded per subscription ({@link #KEEP_PER_SUBSCRIPTION}, {@link #KEEP_FOR}): what a
 * tenant's endpoint makes us write cannot grow without end.
 */
public final class AttemptLog {

    /** Most attempts kept per subscription: a busy or failing endpoint keeps its newest. */
    public static final int KEEP_PER_SUBSCRIPTION = 1000;
    /** Oldest attempt kept. */
    public static final Duration KEEP_FOR = Duration.ofDays(30);
    /** Most attempts one page holds. */
    public static final int MAX_PAGE = 200;
    /** Longest subscription id a key can hold (the rules allow 128); an attempt naming a longer one is not logged. */
    static final int MAX_ID_LENGTH = 999;

    private static final char SEPARATOR = '/';
    /** One past the separator: the end of a subscription's key range. */
    private static final char AFTER_SEPARATOR = SEPARATOR + 1;

    private AttemptLog() {
    }

    /**
     * What a page asks for. {@code before}: the cursor of the previous page's last attempt (null
     * for the newest); the filters are null when not asked for.
     */
    public record Query(String subscriptionId, String before, int limit, AttemptOutcome outcome, Long callId, String attemptId) {

        public Query {
            if (limit < 1 || limit > MAX_PAGE) {
                throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE + ", not " + limit);
            }
        }

        boolean matches(DeliveryAttempt attempt) {
            return (outcome == null || attempt.getOutcome() == outcome)
                    && (callId == null || attempt.getCallId() == callId)
                    && (attemptId == null || attempt.getAttemptId().equals(attemptId));
        }
    }

    /** A page, newest first; {@code next} is the cursor of the page after it, null on the last. */
    public record Page(List<DeliveryAttempt> attempts, String next) {
    }

    /** Whether the attempt's subscription id fits a key: every attempt of a subscription the rules accept does. */
    static boolean loggable(DeliveryAttempt attempt) {
        return attempt.getSubscriptionId().length() <= MAX_ID_LENGTH;
    }

    static String key(DeliveryAttempt attempt) {
        return prefix(attempt.getSubscriptionId()) + cursor(attempt);
    }

    /** Where a subscription's entries start: every key of it, and only its, begins so. */
    private static String prefix(String subscriptionId) {
        return String.format("%03d", subscriptionId.length()) + subscriptionId + SEPARATOR;
    }

    /** The attempt's place in its subscription's log: newest first, then by attempt id. */
    static String cursor(DeliveryAttempt attempt) {
        return String.format("%019d", Long.MAX_VALUE - attempt.getStartedAt().toEpochMilli()) + SEPARATOR + attempt.getAttemptId();
    }

    /** A page of the subscription's log. Reads at most {@link #KEEP_PER_SUBSCRIPTION} (plus what trimming has not reached yet). */
    public static Page read(ReadOnlyKeyValueStore<String, DeliveryAttempt> store, Query query) {
        String prefix = prefix(query.subscriptionId());
        String from = query.before() == null ? prefix : prefix + query.before() + '\u0000';
        String to = prefix.substring(0, prefix.length() - 1) + AFTER_SEPARATOR;
        List<DeliveryAttempt> found = new ArrayList<>();
        String last = null;
        boolean more = false;
        try (KeyValueIterator<String, DeliveryAttempt> entries = store.range(from, to)) {
            while (entries.hasNext()) {
                KeyValue<String, DeliveryAttempt> entry = entries.next();
                if (!query.matches(entry.value)) {
                    continue;
                }
                if (found.size() == query.limit()) {
                    more = true;
                    break;
                }
                found.add(entry.value);
                last = entry.key.substring(prefix.length());
            }
        }
        return new Page(found, more ? last : null);
    }

    /** The attempt with this id, if the log still holds it. */
    public static Optional<DeliveryAttempt> find(ReadOnlyKeyValueStore<String, DeliveryAttempt> store, String subscriptionId,
                                                 String attemptId) {
        Page page = read(store, new Query(subscriptionId, null, 1, null, null, attemptId));
        return page.attempts().stream().findFirst();
    }

    /**
     * Drops each subscription's attempts past the newest {@link #KEEP_PER_SUBSCRIPTION} and those
     * older than {@link #KEEP_FOR}. Keys run subscription by subscription, newest first, so one
     * pass counts as it goes.
     */
    static int trim(KeyValueStore<String, DeliveryAttempt> store, long nowMillis) {
        long oldest = nowMillis - KEEP_FOR.toMillis();
        List<String> drop = new ArrayList<>();
        String subscription = null;
        int kept = 0;
        try (KeyValueIterator<String, DeliveryAttempt> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, DeliveryAttempt> entry = all.next();
                String owner = entry.key.substring(0, 3 + Integer.parseInt(entry.key.substring(0, 3)));
                if (!owner.equals(subscription)) {
                    subscription = owner;
                    kept = 0;
                }
                if (kept >= KEEP_PER_SUBSCRIPTION || entry.value.getStartedAt().toEpochMilli() < oldest) {
                    drop.add(entry.key);
                } else {
                    kept++;
                }
            }
        }
        drop.forEach(store::delete);
        return drop.size();
    }
}
