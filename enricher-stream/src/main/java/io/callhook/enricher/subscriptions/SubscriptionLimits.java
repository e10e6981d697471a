package io.callhook.enricher.subscriptions;

/**
 * What the enricher holds of one tenant's subscriptions. Past these a subscription is refused
 * with a dead letter naming it, rather than written into a record or a table that cannot take
 * it: the enricher's own topics and stores must stay well inside the broker's message limit, and
 * the work of one call must stay bounded whatever an account registered.
 *
 * @param maxPerAccount subscriptions of one account the enricher holds; the next one is refused
 * @param maxBytes size of one subscription as the enricher keeps it (without its secrets), in
 *     bytes of Avro binary; every webhook rendered for it carries its headers and parameters, so
 *     this bounds the webhooks too
 */
public record SubscriptionLimits(int maxPerAccount, int maxBytes) {

    public static final SubscriptionLimits DEFAULTS = new SubscriptionLimits(1_000, 256 * 1024);

    public SubscriptionLimits {
        if (maxPerAccount < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxPerAccount + ", " + maxBytes);
        }
    }
}
