package io.callhook.service;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP server's life on a shared Vert.x: listen once, tell the port bound, stop. Start may be
 * tried again after it failed (another port, say); stop before start, or twice, does nothing.
 */
public final class HttpListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);

    private final Vertx vertx;
    private final String what;
    private volatile HttpServer server;

    /**
     * @param what what listens, for messages, e.g. {@code "ops server"}
     */
    public HttpListener(Vertx vertx, String what) {
        this.vertx = vertx;
        this.what = what;
    }

    /**
     * Starts listening.
     *
     * @return the port bound, once listening; a caller outside Vert.x waits with {@code start(...).await()}
     */
    public Future<Integer> start(Handler<HttpServerRequest> handler, String host, int port) {
        if (server != null) {
            return Future.failedFuture(new IllegalStateException(what + " already started"));
        }
        HttpServer created = vertx.createHttpServer().requestHandler(handler);
        server = created;
        return created.listen(port, host).map(HttpServer::actualPort)
                .onFailure(e -> {
                    server = null; // so start can be retried, e.g. on another port
                    LOG.error("{} cannot listen on {}:{}", what, host, port, e);
                });
    }

    /**
     * The port bound.
     *
     * @throws IllegalStateException before {@link #start} succeeded
     */
    public int port() {
        HttpServer current = server;
        if (current == null || current.actualPort() <= 0) {
            throw new IllegalStateException(what + " is not listening");
        }
        return current.actualPort();
    }

    /** Stops listening; the Vert.x stays up. */
    public Future<Void> stop() {
        HttpServer current = server;
        server = null;
        return current == null ? Future.succeededFuture() : current.close();
    }
}
