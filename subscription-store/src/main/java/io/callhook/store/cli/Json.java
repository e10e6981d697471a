package io.callhook.store.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** JSON for the CLI: building request bodies and reading answers into table cells. */
final class Json {

    /** Shown for a field that is absent or null. */
    static final String NONE = "-";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** The answer as JSON; empty when it is not JSON (a proxy's error page, say). */
    static Optional<JsonNode> parse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return Optional.ofNullable(node).filter(n -> !n.isMissingNode());
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** A scalar field as text, {@link #NONE} when absent or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? NONE : value.asText();
    }

    /** An array of scalars as {@code A,B}. */
    static String list(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isArray()) {
            return text(node, field);
        }
        return StreamSupport.stream(value.spliterator(), false).map(JsonNode::asText).collect(Collectors.joining(","));
    }

    /** An object of scalars as {@code k=v, k2=v2}; {@link #NONE} when empty. */
    static String map(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isObject() || value.isEmpty()) {
            return value.isObject() ? NONE : text(node, field);
        }
        return value.properties().stream()
                .map(e -> e.getKey() + "=" + e.getValue().asText())
                .collect(Collectors.joining(", "));
    }

    /** A boolean field as yes/no. */
    static String yesNo(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isBoolean() ? (value.asBoolean() ? "yes" : "no") : text(node, field);
    }
}
