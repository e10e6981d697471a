package io.callhook.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana dashboard as the tests see it: its panels (rows' nested panels included) and each
 * panel's Prometheus queries.
 */
record Dashboard(JsonNode json, List<Panel> panels) {

    /** Panel types that draw no data and so need no query. */
    private static final List<String> DECORATIVE = List.of("row", "text", "news", "dashlist");

    /** Grafana's built-in variables, replaced by what a dashboard open on "last 1 h" would use. */
    static final Map<String, String> GRAFANA_VARIABLES = Map.of(
            "__rate_interval", "30s",
            "__interval", "15s",
            "__range", "1h");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)|\\[\\[(\\w+)]]");

    /** A panel that draws data. */
    record Panel(int id, String title, String type, JsonNode datasource, List<Query> queries) {
    }

    /** One target of a panel. */
    record Query(String refId, String expr, String legend, JsonNode datasource) {
    }

    static Dashboard read(Path file) throws IOException {
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        List<Panel> panels = new ArrayList<>();
        collect(json.path("panels"), panels);
        return new Dashboard(json, panels);
    }

    private static void collect(JsonNode nodes, List<Panel> into) {
        for (JsonNode node : nodes) {
            String type = node.path("type").asText();
            if (type.equals("row")) {
                collect(node.path("panels"), into);
                continue;
            }
            if (DECORATIVE.contains(type)) {
                continue;
            }
            List<Query> queries = new ArrayList<>();
            for (JsonNode target : node.path("targets")) {
                queries.add(new Query(target.path("refId").asText(), target.path("expr").asText(""),
                        target.path("legendFormat").asText(""), target.path("datasource")));
            }
            into.add(new Panel(node.path("id").asInt(), node.path("title").asText(), type, node.path("datasource"), queries));
        }
    }

    /** The query as Prometheus gets it: Grafana's variables replaced; an unknown variable fails. */
    static String resolve(String expr) {
        Matcher matcher = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1)
                    : matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
            String value = GRAFANA_VARIABLES.get(name);
            if (value == null) {
                throw new IllegalArgumentException("unknown Grafana variable $" + name + " in " + expr);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
