package io.callhook.store.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends {@link ApiRequest}s to one store with one token, every request under a timeout, and
 * classifies what happened by exception type into a {@link StoreReply}.
 */
final class StoreClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String API_BASE = "/api/v1";

    private final HttpClient http;
    private final String apiBase;
    private final Optional<String> token;

    StoreClient(URI base, Optional<String> token) {
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        // Kept as text: the base may carry a path prefix (a proxy), which URI.resolve would drop.
        this.apiBase = base.toString().replaceAll("/+$", "") + API_BASE;
        this.token = token;
    }

    /** The absolute URL a request goes to. */
    URI uriOf(ApiRequest request) {
        return URI.create(apiBase + request.target());
    }

    /** Sends the request; never throws for a missing or failing store, only when interrupted. */
    StoreReply send(ApiRequest request) throws InterruptedException {
        URI uri = uriOf(request);
        try {
            HttpResponse<String> response = http.send(build(uri, request), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new StoreReply.Answered(uri, response.statusCode(), response.body());
        } catch (HttpConnectTimeoutException e) {
            return new StoreReply.Unreachable(uri, "no connection within " + CONNECT_TIMEOUT.toSeconds() + "s");
        } catch (HttpTimeoutException e) {
            return new StoreReply.Unreachable(uri, "no answer within " + REQUEST_TIMEOUT.toSeconds() + "s");
        } catch (ConnectException e) {
            return new StoreReply.Unreachable(uri, connectFailure(e));
        } catch (IOException e) {
            return new StoreReply.Unreachable(uri, describe(e));
        }
    }

    private HttpRequest build(URI uri, ApiRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("User-Agent", "callhook-cli");
        token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
        if (request.body().isPresent()) {
            builder.header("Content-Type", "application/json");
            builder.method(request.method(), HttpRequest.BodyPublishers.ofString(Json.write(request.body().get()), StandardCharsets.UTF_8));
        } else {
            builder.method(request.method(), HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    /** The JDK client's ConnectException usually has no message, so its causes are read by type. */
    private static String connectFailure(ConnectException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return "connection failed: " + t.getMessage();
            }
        }
        return "connection refused";
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
    }
}
