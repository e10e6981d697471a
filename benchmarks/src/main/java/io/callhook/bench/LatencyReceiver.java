package io.callhook.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fast local receiver for the end-to-end benchmark: answers 204 at once and notes, per
 * webhook id, when the first copy arrived. With the time each call event was published this
 * gives true end-to-end latency, on one clock.
 */
final class LatencyReceiver implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final HttpServer server;
    private final Map<String, Long> firstArrival = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    LatencyReceiver() {
        server = vertx.createHttpServer().requestHandler(request -> request.endHandler(end -> {
            long now = System.nanoTime();
            requests.incrementAndGet();
            String id = request.getHeader("webhook-id");
            if (id != null) {
                firstArrival.putIfAbsent(id, now);
            }
            request.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1").await();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    int distinct() {
        return firstArrival.size();
    }

    long requests() {
        return requests.get();
    }

    Long arrivalOf(String webhookId) {
        return firstArrival.get(webhookId);
    }

    /** Arrival times, sorted. */
    List<Long> arrivals() {
        List<Long> all = new ArrayList<>(firstArrival.values());
        all.sort(Long::compare);
        return all;
    }

    void clear() {
        firstArrival.clear();
        requests.set(0);
    }

    @Override
    public void close() {
        server.close().await();
        vertx.close().await();
    }
}
