package io.callhook.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fast local webhook receiver: answers 204 at once and notes when each request arrived, so
 * the steady-state rate can be read between two fractions of a run. On a Vert.x of its own.
 */
final class CountingReceiver implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final HttpServer server;
    private final AtomicInteger count = new AtomicInteger();
    private volatile long[] arrivals = new long[0];

    CountingReceiver() {
        server = vertx.createHttpServer().requestHandler(request -> {
            request.endHandler(end -> {
                int n = count.getAndIncrement();
                long[] current = arrivals;
                if (n < current.length) {
                    current[n] = System.nanoTime();
                }
                request.response().setStatusCode(204).end();
            });
        });
        server.listen(0, "127.0.0.1").await();
    }

    /** Starts counting afresh, expecting {@code expected} requests. */
    void expect(int expected) {
        arrivals = new long[expected];
        count.set(0);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    int count() {
        return count.get();
    }

    void awaitAll(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count.get() < arrivals.length) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count.get() + " of " + arrivals.length + " requests arrived");
            }
            Thread.sleep(10);
        }
    }

    /** Requests per second between the given fractions of the expected count. */
    double ratePerSecond(double from, double to) {
        long[] current = arrivals;
        int first = (int) (current.length * from);
        int last = (int) (current.length * to) - 1;
        return (last - first) / ((current[last] - current[first]) / 1e9);
    }

    @Override
    public void close() {
        server.close().await();
        vertx.close().await();
    }
}
