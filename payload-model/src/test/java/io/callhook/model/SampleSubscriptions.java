package io.callhook.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Subscriptions used by tests across the project (this module's test jar). */
public final class SampleSubscriptions {

    private SampleSubscriptions() {
    }

    /**
     * A subscription as the API makes it when nothing but the URL is chosen: POST, JSON, both
     * events, nothing renamed, no parameters or headers, enabled, one signing secret; made (and
     * last changed) at {@code at}.
     */
    public static Subscription.Builder of(String id, long accountId, Product product, String url, String secret, Instant at) {
        return Subscription.newBuilder().setId(id).setAccountId(accountId).setProduct(product).setUrl(url)
                .setMethod(HttpMethod.POST).setFormat(BodyFormat.JSON).setEvents(List.of(CallPhase.STARTED, CallPhase.ENDED))
                .setRenames(Map.of()).setParams(Map.of()).setHeaders(Map.of())
                .setSecrets(List.of(new SigningSecret(secret, at, null)))
                .setEnabled(true).setCreatedAt(at).setUpdatedAt(at);
    }
}
