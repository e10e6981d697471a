package io.callhook.demo.inspector;

import java.util.List;

/**
 * Finds the signing secrets of the subscription sending to an inspector path, for webhooks whose
 * secret was not registered ({@link WebhookInspector#registerSecret}): e.g. a subscription a user
 * made in the store's page. Called off the event loop; may block briefly.
 */
@FunctionalInterface
public interface SecretLookup {

    /** No lookup: only registered secrets are checked. */
    SecretLookup NONE = path -> List.of();

    /**
     * @param path an inspector path under {@link WebhookInspector#HOOKS_PREFIX}, without query
     * @return {@code whsec_} secrets of the subscriptions sending there; empty if none is known
     */
    List<String> secretsFor(String path) throws Exception;
}
