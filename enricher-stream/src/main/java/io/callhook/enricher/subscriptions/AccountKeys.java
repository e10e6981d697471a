package io.callhook.enricher.subscriptions;

/**
 * Keys of the enricher's subscription records: {@code accountId|subscriptionId}. An account's
 * subscriptions are then one key range (the prefix {@code accountId|}), read with one prefix
 * scan, and the account is the part that chooses the partition. Account ids are digits, so the
 * first {@code |} always ends the account, whatever the subscription id holds.
 */
public final class AccountKeys {

    private static final char SEPARATOR = '|';

    private AccountKeys() {
    }

    public static String of(long accountId, String subscriptionId) {
        return prefix(accountId) + subscriptionId;
    }

    /** Every key of the account starts with this, and no key of another account does. */
    public static String prefix(long accountId) {
        return Long.toString(accountId) + SEPARATOR;
    }

    /** The account part of a key, as text. */
    public static String accountPart(String key) {
        return key.substring(0, separatorOf(key));
    }

    public static long accountOf(String key) {
        return Long.parseLong(key, 0, separatorOf(key), 10);
    }

    public static String subscriptionOf(String key) {
        return key.substring(separatorOf(key) + 1);
    }

    private static int separatorOf(String key) {
        int at = key.indexOf(SEPARATOR);
        if (at <= 0) {
            throw new IllegalArgumentException("not an accountId|subscriptionId key: " + key);
        }
        return at;
    }
}
