package io.callhook.body;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documented body of one call as an ordered tree: keys in wire order, nested objects as
 * maps, values {@link String}, {@link Integer}, {@link Long} or null. Built once per call and
 * rendered once per subscription, so it is immutable and safe to share between threads.
 */
public final class WebhookBody {

    private final Map<String, Object> tree;

    private WebhookBody(Map<String, Object> tree) {
        this.tree = tree;
    }

    /** The documented body of {@code call}; every documented key is present, unknown values null. */
    public static WebhookBody of(EnrichedCall call) {
        Map<String, Object> root = new LinkedHashMap<>(64);
        for (DocumentedKey key : DocumentedKeys.leaves()) {
            objectAt(root, key.segments()).put(lastOf(key.segments()), key.valueOf(call));
        }
        return new WebhookBody(freeze(root));
    }

    /** The tree, unmodifiable at every level. */
    public Map<String, Object> tree() {
        return tree;
    }

    @Override
    public String toString() {
        return tree.toString();
    }

    /** The object holding the leaf at {@code segments}, creating groups on first use. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectAt(Map<String, Object> root, List<String> segments) {
        Map<String, Object> object = root;
        for (int i = 0; i < segments.size() - 1; i++) {
            object = (Map<String, Object>) object.computeIfAbsent(segments.get(i), k -> new LinkedHashMap<>(8));
        }
        return object;
    }

    private static String lastOf(List<String> segments) {
        return segments.get(segments.size() - 1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> freeze(Map<String, Object> object) {
        for (Map.Entry<String, Object> entry : object.entrySet()) {
            if (entry.getValue() instanceof Map<?, ?> child) {
                entry.setValue(freeze((Map<String, Object>) child));
            }
        }
        return Collections.unmodifiableMap(object);
    }
}
