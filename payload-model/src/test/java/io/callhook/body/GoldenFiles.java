package io.callhook.body;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Golden files of {@code src/test/resources/golden}: the webhook contract as the customer sees it.
 * Nobody edits them by hand: run the tests with {@code -Dgolden.update=true} to rewrite them from
 * the code, then read the diff against BRIEF's table before committing.
 */
final class GoldenFiles {

    static final boolean UPDATE = Boolean.getBoolean("golden.update");

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GoldenFiles() {
    }

    /** Compares JSON as parsed trees (values and their JSON types) and key order at every level. */
    static void assertJson(String name, byte[] actual) {
        JsonNode actualTree = parse(actual);
        Path file = dir().resolve(name);
        if (UPDATE) {
            write(file, prettyJson(actualTree));
        }
        JsonNode expectedTree = parse(read(file).getBytes(StandardCharsets.UTF_8));
        assertThat(flatten(actualTree)).as("keys in order with their JSON values, against %s", file)
                .containsExactlyElementsOf(flatten(expectedTree));
        assertThat(actualTree).as("JSON tree against %s", file).isEqualTo(expectedTree);
    }

    /** Compares text exactly. */
    static void assertText(String name, String actual) {
        Path file = dir().resolve(name);
        if (UPDATE) {
            write(file, actual);
        }
        assertThat(actual).as("text against %s", file).isEqualTo(read(file));
    }

    /** Every leaf as {@code path=json} in document order; strings keep their quotes, so "1" differs from 1. */
    static List<String> flatten(JsonNode node) {
        List<String> leaves = new ArrayList<>();
        flatten("", node, leaves);
        return leaves;
    }

    private static void flatten(String prefix, JsonNode node, List<String> into) {
        if (!node.isObject()) {
            into.add(prefix + "=" + node);
            return;
        }
        if (node.isEmpty()) {
            into.add(prefix + "={}");
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), into);
        }
    }

    /** The module's golden folder; surefire runs in the module directory and sets {@code basedir}. */
    private static Path dir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "src", "test", "resources", "golden");
    }

    private static String prettyJson(JsonNode tree) {
        try {
            return MAPPER.writeValueAsString(tree) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        assertThat(file).as("golden file missing: run the tests once with -Dgolden.update=true").exists();
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
