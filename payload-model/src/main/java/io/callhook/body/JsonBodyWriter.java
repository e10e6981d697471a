package io.callhook.body;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    private JsonBodyWriter() {
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

    @SuppressWarnings("unchecked")
    private static void writeFields(JsonGenerator json, Map<String, Object> object) throws IOException {
        for (Map.Entry<String, Object> entry : object.entrySet()) {
            json.writeFieldName(entry.getKey());
            Object value = entry.getValue();
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
                throw new IllegalStateException("no JSON form for " + value.getClass().getName() + " at " + entry.getKey());
            }
        }
    }
}
