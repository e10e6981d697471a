package io.callhook.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.callhook.demo.inspector.SecretLookup;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The demo inspector's way to the secrets of subscriptions it did not create: asks the store,
 * with the admin token, for the demo accounts' subscriptions whose URL points at the inspector's
 * path, and for their current secrets ({@code GET .../secret}: lists never carry them). During a
 * rotation's grace period every webhook is signed with the new secret as well, so the current one
 * verifies it. Demo mode only: nothing but the demo holds the admin token this way.
 */
final class StoreSecrets implements SecretLookup {

    private final DemoStoreClient store;
    private final List<Long> accounts;
    private final int inspectorPort;

    /**
     * @param store         a client with the admin token
     * @param accounts      the accounts whose subscriptions are looked at
     * @param inspectorPort the inspector's port: only URLs on loopback at that port are its own
     */
    StoreSecrets(DemoStoreClient store, List<Long> accounts, int inspectorPort) {
        this.store = Objects.requireNonNull(store, "store");
        this.accounts = List.copyOf(accounts);
        this.inspectorPort = inspectorPort;
    }

    @Override
    public List<String> secretsFor(String path) throws Exception {
        List<String> secrets = new ArrayList<>();
        for (long account : accounts) {
            for (JsonNode subscription : store.subscriptions(account)) {
                if (pointsAt(subscription.path("url").asText(), path)) {
                    secrets.add(store.secret(subscription.path("id").asText()));
                }
            }
        }
        return secrets;
    }

    private boolean pointsAt(String url, String path) {
        try {
            URI uri = URI.create(url);
            String host = uri.getHost();
            boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
            return loopback && uri.getPort() == inspectorPort && path.equals(uri.getPath());
        } catch (IllegalArgumentException notAUrl) {
            return false;
        }
    }
}
