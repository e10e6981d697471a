package io.callhook.net;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a destination may be connected to. A refusal is a value, not an exception: the
 * subscription API shows it, the stream processor dead-letters with it, the dispatcher counts
 * it by {@link Category}.
 */
public sealed interface Verdict permits Verdict.Allowed, Verdict.Refused {

    /** The one {@link Allowed} instance. */
    Allowed ALLOWED = new Allowed();

    /** The destination may be connected to. */
    record Allowed() implements Verdict {
    }

    /**
     * The destination must not be connected to.
     *
     * @param category why, for metrics
     * @param reason   for people: names the address or host and the category, e.g.
     *                 "10.0.0.1 is a private address (10.0.0.0/8, RFC 1918)"
     */
    record Refused(Category category, String reason) implements Verdict {
        public Refused {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Whether the destination may be connected to. */
    default boolean isAllowed() {
        return this instanceof Allowed;
    }

    /**
     * The reason of a refusal, empty when allowed; fits
     * {@code io.callhook.subscription.UrlCheck} as {@code url -> policy.checkUrlHost(url).refusalReason()}.
     */
    default Optional<String> refusalReason() {
        return this instanceof Refused refused ? Optional.of(refused.reason()) : Optional.empty();
    }
}
