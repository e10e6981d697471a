package io.callhook.dispatcher.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver for integration tests: a real Vert.x HTTP server on a loopback address and a
 * free port, recording every connection it accepts and every request it reads, then answering as
 * the test says.
 */
final class Receiver implements AutoCloseable {

    /** One request as the receiver read it. */
    record Received(String method, String uri, List<Map.Entry<String, String>> headers, Buffer body, String localAddress) {
        String header(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
        }

        List<String> headerNames() {
            return headers.stream().map(Map.Entry::getKey).toList();
        }
    }

    /** How the receiver answers a request whose body it has read. */
    @FunctionalInterface
    interface Answer {
        void answer(HttpServerRequest request, Buffer body);
    }

    private final HttpServer server;
    private final AtomicInteger connections;
    private final List<Received> requests;

    private Receiver(HttpServer server, AtomicInteger connections, List<Received> requests) {
        this.server = server;
        this.connections = connections;
        this.requests = requests;
    }

    static Receiver start(Vertx vertx, String host, Answer answer) {
        return start(vertx, new HttpServerOptions(), host, answer);
    }

    static Receiver start(Vertx vertx, HttpServerOptions options, String host, Answer answer) {
        AtomicInteger connections = new AtomicInteger();
        List<Received> requests = new CopyOnWriteArrayList<>();
        Handler<HttpServerRequest> handler = request -> request.body().onSuccess(body -> {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            request.headers().forEach(h -> headers.add(Map.entry(h.getKey(), h.getValue())));
            requests.add(new Received(request.method().name(), request.uri(), headers, body, request.localAddress().hostAddress()));
            answer.answer(request, body);
        });
        HttpServer server = vertx.createHttpServer(options)
                .connectionHandler(connection -> connections.incrementAndGet())
                .requestHandler(handler)
                .listen(0, host)
                .await();
        return new Receiver(server, connections, requests);
    }

    /** Answers every request with this status and body. */
    static Answer status(int status, String body) {
        return (request, ignored) -> request.response().setStatusCode(status).end(body);
    }

    int port() {
        return server.actualPort();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    List<Received> requests() {
        return requests;
    }

    @Override
    public void close() {
        server.close().await();
    }
}
