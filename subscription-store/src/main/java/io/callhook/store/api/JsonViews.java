package io.callhook.store.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callhook.body.QueryStrings;
import io.callhook.model.DeadLetterSummary;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.SigningSecret;
import io.callhook.model.Subscription;
import io.callhook.model.SubscriptionStats;
import io.callhook.model.WebhookRequest;
import io.callhook.store.stats.AttemptLog;
import java.time.Instant;

/** The JSON shapes of API.md, made from our records. */
public final class JsonViews {

    public static final ObjectMapper JSON = new ObjectMapper();

    private JsonViews() {
    }

    /**
     * A subscription with its counters; {@code stats} null when they cannot be had right now. No
     * signing secret: that is shown only on request ({@link #secret}).
     */
    public static ObjectNode subscription(Subscription subscription, SubscriptionStats stats) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", subscription.getId());
        node.put("accountId", subscription.getAccountId());
        node.put("product", subscription.getProduct().name());
        node.put("url", subscription.getUrl());
        node.put("method", subscription.getMethod().name());
        node.put("contentType", subscription.getFormat().name().equals("FORM")
                ? "application/x-www-form-urlencoded" : "application/json");
        ArrayNode events = node.putArray("events");
        subscription.getEvents().forEach(event -> events.add(event.name()));
        node.set("renames", JSON.valueToTree(subscription.getRenames()));
        node.set("params", JSON.valueToTree(subscription.getParams()));
        node.set("headers", JSON.valueToTree(subscription.getHeaders()));
        if (subscription.getRateLimitPerSecond() == null) {
            node.putNull("rateLimit");
        } else {
            node.put("rateLimit", subscription.getRateLimitPerSecond());
        }
        node.put("enabled", subscription.getEnabled());
        node.put("disabledReason", subscription.getDisabledReason());
        node.put("previousSecretExpiresAt", previousSecretExpiresAt(subscription));
        node.put("createdAt", subscription.getCreatedAt().toString());
        node.put("updatedAt", subscription.getUpdatedAt().toString());
        node.set("counters", stats == null ? JSON.nullNode() : counters(stats));
        return node;
    }

    /** The subscription with its current signing secret: the answer to create and rotate only. */
    public static ObjectNode withSecret(Subscription subscription, SubscriptionStats stats) {
        ObjectNode node = subscription(subscription, stats);
        node.put("secret", currentSecret(subscription));
        return node;
    }

    /** The answer of {@code GET .../secret}. */
    public static ObjectNode secret(Subscription subscription) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", subscription.getId());
        node.put("secret", currentSecret(subscription));
        node.put("previousSecretExpiresAt", previousSecretExpiresAt(subscription));
        return node;
    }

    private static String currentSecret(Subscription subscription) {
        SigningSecret current = subscription.getSecrets().stream().filter(s -> s.getExpiresAt() == null).findFirst()
                .orElse(subscription.getSecrets().isEmpty() ? null : subscription.getSecrets().get(0));
        return current == null ? null : current.getSecret();
    }

    private static String previousSecretExpiresAt(Subscription subscription) {
        return subscription.getSecrets().stream().map(SigningSecret::getExpiresAt)
                .filter(java.util.Objects::nonNull).max(Instant::compareTo).map(Instant::toString).orElse(null);
    }

    /** A subscription's counters as the API shows them. */
    private static ObjectNode counters(SubscriptionStats stats) {
        ObjectNode counters = JSON.createObjectNode();
        counters.put("sent", stats.getSent());
        counters.put("failed", stats.getFailed());
        counters.put("lastAttemptAt", stats.getLastAttemptAt() == null ? null : stats.getLastAttemptAt().toString());
        if (stats.getLastStatus() == null) {
            counters.putNull("lastStatus");
        } else {
            counters.put("lastStatus", stats.getLastStatus());
        }
        counters.put("lastOutcome", stats.getLastOutcome() == null ? null : stats.getLastOutcome().name());
        counters.put("failingSince", stats.getFailingSince() == null ? null : stats.getFailingSince().toString());
        return counters;
    }

    /** A subscription's recent dead letters, newest first. */
    static ArrayNode deadLetters(SubscriptionStats stats) {
        ArrayNode deadLetters = JSON.createArrayNode();
        stats.getRecentDeadLetters().forEach(letter -> deadLetters.add(deadLetter(letter)));
        return deadLetters;
    }

    static ObjectNode attempt(DeliveryAttempt attempt) {
        ObjectNode node = JSON.createObjectNode();
        node.put("attemptId", attempt.getAttemptId());
        node.put("webhookId", attempt.getWebhookId());
        node.put("attemptNumber", attempt.getAttemptNumber());
        node.put("startedAt", attempt.getStartedAt().toString());
        node.put("outcome", attempt.getOutcome().name());
        if (attempt.getHttpStatus() == null) {
            node.putNull("status");
        } else {
            node.put("status", attempt.getHttpStatus());
        }
        node.put("latencyMs", attempt.getLatencyMs());
        node.put("errorType", attempt.getErrorType());
        node.put("errorMessage", attempt.getErrorMessage());
        node.put("responseExcerpt", attempt.getResponseExcerpt());
        node.put("callId", attempt.getCallId());
        node.put("phase", attempt.getPhase().name());
        node.put("test", attempt.getTest());
        // The request it sent can be shown and sent again while its topic keeps it.
        node.put("requestKnown", attempt.getRequest() != null);
        return node;
    }

    /** A page of an attempt log: {@code attempts}, newest first, and {@code next}, the cursor of the page after it or null. */
    public static ObjectNode attemptPage(AttemptLog.Page page) {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode attempts = node.putArray("attempts");
        page.attempts().forEach(attempt -> attempts.add(attempt(attempt)));
        node.put("next", page.next());
        return node;
    }

    /** An attempt with the request it sent, or with why that request cannot be had. */
    static ObjectNode attemptWithRequest(DeliveryAttempt attempt, ObjectNode request, String unavailable) {
        ObjectNode node = JSON.createObjectNode();
        node.set("attempt", attempt(attempt));
        node.set("request", request == null ? JSON.nullNode() : request);
        if (unavailable != null) {
            node.put("requestUnavailable", unavailable);
        }
        return node;
    }

    /**
     * The request an attempt sent, as the dispatcher sends it: method, URL, headers and body. The
     * URL is where it goes now (the dispatcher sends every attempt to the subscription's URL as it
     * is then); the signature is made at sending, with the secrets then in force, so it is named,
     * not repeated.
     */
    static ObjectNode sentRequest(WebhookRequest request, DeliveryAttempt attempt, Subscription subscription) {
        ObjectNode node = JSON.createObjectNode();
        node.put("method", request.getMethod().name());
        boolean get = request.getMethod() == io.callhook.model.HttpMethod.GET;
        node.put("url", QueryStrings.sendUrl(request, subscription.getUrl()));
        ObjectNode headers = node.putObject("headers");
        request.getHeaders().forEach(headers::put);
        if (request.getContentType() != null) {
            headers.put("Content-Type", request.getContentType());
        }
        headers.put("webhook-id", request.getWebhookId());
        headers.put("webhook-timestamp", Long.toString(attempt.getStartedAt().getEpochSecond()));
        headers.put("webhook-signature", "v1,<HMAC-SHA256 made at sending with each secret then in force>");
        java.nio.ByteBuffer body = request.getBody().duplicate();
        byte[] bytes = new byte[get ? 0 : body.remaining()];
        body.get(bytes);
        node.put("body", new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        return node;
    }

    static ObjectNode deadLetter(DeadLetterSummary letter) {
        ObjectNode node = JSON.createObjectNode();
        node.put("reasonCode", letter.getReasonCode());
        node.put("reason", letter.getReason());
        node.put("deadAt", letter.getDeadAt().toString());
        node.put("webhookId", letter.getWebhookId());
        if (letter.getCallId() == null) {
            node.putNull("callId");
        } else {
            node.put("callId", letter.getCallId());
        }
        node.put("phase", letter.getPhase() == null ? null : letter.getPhase().name());
        node.put("attempts", letter.getAttempts());
        return node;
    }

    public static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }
}
