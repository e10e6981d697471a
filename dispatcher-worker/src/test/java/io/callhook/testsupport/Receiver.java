package io.callhook.testsupport;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 standing in for a customer's endpoint: records every request
 * (with the time it came) and answers as the test tells it to, including never.
 */
public final class Receiver implements AutoCloseable {

    /** A received request. */
    public record Hit(String method, String uri, Map<String, String> headers, byte[] body, Instant at) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** How to answer the n-th request (0-based). */
    public record Answer(int status, Map<String, String> headers, String body, boolean silent) {
        public static Answer status(int status) {
            return new Answer(status, Map.of(), "", false);
        }

        public static Answer never() {
            return new Answer(0, Map.of(), "", true);
        }

        public Answer withHeader(String name, String value) {
            Map<String, String> all = new TreeMap<>(headers);
            all.put(name, value);
            return new Answer(status, all, body, silent);
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final List<Hit> hits = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Function<Integer, Answer> answers = n -> Answer.status(200);
    private volatile long delayMillis;
    private volatile boolean keepHits = true;
    private int count;
    private String host;

    private Receiver(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    public static Receiver start(Vertx vertx) {
        return startOn(vertx, "127.0.0.1");
    }

    /** A receiver on another loopback address, e.g. {@code ::1}. */
    public static Receiver startOn(Vertx vertx, String host) {
        Receiver[] holder = new Receiver[1];
        HttpServer server = vertx.createHttpServer()
                .connectionHandler(connection -> holder[0].connections.incrementAndGet())
                .requestHandler(request -> holder[0].handle(request));
        holder[0] = new Receiver(vertx, server);
        server.listen(0, host).await();
        holder[0].host = host.contains(":") ? "[" + host + "]" : host;
        return holder[0];
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            int n;
            synchronized (hits) {
                n = count++;
                if (keepHits) {
                    hits.add(new Hit(request.method().name(), request.uri(), lowerCase(request.headers()), body.getBytes(), Instant.now()));
                }
            }
            Answer answer = answers.apply(n);
            if (answer.silent()) {
                return;
            }
            Runnable respond = () -> {
                answer.headers().forEach(request.response()::putHeader);
                request.response().setStatusCode(answer.status()).end(Buffer.buffer(answer.body()));
            };
            if (delayMillis > 0) {
                vertx.setTimer(delayMillis, id -> respond.run());
            } else {
                respond.run();
            }
        });
    }

    private static Map<String, String> lowerCase(MultiMap headers) {
        Map<String, String> map = new TreeMap<>();
        headers.forEach(entry -> map.put(entry.getKey().toLowerCase(java.util.Locale.ROOT), entry.getValue()));
        return map;
    }

    /** Answers request n (0-based, counted across all requests) with {@code answers.apply(n)}. */
    public Receiver answering(Function<Integer, Answer> answers) {
        this.answers = answers;
        return this;
    }

    public Receiver delaying(long millis) {
        this.delayMillis = millis;
        return this;
    }

    public String url(String path) {
        return "http://" + host + ":" + server.actualPort() + path;
    }

    public int port() {
        return server.actualPort();
    }

    /** How many requests arrived: cheap enough to poll, unlike copying {@link #hits()}. */
    public int count() {
        synchronized (hits) {
            return count;
        }
    }

    /** Counts requests without keeping them, for runs of many thousands ({@link #hits()} stays empty). */
    public Receiver countingOnly() {
        keepHits = false;
        return this;
    }

    public List<Hit> hits() {
        synchronized (hits) {
            return new ArrayList<>(hits);
        }
    }

    public int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        server.close().await();
    }
}
