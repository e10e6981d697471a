package io.callhook.body;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a body tree as compact UTF-8 JSON in the tree's key order, static parameters last.
 * Streams through one shared {@link JsonFactory} (thread-safe) rather than data-binding a
 * merged copy of the tree, so a render allocates little more than its output.
 */
final class JsonBodyWriter {

    /** Characters beyond the BMP (emoji in tags, names) as UTF-8 like the rest, not as escaped surrogate pairs. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    /**
     * Every documented key name, quoted and encoded once: written as bytes instead of escaped
     * again for every webhook (a renamed key, the customer's own, is escaped as it comes).
     */
    private static final Map<String, SerializableString> DOCUMENTED_NAMES = documentedNames();

    private JsonBodyWriter() {
    }

    private static Map<String, SerializableString> documentedNames() {
        Map<String, SerializableString> names = new HashMap<>();
        for (String path : DocumentedKeys.paths()) {
            String name = DocumentedKeys.nameOf(path);
            SerializedString encoded = new SerializedString(name);
            encoded.asQuotedUTF8();
            names.put(name, encoded);
        }
        return Map.copyOf(names);
    }

    static byte[] write(Map<String, Object> tree, Map<String, String> params) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
        try (JsonGenerator json = FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
            json.writeStartObject();
            writeFields(json, tree);
            for (Map.Entry<String, String> param : params.entrySet()) {
                json.writeStringField(param.getKey(), param.getValue());
            }
            json.writeEndObject();
        } catch (IOException e) {
            // A ByteArrayOutputStream does not fail; this would be a bug in the generator.
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeFields(JsonGenerator json, Map<String, Object> object) throws IOException {
        if (object instanceof FixedKeyMap fixed) {
            // The body as built (no renames at this level): its arrays, without an entry per key,
            // and its keys, the documented names, already encoded.
            for (int i = 0; i < fixed.size(); i++) {
                String key = fixed.keyAt(i);
                SerializableString documented = DOCUMENTED_NAMES.get(key);
                if (documented != null) {
                    json.writeFieldName(documented);
                } else {
                    json.writeFieldName(key);
                }
                writeValue(json, key, fixed.valueAt(i));
            }
            return;
        }
        // Renamed objects, and maps of the visit's own (tags), whose keys are new strings each time:
        // looking them up would cost more than escaping them.
        for (Map.Entry<String, Object> entry : object.entrySet()) {
            json.writeFieldName(entry.getKey());
            writeValue(json, entry.getKey(), entry.getValue());
        }
    }

    @SuppressWarnings("unchecked")
    private static void writeValue(JsonGenerator json, String key, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String text) {
            json.writeString(text);
        } else if (value instanceof Integer number) {
            json.writeNumber(number);
        } else if (value instanceof Long number) {
            json.writeNumber(number);
        } else if (value instanceof Map<?, ?> child) {
            json.writeStartObject();
            writeFields(json, (Map<String, Object>) child);
            json.writeEndObject();
        } else {
            throw new IllegalStateException("no JSON form for " + value.getClass().getName() + " at " + key);
        }
    }
}
