package io.callhook.service;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops HTTP endpoints of a service:
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format 0.0.4 from the registry;</li>
 *   <li>{@code GET /health/live}: 200 {@code {"status":"UP"}} while the process (and its event
 *       loop) responds, 503 {@code {"status":"DOWN","reason":"..."}} once {@link #markDead} was
 *       called (a part the service cannot run without has failed and the process is exiting);</li>
 *   <li>{@code GET /health/ready}: 200 {@code {"status":"UP","checks":{"name":"UP",...}}} when every
 *       readiness check is up, else 503 {@code {"status":"DOWN","checks":{"kafka-streams":"REBALANCING"}}}
 *       with each failing check's reason.</li>
 * </ul>
 * {@link #start} is asynchronous and returns a {@link Future} of the bound port; a caller outside
 * Vert.x waits with {@code start(host, port).await()}. Services that run Vert.x anyway pass their
 * {@link Vertx}; others use {@link #withOwnVertx}, whose Vert.x is closed by {@link #close()}.
 */
public final class OpsServer implements AutoCloseable {

    /** Interface the ops endpoints bind to. */
    public static final ConfigKey<String> HOST = ConfigKey.string("callhook.ops.host",
            "Interface the ops endpoints (/metrics, /health/live, /health/ready) listen on. "
                    + "The default keeps them off the network; containers set 0.0.0.0 so Prometheus can scrape.")
            .withDefault("127.0.0.1");

    /** Content type of the Prometheus text exposition format that {@code registry.scrape()} writes. */
    public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final PrometheusMeterRegistry registry;
    private final ReadinessChecks readiness = new ReadinessChecks();
    private final HttpListener listener;
    private volatile String deadBecause;

    /** An ops server on a shared Vert.x, which {@link #close()} leaves running. */
    public OpsServer(Vertx vertx, PrometheusMeterRegistry registry) {
        this(vertx, false, registry);
    }

    private OpsServer(Vertx vertx, boolean ownsVertx, PrometheusMeterRegistry registry) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.ownsVertx = ownsVertx;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.listener = new HttpListener(vertx, "ops server");
    }

    /** An ops server on a Vert.x of its own (for services that do not use Vert.x otherwise), closed with it. */
    public static OpsServer withOwnVertx(PrometheusMeterRegistry registry) {
        return new OpsServer(Vertx.vertx(), true, registry);
    }

    /**
     * The port key, with the default a service listens on. Call it once and keep the key in a
     * constant: {@link Config#get} accepts only the key object it was loaded with.
     */
    public static ConfigKey<Integer> portKey(int defaultPort) {
        return ConfigKey.intRange("callhook.ops.port",
                "Port of the ops endpoints (/metrics, /health/live, /health/ready); 0 picks a free port.", 0, 65535)
                .withDefault(Integer.toString(defaultPort));
    }

    /**
     * Registers a readiness check; {@code /health/ready} is 200 only while every check is up.
     * Checks run on a worker thread at each probe, so they may block briefly, but should be quick.
     *
     * @throws IllegalArgumentException if a check of that name exists
     */
    public OpsServer addReadinessCheck(String name, Supplier<HealthStatus> check) {
        readiness.add(name, check);
        return this;
    }

    /**
     * Says from now on that the process is not alive: {@code /health/live} and
     * {@code /health/ready} answer 503 with the reason, until the process exits.
     */
    public void markDead(String reason) {
        deadBecause = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Starts listening.
     *
     * @param host interface to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
     * @param port port to bind; 0 picks a free one
     * @return the port actually bound, once listening
     */
    public Future<Integer> start(String host, int port) {
        return listener.start(router(), host, port)
                .onSuccess(bound -> log.info("ops endpoints on http://{}:{}/ (metrics, health/live, health/ready)",
                        host, bound));
    }

    /**
     * The port bound.
     *
     * @throws IllegalStateException before {@link #start} succeeded
     */
    public int port() {
        return listener.port();
    }

    /** Stops listening; the Vert.x stays up. Calling it again, or before start, does nothing. */
    public Future<Void> stop() {
        return listener.stop();
    }

    /**
     * Stops listening and closes the Vert.x if this server created it; waits up to 10 s.
     * Meant for {@link Shutdown}; must not be called on a Vert.x thread.
     */
    @Override
    public void close() throws TimeoutException {
        stop().await(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        // Awaited apart, not chained with eventually(): a future bound to this Vert.x's event loop
        // cannot deliver its result once that Vert.x is closed, and would never complete.
        if (ownsVertx) {
            vertx.close().await(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private Router router() {
        Router router = Router.router(vertx);
        // Liveness stays on the event loop on purpose: answering proves the loop is not stuck.
        router.get("/health/live").handler(ctx -> {
            String dead = deadBecause;
            if (dead == null) {
                json(ctx, 200, new JsonObject().put("status", "UP"));
            } else {
                json(ctx, 503, new JsonObject().put("status", "DOWN").put("reason", dead));
            }
        });
        // Readiness checks are service code and scraping walks every meter: both go to a worker
        // so they never stall an event loop the service shares; unordered, probes need no queue.
        router.get("/health/ready").blockingHandler(this::ready, false);
        router.get("/metrics").blockingHandler(this::metrics, false);
        return router;
    }

    private void ready(RoutingContext ctx) {
        String dead = deadBecause;
        if (dead != null) {
            json(ctx, 503, new JsonObject().put("status", "DOWN").put("reason", dead));
            return;
        }
        ReadinessChecks.Report report = readiness.evaluate();
        JsonObject body = new JsonObject()
                .put("status", report.ready() ? "UP" : "DOWN")
                .put("checks", new JsonObject(new LinkedHashMap<String, Object>(report.checks())));
        json(ctx, report.ready() ? 200 : 503, body);
    }

    private void metrics(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", METRICS_CONTENT_TYPE).end(registry.scrape());
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
