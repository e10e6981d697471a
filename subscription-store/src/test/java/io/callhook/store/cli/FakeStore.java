package io.callhook.store.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A stand-in for the subscription store: a JDK HTTP server on loopback and a free port that
 * records every request and answers with the canned status and body set for its method and path
 * ({@code 404} with an API.md-shaped error otherwise). It checks nothing, so tests assert on what
 * the CLI sent.
 */
final class FakeStore implements AutoCloseable, AfterEachCallback {

    /** One request as the fake read it; the path is raw, still percent-encoded. */
    record Recorded(String method, String path, String rawQuery, String authorization, String contentType, String body) {
    }

    private record Canned(int status, String body) {
    }

    private final HttpServer server;
    private final Map<String, Canned> answers = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();

    private FakeStore(HttpServer server) {
        this.server = server;
    }

    /** A started fake; as a test's {@code @RegisterExtension} field, one per test, closed after it. */
    static FakeStore start() {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("no loopback port for the fake store", e);
        }
        FakeStore fake = new FakeStore(server);
        server.createContext("/", fake::handle);
        server.start();
        return fake;
    }

    /** Answers {@code method rawPath} with this status and body from now on. */
    FakeStore answer(String method, String rawPath, int status, String body) {
        answers.put(method + " " + rawPath, new Canned(status, body));
        return this;
    }

    /** The base URL to give {@code --url}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** The only request received; fails the test if there was not exactly one. */
    Recorded onlyRequest() {
        if (requests.size() != 1) {
            throw new AssertionError("expected one request, got " + requests);
        }
        return requests.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String path = exchange.getRequestURI().getRawPath();
        requests.add(new Recorded(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body));
        Canned canned = answers.getOrDefault(exchange.getRequestMethod() + " " + path,
                new Canned(404, "{\"error\": \"no canned answer for " + path + "\"}"));
        byte[] bytes = canned.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        // -1: a response without a body, as 204 must be.
        exchange.sendResponseHeaders(canned.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
