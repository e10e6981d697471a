package io.callhook.demo.inspector;

import io.callhook.demo.inspector.ReceivedWebhook.Pair;
import io.callhook.service.HttpListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local webhook.site: the URL a demo subscription points at, and the page that shows what
 * arrived there.
 *
 * <ul>
 *   <li>{@code ANY /hooks/**}: records the request (time, method, path and query, headers, body as
 *       UTF-8 text, decoded pairs of a form body or query string, size), checks its Standard
 *       Webhooks signature when a secret is registered for the path ({@link #registerSecret}), and
 *       answers {@code 200 ok}, or a failure chosen by {@link #respondWith} to show retries, at
 *       once or after a delay chosen by {@link #respondAfter} (a slow endpoint).</li>
 *   <li>{@code GET /api/webhooks?limit=&path=}: the kept requests, newest first, as JSON
 *       ({@code {"received","kept","capacity","webhooks":[...]}}); {@code limit} defaults to 50.</li>
 *   <li>{@code GET /api/webhooks/{n}}: one request by its sequence number; 404 once dropped.</li>
 *   <li>{@code DELETE /api/webhooks}: forgets every kept request ({@code {"cleared":k}}).</li>
 *   <li>{@code GET /}: a page listing them, refreshed every 2 s; self-contained, with a strict
 *       Content-Security-Policy, and every received value rendered as text, never as markup.</li>
 * </ul>
 * The latest {@link #DEFAULT_CAPACITY} requests are kept in memory; bodies over {@link #MAX_BODY}
 * are refused with 413 and not recorded.
 *
 * <p>It runs on a {@link Vertx} the caller owns, which {@link #close()} leaves running. There is no
 * authentication: like the rest of the demo it is meant to listen on loopback only.
 */
public final class WebhookInspector implements AutoCloseable {

    /** Requests kept by the three-argument constructor. */
    public static final int DEFAULT_CAPACITY = 500;
    /** Path prefix under which every request is recorded. */
    public static final String HOOKS_PREFIX = "/hooks/";
    /** Largest body accepted; webhooks are a few kilobytes. */
    public static final int MAX_BODY = 1024 * 1024;
    /** Bytes of each body kept for display; the signature is still checked over the whole body. */
    public static final int MAX_KEPT_BODY = 64 * 1024;

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookInspector.class);
    private static final int DEFAULT_LIMIT = 50;
    private static final long CLOSE_TIMEOUT_SECONDS = 10;
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final long LOOKUP_EVERY_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final Vertx vertx;
    private final String host;
    private final int requestedPort;
    private final Clock clock;
    private final WebhookRing ring;
    private final Map<String, List<byte[]>> secrets = new ConcurrentHashMap<>();
    private final Map<String, ResponseRule> responses = new ConcurrentHashMap<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final HttpListener listener;
    private final SecretLookup lookup;
    /** When each path's secrets were last looked up (nanoTime), so a stream of unsigned or forged requests asks rarely. */
    private final Map<String, Long> lookedUp = new ConcurrentHashMap<>();

    /** An inspector keeping the latest {@link #DEFAULT_CAPACITY} requests, on the system clock. */
    public WebhookInspector(Vertx vertx, String host, int port) {
        this(vertx, host, port, DEFAULT_CAPACITY, Clock.systemUTC());
    }

    /**
     * @param vertx    the Vert.x to run on; not closed by {@link #close()}
     * @param host     interface to bind, e.g. {@code 127.0.0.1}
     * @param port     port to bind; 0 picks a free one (see {@link #port()})
     * @param capacity how many requests to keep; at least 1
     * @param clock    time of arrival and reference for the signature's timestamp tolerance
     */
    public WebhookInspector(Vertx vertx, String host, int port, int capacity, Clock clock) {
        this(vertx, host, port, capacity, clock, SecretLookup.NONE);
    }

    /**
     * An inspector that also checks the webhooks of subscriptions it was not told about: when a
     * request's signature cannot be verified with the registered secrets, it asks {@code lookup}
     * for the path's secrets (at most every {@link #LOOKUP_EVERY_NANOS} per path) and checks again.
     */
    public WebhookInspector(Vertx vertx, String host, int port, int capacity, Clock clock, SecretLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.host = Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        this.requestedPort = port;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ring = new WebhookRing(capacity);
        this.listener = new HttpListener(vertx, "webhook inspector");
    }

    /**
     * Starts listening.
     *
     * @return the port bound, once listening; a caller outside Vert.x waits with {@code start().await()}
     */
    public Future<Integer> start() {
        return listener.start(router(), host, requestedPort)
                .onSuccess(bound -> LOG.info("Webhook inspector on http://{}:{}/ : point subscriptions at http://{}:{}{}<anything>",
                        host, bound, host, bound, HOOKS_PREFIX));
    }

    /**
     * The port bound.
     *
     * @throws IllegalStateException before {@link #start()} succeeded
     */
    public int port() {
        return listener.port();
    }

    /**
     * The URL of a path on this inspector, for a subscription to send to, e.g.
     * {@code url("/hooks/sub-1")} gives {@code http://127.0.0.1:8490/hooks/sub-1}. A wildcard bind
     * address is given as loopback.
     *
     * @throws IllegalStateException before {@link #start()} succeeded
     */
    public String url(String path) {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        if (shown.indexOf(':') >= 0) {
            shown = '[' + shown + ']';
        }
        return "http://" + shown + ':' + port() + path;
    }

    /**
     * Registers a secret of the subscription sending to {@code path}, so the requests there are
     * checked. Several may be registered for a path (a secret being rotated): a signature by any
     * of them is valid. Safe to call at any time, from any thread.
     *
     * @param path        the exact path, e.g. {@code /hooks/sub-1}, without query
     * @param whsecSecret {@code whsec_} followed by the base64 key
     * @throws IllegalArgumentException if the path is not under {@link #HOOKS_PREFIX} or the secret
     *                                  is malformed (the message never contains it)
     */
    public void registerSecret(String path, String whsecSecret) {
        checkHookPath(path);
        byte[] key = SignatureVerifier.decodeSecret(whsecSecret);
        secrets.compute(path, (p, known) -> {
            List<byte[]> keys = known == null ? new ArrayList<>() : new ArrayList<>(known);
            if (keys.stream().noneMatch(k -> Arrays.equals(k, key))) {
                keys.add(key);
            }
            return List.copyOf(keys);
        });
    }

    /** Forgets the secrets of a path: its requests are recorded as {@link SignatureCheck.Status#NO_SECRET}. */
    public void forgetSecrets(String path) {
        secrets.remove(path);
    }

    /**
     * Makes a path fail, to show the dispatcher's retries: a {@code share} of its requests, drawn at
     * random, is answered with {@code status} instead of 200; e.g. {@code respondWith("/hooks/flaky",
     * 503, 0.5)}, or {@code 410} with share 1 to show a subscription being disabled.
     *
     * @param status 200..599
     * @param share  0..1; 1 answers every request with {@code status}
     */
    public void respondWith(String path, int status, double share) {
        checkHookPath(path);
        responses.put(path, new ResponseRule(status, share));
    }

    /**
     * Makes a path slow: each request is recorded when it arrives and answered {@code delay}
     * later, e.g. to have deliveries in flight when something else happens.
     *
     * @param delay more than zero and at most 5 minutes
     */
    public void respondAfter(String path, Duration delay) {
        checkHookPath(path);
        if (delay.isNegative() || delay.isZero() || delay.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("delay must be more than zero and at most 5 minutes, was " + delay);
        }
        delays.put(path, delay);
    }

    /** Answers the path's requests with 200 again, at once. */
    public void respondNormally(String path) {
        responses.remove(path);
        delays.remove(path);
    }

    /** Up to {@code limit} kept requests, newest first; only those to {@code path} unless it is null. */
    public List<ReceivedWebhook> webhooks(int limit, String path) {
        return ring.newest(limit, path);
    }

    /** Requests received since start, including those no longer kept. */
    public long received() {
        return ring.received();
    }

    /** Forgets every kept request; returns how many. Sequence numbers go on from where they were. */
    public int clear() {
        return ring.clear();
    }

    /** Stops listening; the Vert.x stays up. Calling it again, or before start, does nothing. */
    public Future<Void> stop() {
        return listener.stop();
    }

    /** Stops listening and waits up to 10 s; must not be called on a Vert.x thread. */
    @Override
    public void close() throws TimeoutException {
        stop().await(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private Router router() {
        Router router = Router.router(vertx);
        // No file uploads: a multipart body is recorded as text, never written to disk.
        router.route("/hooks/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY).setMergeFormAttributes(false))
                .handler(this::receive);
        router.route().handler(WebhookInspector::pageHeaders);
        router.get("/api/webhooks").handler(this::list);
        router.get("/api/webhooks/:n").handler(this::one);
        router.delete("/api/webhooks").handler(ctx -> json(ctx, 200, InspectorJson.cleared(ring.clear())));
        router.route("/api/*").handler(ctx -> json(ctx, 404, InspectorJson.error(
                "no such endpoint: " + ctx.request().method() + " " + ctx.request().path())));
        router.get("/*").handler(StaticHandler.create("inspector").setCachingEnabled(false));
        return router;
    }

    private void receive(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Buffer buffer = ctx.body().buffer();
        byte[] body = buffer == null ? new byte[0] : buffer.getBytes();
        ResponseRule rule = responses.get(request.path());
        int status = rule != null && rule.applies(ThreadLocalRandom.current().nextDouble()) ? rule.status() : 200;
        ReceivedWebhook first = record(request, body, status);
        if (first.signature().status() == SignatureCheck.Status.VALID || !lookupDue(request.path())) {
            answer(ctx, ring.add(first), status);
            return;
        }
        // A subscription made elsewhere (the page, the CLI) or a rotated secret: ask, then check again.
        String path = request.path();
        vertx.executeBlocking(() -> lookup.secretsFor(path), false).onComplete(found -> {
            if (found.succeeded()) {
                found.result().forEach(secret -> registerSecret(path, secret));
            } else {
                LOG.warn("Could not look up the secrets of {}: {}", path, found.cause().toString());
            }
            answer(ctx, ring.add(found.succeeded() && !found.result().isEmpty() ? record(request, body, status) : first), status);
        });
    }

    private boolean lookupDue(String path) {
        if (lookup == SecretLookup.NONE) {
            return false;
        }
        long now = System.nanoTime();
        Long last = lookedUp.get(path);
        if (last != null && now - last < LOOKUP_EVERY_NANOS) {
            return false;
        }
        return last == null ? lookedUp.putIfAbsent(path, now) == null : lookedUp.replace(path, last, now);
    }

    private void answer(RoutingContext ctx, ReceivedWebhook recorded, int status) {
        Duration delay = delays.get(ctx.request().path());
        if (delay == null) {
            answerNow(ctx, recorded, status);
        } else {
            vertx.setTimer(delay.toMillis(), timer -> answerNow(ctx, recorded, status));
        }
    }

    private void answerNow(RoutingContext ctx, ReceivedWebhook recorded, int status) {
        LOG.debug("Received #{} {} {} ({} bytes, signature {}) answered {}", recorded.n(), recorded.method(),
                recorded.uri(), recorded.size(), recorded.signature().status(), status);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8");
        // 204 and 304 must not carry a body.
        if (status == 204 || status == 304) {
            ctx.response().end();
        } else {
            ctx.response().end(status == 200 ? "ok" : "inspector: simulated failure " + status);
        }
    }

    private ReceivedWebhook record(HttpServerRequest request, byte[] body, int status) {
        Instant now = clock.instant();
        List<Pair> headers = new ArrayList<>();
        request.headers().forEach(header -> headers.add(new Pair(header.getKey(), header.getValue())));
        String contentType = request.getHeader("Content-Type");
        boolean truncated = body.length > MAX_KEPT_BODY;
        String text = new String(body, 0, Math.min(body.length, MAX_KEPT_BODY), StandardCharsets.UTF_8);
        // Decoded from the whole body, so the pairs are complete even when the text shown is cut.
        List<Pair> form = FormDecoding.isForm(contentType)
                ? FormDecoding.decode(new String(body, StandardCharsets.UTF_8)) : null;
        List<Pair> queryParams = FormDecoding.decode(request.query());
        String webhookId = request.getHeader("webhook-id");
        // A GET has no body: its signature covers the raw query string as it came.
        byte[] signed = request.method() == io.vertx.core.http.HttpMethod.GET
                ? (request.query() == null ? new byte[0] : request.query().getBytes(StandardCharsets.UTF_8)) : body;
        SignatureCheck signature = SignatureVerifier.verify(secrets.getOrDefault(request.path(), List.of()), webhookId,
                request.getHeader("webhook-timestamp"), request.getHeader("webhook-signature"), signed, now);
        SocketAddress remote = request.remoteAddress();
        return new ReceivedWebhook(0, now, request.method().name(), request.path(), request.query(),
                remote == null ? null : remote.hostAddress(), headers, contentType, body.length, text, truncated, form,
                queryParams, webhookId, signature, Summaries.of(contentType, text, form, queryParams), status);
    }

    private void list(RoutingContext ctx) {
        String limitParam = ctx.request().getParam("limit");
        int limit = DEFAULT_LIMIT;
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > ring.capacity()) {
                json(ctx, 400, InspectorJson.error("limit must be a number 1.." + ring.capacity()));
                return;
            }
        }
        String path = ctx.request().getParam("path");
        List<ReceivedWebhook> found = ring.newest(limit, path == null || path.isEmpty() ? null : path);
        json(ctx, 200, InspectorJson.list(found, ring.received(), ring.size(), ring.capacity()));
    }

    private void one(RoutingContext ctx) {
        long n;
        try {
            n = Long.parseLong(ctx.pathParam("n"));
        } catch (NumberFormatException e) {
            json(ctx, 400, InspectorJson.error("a webhook is addressed by its number n"));
            return;
        }
        ring.get(n).ifPresentOrElse(webhook -> json(ctx, 200, InspectorJson.one(webhook)),
                () -> json(ctx, 404, InspectorJson.error("webhook " + n + " is not kept (never received, cleared or dropped)")));
    }

    private static void pageHeaders(RoutingContext ctx) {
        // Sent as headers too: a meta tag cannot set frame-ancestors, and the JSON needs them as well.
        ctx.response()
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Cache-Control", "no-store");
        ctx.next();
    }

    private static void json(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", JSON_TYPE).end(body);
    }

    private static void checkHookPath(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith(HOOKS_PREFIX) || path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
            throw new IllegalArgumentException("a hook path starts with " + HOOKS_PREFIX + " and has no query: " + path);
        }
    }

    /** How a failing path answers: {@code status} for a {@code share} of requests. */
    private record ResponseRule(int status, double share) {
        ResponseRule {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("status must be 200..599, was " + status);
            }
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("share must be 0..1, was " + share);
            }
        }

        boolean applies(double draw) {
            return draw < share;
        }
    }
}
