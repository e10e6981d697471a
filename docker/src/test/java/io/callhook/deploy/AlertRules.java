package io.callhook.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus' alert rules ({@code docker/prometheus/alerts.yml}) as the tests see them, and the
 * same rules with time compressed for a test that cannot wait the production durations.
 */
record AlertRules(JsonNode yaml, List<Alert> alerts) {

    /** One alerting rule. */
    record Alert(String name, String expr, String forDuration, Map<String, String> labels, Map<String, String> annotations) {
    }

    /** A PromQL duration in a range selector or after {@code offset}: {@code [15m]}, {@code offset 1h}. */
    private static final Pattern DURATION_USE = Pattern.compile("(\\[|offset\\s+)([0-9][0-9a-z]*)(]?)");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");
    private static final Duration SHORTEST_RANGE = Duration.ofSeconds(5);

    static AlertRules read(Path file) throws IOException {
        JsonNode yaml = new YAMLMapper().readTree(file.toFile());
        List<Alert> alerts = new ArrayList<>();
        for (JsonNode group : yaml.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    alerts.add(new Alert(rule.path("alert").asText(), rule.path("expr").asText(), rule.path("for").asText(""),
                            strings(rule.path("labels")), strings(rule.path("annotations"))));
                }
            }
        }
        return new AlertRules(yaml, alerts);
    }

    List<String> names() {
        return alerts.stream().map(Alert::name).toList();
    }

    /**
     * Writes these rules to {@code file} with every range and offset divided by {@code factor}
     * (at least 5 s, so that rate() still has samples at a 1 s scrape) and every {@code for:}
     * set to {@code forDuration}: the rules' logic and thresholds unchanged, their time
     * compressed. A duration this cannot rewrite (a subquery) fails, so nothing stays long
     * unnoticed.
     */
    Path writeCompressed(Path file, int factor, Duration forDuration) throws IOException {
        JsonNode copy = yaml.deepCopy();
        for (JsonNode group : copy.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                ObjectNode editable = (ObjectNode) rule;
                editable.put("expr", compress(rule.path("expr").asText(), factor));
                if (rule.has("alert")) {
                    editable.put("for", forDuration.toSeconds() + "s");
                }
            }
        }
        new YAMLMapper().writeValue(file.toFile(), copy);
        return file;
    }

    static String compress(String expr, int factor) {
        if (expr.matches("(?s).*\\[[^\\]]*:[^\\]]*].*")) {
            throw new IllegalArgumentException("a subquery's range cannot be compressed: " + expr);
        }
        Matcher use = DURATION_USE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (use.find()) {
            Duration original = parse(use.group(2), expr);
            Duration compressed = original.dividedBy(factor);
            if (compressed.compareTo(SHORTEST_RANGE) < 0) {
                compressed = SHORTEST_RANGE;
            }
            use.appendReplacement(out, Matcher.quoteReplacement(use.group(1) + compressed.toMillis() + "ms" + use.group(3)));
        }
        use.appendTail(out);
        return out.toString();
    }

    private static Duration parse(String text, String expr) {
        Matcher part = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            long n = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                case "w" -> Duration.ofDays(7 * n);
                default -> Duration.ofDays(365 * n);
            });
            end = part.end();
        }
        if (end != text.length() || end == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a PromQL duration in " + expr);
        }
        return total;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new TreeMap<>();
        object.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }
}
