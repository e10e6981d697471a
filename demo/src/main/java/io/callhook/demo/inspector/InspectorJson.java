package io.callhook.demo.inspector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callhook.demo.inspector.ReceivedWebhook.Pair;
import java.util.List;

/**
 * The JSON views of {@code /api/webhooks}, written field by field so the wire shape is fixed here
 * and does not drift with the record's Java names.
 */
final class InspectorJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private InspectorJson() {
    }

    static String list(List<ReceivedWebhook> webhooks, long received, int kept, int capacity) {
        ObjectNode root = JSON.createObjectNode();
        root.put("received", received);
        root.put("kept", kept);
        root.put("capacity", capacity);
        ArrayNode list = root.putArray("webhooks");
        webhooks.forEach(webhook -> list.add(webhook(webhook)));
        return write(root);
    }

    static String one(ReceivedWebhook webhook) {
        return write(webhook(webhook));
    }

    static String error(String message) {
        return write(JSON.createObjectNode().put("error", message));
    }

    static String cleared(int dropped) {
        return write(JSON.createObjectNode().put("cleared", dropped));
    }

    private static ObjectNode webhook(ReceivedWebhook webhook) {
        ObjectNode node = JSON.createObjectNode();
        node.put("n", webhook.n());
        node.put("receivedAt", webhook.receivedAt().toString());
        node.put("method", webhook.method());
        node.put("path", webhook.path());
        node.put("query", webhook.query());
        node.put("uri", webhook.uri());
        node.put("remoteAddress", webhook.remoteAddress());
        pairs(node.putArray("headers"), webhook.headers());
        node.put("contentType", webhook.contentType());
        node.put("size", webhook.size());
        node.put("body", webhook.body());
        node.put("bodyTruncated", webhook.bodyTruncated());
        if (webhook.form() == null) {
            node.putNull("form");
        } else {
            pairs(node.putArray("form"), webhook.form());
        }
        pairs(node.putArray("queryParams"), webhook.queryParams());
        node.put("webhookId", webhook.webhookId());
        ObjectNode signature = node.putObject("signature");
        signature.put("status", webhook.signature().status().name());
        signature.put("reason", webhook.signature().reason());
        ObjectNode summary = node.putObject("summary");
        summary.put("product", webhook.summary().product());
        summary.put("hookEvent", webhook.summary().hookEvent());
        summary.put("id", webhook.summary().id());
        node.put("responseStatus", webhook.responseStatus());
        return node;
    }

    private static void pairs(ArrayNode array, List<Pair> pairs) {
        pairs.forEach(pair -> array.addObject().put("name", pair.name()).put("value", pair.value()));
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }
}
