package io.callhook.body;

import java.util.Map;

/**
 * A body as urlencoded pairs ({@code a=1&b=2}), shared by the form body and the GET query
 * string. Nested keys use the bracket form PHP and Rails parse back into objects
 * ({@code visit_info[current][utm_source]}); null is an empty value, numbers decimal text.
 */
final class FormPairs {

    private static final String OPEN = "%5B";
    private static final String CLOSE = "%5D";

    private FormPairs() {
    }

    /** The pairs of {@code tree}, then of {@code params}. */
    static String encode(Map<String, Object> tree, Map<String, String> params) {
        StringBuilder out = new StringBuilder(2048);
        appendObject(out, null, tree);
        for (Map.Entry<String, String> param : params.entrySet()) {
            separate(out);
            FormUrlEncoding.append(out, param.getKey());
            out.append('=');
            FormUrlEncoding.append(out, param.getValue());
        }
        return out.toString();
    }

    /** {@code encodedPrefix} is the already encoded name of the enclosing object, null at the top. */
    @SuppressWarnings("unchecked")
    private static void appendObject(StringBuilder out, String encodedPrefix, Map<String, Object> object) {
        for (Map.Entry<String, Object> entry : object.entrySet()) {
            String key = encodedKey(encodedPrefix, entry.getKey());
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> child) {
                appendObject(out, key, (Map<String, Object>) child);
                continue;
            }
            separate(out);
            out.append(key).append('=');
            if (value instanceof String text) {
                FormUrlEncoding.append(out, text);
            } else if (value instanceof Integer || value instanceof Long) {
                out.append(value);
            } else if (value != null) {
                throw new IllegalStateException("no form encoding for " + value.getClass().getName() + " at " + key);
            }
        }
    }

    private static String encodedKey(String encodedPrefix, String name) {
        StringBuilder key = new StringBuilder(48);
        if (encodedPrefix == null) {
            FormUrlEncoding.append(key, name);
        } else {
            key.append(encodedPrefix).append(OPEN);
            FormUrlEncoding.append(key, name);
            key.append(CLOSE);
        }
        return key.toString();
    }

    /** Every pair is at least {@code k=}, so a non-empty buffer means a pair came before. */
    private static void separate(StringBuilder out) {
        if (out.length() > 0) {
            out.append('&');
        }
    }
}
