package io.callhook.deploy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The customers' webhook endpoints of a test, one loopback HTTP server: under {@code /ok/} they
 * answer 200, under {@code /down/} 503, under {@code /gone/} 410 Gone (which disables the
 * subscription). Requests are counted by kind.
 */
final class Endpoints implements AutoCloseable {

    enum Kind {
        OK(200, "ok"), DOWN(503, "down for maintenance"), GONE(410, "this hook is gone");

        final int status;
        final String body;
        final String path = "/" + name().toLowerCase(java.util.Locale.ROOT) + "/";

        Kind(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final Map<Kind, AtomicInteger> received = new EnumMap<>(Kind.class);

    private Endpoints(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    static Endpoints start() {
        Vertx vertx = Vertx.vertx();
        Map<Kind, AtomicInteger> counts = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            counts.put(kind, new AtomicInteger());
        }
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            Kind kind = Kind.DOWN;
            for (Kind candidate : Kind.values()) {
                if (request.path().startsWith(candidate.path)) {
                    kind = candidate;
                }
            }
            counts.get(kind).incrementAndGet();
            request.response().setStatusCode(kind.status).end(kind.body);
        })).listen(0, "127.0.0.1").await();
        Endpoints endpoints = new Endpoints(vertx, server);
        endpoints.received.putAll(counts);
        return endpoints;
    }

    /** An endpoint's URL, e.g. {@code http://127.0.0.1:41234/down/crm}. */
    String url(Kind kind, String name) {
        return "http://127.0.0.1:" + server.actualPort() + kind.path + name;
    }

    int received(Kind kind) {
        return received.get(kind).get();
    }

    @Override
    public void close() {
        server.close().await();
        vertx.close().await();
    }
}
