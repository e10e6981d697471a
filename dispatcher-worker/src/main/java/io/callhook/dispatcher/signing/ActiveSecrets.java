package io.callhook.dispatcher.signing;

import io.callhook.model.SigningSecret;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Which of a subscription's secrets sign at a given time, and in what order. */
final class ActiveSecrets {

    // Current first: no expiry before any expiry, then the secret expiring last. The subscription
    // already lists the current secret first, but the header order should not depend on every
    // producer of subscriptions getting that right.
    private static final Comparator<Instant> CURRENT_FIRST =
            Comparator.nullsFirst(Comparator.<Instant>reverseOrder());

    private ActiveSecrets() {
    }

    /**
     * Indices into {@code secrets} of those active at {@code at} (expiry null or after it),
     * current first; ties keep list order (the sort is stable).
     */
    static int[] at(List<SigningSecret> secrets, Instant at) {
        int[] active = new int[secrets.size()];
        int count = 0;
        for (int i = 0; i < secrets.size(); i++) {
            Instant expiresAt = secrets.get(i).getExpiresAt();
            if (expiresAt == null || expiresAt.isAfter(at)) {
                // Insertion sort: stable, no boxing, and a subscription has one or two secrets.
                int slot = count++;
                while (slot > 0 && CURRENT_FIRST.compare(expiresAt, secrets.get(active[slot - 1]).getExpiresAt()) < 0) {
                    active[slot] = active[slot - 1];
                    slot--;
                }
                active[slot] = i;
            }
        }
        return count == active.length ? active : Arrays.copyOf(active, count);
    }
}
