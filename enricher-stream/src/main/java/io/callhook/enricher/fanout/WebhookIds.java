package io.callhook.enricher.fanout;

import io.callhook.model.CallEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The webhook id (the {@code webhook-id} header receivers de-duplicate on): a hash of the call
 * event's identity (account, call, phase) and the subscription. The same event for the same
 * subscription always gets the same id, whether it is replayed, re-published by the backend
 * with a new event id, or re-processed after a crash.
 */
public final class WebhookIds {

    private static final HexFormat HEX = HexFormat.of();
    /** Looking a digest up is dearer than using one: one per thread, reset by each digest(). */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(WebhookIds::sha256);

    private WebhookIds() {
    }

    public static String of(CallEvent event, String subscriptionId) {
        String identity = event.getAccountId() + "|" + event.getCallId() + "|" + event.getPhase() + "|" + subscriptionId;
        byte[] digest = SHA_256.get().digest(identity.getBytes(StandardCharsets.UTF_8));
        // 128 bits: collisions are out of reach, and the id stays short in headers and logs.
        return "msg_" + HEX.formatHex(digest, 0, 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
