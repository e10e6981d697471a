package io.callhook.dispatcher.signing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The three Standard Webhooks headers of one delivery attempt. They carry signatures, never the
 * secrets, so printing them is safe.
 *
 * @param webhookId the {@code webhook-id} value: the message id receivers de-duplicate on
 * @param timestamp the {@code webhook-timestamp} value: epoch seconds of the attempt
 * @param signature the {@code webhook-signature} value: one {@code v1,<base64>} per active secret,
 *                  separated by single spaces, the current secret's first
 */
public record SignatureHeaders(String webhookId, long timestamp, String signature) {

    /** Header carrying the message id. */
    public static final String WEBHOOK_ID = "webhook-id";
    /** Header carrying the signing time, decimal epoch seconds. */
    public static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
    /** Header carrying the space-separated {@code v1,<base64>} signatures. */
    public static final String WEBHOOK_SIGNATURE = "webhook-signature";

    public SignatureHeaders {
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(signature, "signature");
    }

    /** The headers by name, in the order above, ready to add to a request. */
    public Map<String, String> asMap() {
        Map<String, String> headers = new LinkedHashMap<>(4);
        headers.put(WEBHOOK_ID, webhookId);
        headers.put(WEBHOOK_TIMESTAMP, Long.toString(timestamp));
        headers.put(WEBHOOK_SIGNATURE, signature);
        return headers;
    }
}
