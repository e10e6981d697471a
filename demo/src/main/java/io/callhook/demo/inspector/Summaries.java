package io.callhook.demo.inspector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callhook.demo.inspector.ReceivedWebhook.Pair;
import io.callhook.demo.inspector.ReceivedWebhook.Summary;
import java.util.List;

/**
 * Reads a webhook's headline ({@code product}, {@code hook_event}, {@code id}) from wherever the
 * subscription's format put it: a JSON body, a form body, or the query string of a GET webhook.
 */
final class Summaries {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Summaries() {
    }

    static Summary of(String contentType, String body, List<Pair> form, List<Pair> queryParams) {
        if (FormDecoding.isJson(contentType) || body.stripLeading().startsWith("{")) {
            Summary fromJson = fromJson(body);
            if (fromJson != null) {
                return fromJson;
            }
        }
        if (form != null && !form.isEmpty()) {
            return fromPairs(form);
        }
        return queryParams.isEmpty() ? Summary.NONE : fromPairs(queryParams);
    }

    private static Summary fromJson(String body) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null; // Not JSON after all (or truncated): the page shows the raw text.
        }
        if (tree == null || !tree.isObject()) {
            return null;
        }
        return new Summary(text(tree.get("product")), text(tree.get("hook_event")), text(tree.get("id")));
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }

    private static Summary fromPairs(List<Pair> pairs) {
        return new Summary(first(pairs, "product"), first(pairs, "hook_event"), first(pairs, "id"));
    }

    private static String first(List<Pair> pairs, String name) {
        for (Pair pair : pairs) {
            if (pair.name().equals(name)) {
                return pair.value();
            }
        }
        return null;
    }
}
