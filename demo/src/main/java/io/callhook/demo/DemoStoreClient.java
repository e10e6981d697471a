package io.callhook.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The few calls of the subscription store's HTTP API the demo and the end-to-end tests make,
 * as any client would: over HTTP, with a bearer token.
 */
public final class DemoStoreClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    public DemoStoreClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** The account's subscription sending to {@code url}, if there is one. */
    public Optional<JsonNode> findByUrl(long accountId, String url) throws Exception {
        for (JsonNode subscription : call("GET", "/api/v1/subscriptions?accountId=" + accountId, null).path("subscriptions")) {
            if (subscription.path("url").asText().equals(url)) {
                return Optional.of(subscription);
            }
        }
        return Optional.empty();
    }

    /** The account's subscriptions (without secrets, as every list). */
    public List<JsonNode> subscriptions(long accountId) throws Exception {
        List<JsonNode> found = new java.util.ArrayList<>();
        call("GET", "/api/v1/subscriptions?accountId=" + accountId, null).path("subscriptions").forEach(found::add);
        return found;
    }

    /** Creates a subscription from its JSON (API.md); fails naming the store's problems. */
    public JsonNode create(String json) throws Exception {
        return call("POST", "/api/v1/subscriptions", json);
    }

    /** The subscription's current signing secret: lists and reads do not carry it. */
    public String secret(String id) throws Exception {
        return call("GET", "/api/v1/subscriptions/" + id + "/secret", null).path("secret").asText();
    }

    public JsonNode get(String id) throws Exception {
        return call("GET", "/api/v1/subscriptions/" + id, null);
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
