package io.callhook.store.api;

/** Who is calling: the platform's admin, or one account. */
public sealed interface Principal {

    /** Sees and changes every account. */
    record Admin() implements Principal {
    }

    /** Sees and changes only its own account. */
    record Account(long accountId) implements Principal {
    }

    /** Whether this caller may see the account's subscriptions. */
    default boolean mayAccess(long accountId) {
        return this instanceof Admin || (this instanceof Account account && account.accountId() == accountId);
    }
}
