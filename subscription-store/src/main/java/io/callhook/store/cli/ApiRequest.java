package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One call of the store's API as a command prepared it, before anything is sent.
 *
 * @param method the HTTP method
 * @param path the path below {@code /api/v1}, its segments already encoded
 * @param query query parameters, unencoded; absent values are left out
 * @param body the JSON body, if the call has one
 */
record ApiRequest(String method, String path, Map<String, String> query, Optional<JsonNode> body) {

    ApiRequest {
        query = Map.copyOf(query);
    }

    static ApiRequest get(String path, Map<String, String> query) {
        return new ApiRequest("GET", path, query, Optional.empty());
    }

    static ApiRequest post(String path, JsonNode body) {
        return new ApiRequest("POST", path, Map.of(), Optional.of(body));
    }

    /** A POST without a body, for endpoints API.md gives none. */
    static ApiRequest post(String path) {
        return new ApiRequest("POST", path, Map.of(), Optional.empty());
    }

    static ApiRequest patch(String path, JsonNode body) {
        return new ApiRequest("PATCH", path, Map.of(), Optional.of(body));
    }

    static ApiRequest delete(String path) {
        return new ApiRequest("DELETE", path, Map.of(), Optional.empty());
    }

    /**
     * {@code /subscriptions/{id}} plus more segments. The id is encoded, dots too when it is all
     * dots, so no id can change which endpoint is called.
     */
    static String subscriptionPath(String id, String... more) {
        StringBuilder path = new StringBuilder("/subscriptions/").append(segment(id));
        for (String segment : more) {
            path.append('/').append(segment);
        }
        return path.toString();
    }

    /** One path segment from any text: encoded, dots too when it is all dots, so it cannot change the endpoint. */
    static String segment(String text) {
        return text.chars().allMatch(c -> c == '.') ? text.replace(".", "%2E") : encode(text);
    }

    /** Query parameters from names and values, dropping those whose value is null. */
    static Map<String, String> query(String... namesAndValues) {
        Map<String, String> query = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                query.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return query;
    }

    /** The path and query string, relative to the API base; parameters sorted so URLs are stable. */
    String target() {
        if (query.isEmpty()) {
            return path;
        }
        return path + "?" + new TreeMap<>(query).entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** Percent-encoding valid in both paths and queries ({@link URLEncoder} alone turns spaces into '+'). */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
