package io.callhook.store.api;

import static io.callhook.store.api.Replies.send;

import io.callhook.store.service.AccountLimiter;
import io.callhook.store.service.SubscriptionService;
import io.callhook.store.stats.StatsQueries;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of API.md and the web page, on Vert.x Web: which handler answers which path, who
 * may ask (every endpoint authenticates before it reads a body), and how failures are answered.
 * One handler per resource does the rest: {@link SubscriptionRoutes}, {@link AttemptRoutes},
 * {@link DeadLetterRoutes}, and {@link InternalRoutes} for the instances among themselves.
 *
 * <p>Only JSON bodies up to {@link #MAX_BODY} are read, in memory: no form is parsed and no
 * upload is written anywhere.
 */
public final class StoreApi {

    static final int MAX_BODY = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(StoreApi.class);
    private static final String PRINCIPAL = "principal";
    /** Where the OpenAPI 3.1 description of this API is served; the same file is in the jar at {@code api/openapi.json}. */
    public static final String OPENAPI_PATH = "/api/v1/openapi.json";
    private static final String OPENAPI = openApiDocument();

    private final Vertx vertx;
    private final TokenAuth auth;
    private final SubscriptionRoutes subscriptions;
    private final AttemptRoutes attempts;
    private final DeadLetterRoutes deadLetters;
    private final InternalRoutes internal;

    /** @param testCalls test webhooks, limited per account */
    public StoreApi(Vertx vertx, TokenAuth auth, SubscriptionService subscriptions, StatsQueries stats, AccountLimiter testCalls,
                    DeadLetterRoutes deadLetters, AttemptRoutes attempts) {
        this.vertx = vertx;
        this.auth = auth;
        this.subscriptions = new SubscriptionRoutes(vertx, subscriptions, stats, testCalls);
        this.attempts = attempts;
        this.deadLetters = deadLetters;
        this.internal = new InternalRoutes(stats);
    }

    public Router router() {
        Router router = Router.router(vertx);
        BodyHandler jsonBodies = BodyHandler.create(false).setBodyLimit(MAX_BODY);
        // Two routes on purpose: Vert.x orders a body handler before any user handler within one
        // route, and here nothing of the body is read before the caller is known.
        // The API's own description is public, as API.md is: it holds no account's data.
        router.get(OPENAPI_PATH).handler(ctx -> ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
                .end(OPENAPI));
        router.route("/api/v1/*").handler(this::authenticate).handler(StoreApi::onlyJsonBodies);
        router.route("/api/v1/*").handler(jsonBodies);
        router.post("/api/v1/subscriptions").handler(subscriptions::create);
        router.get("/api/v1/subscriptions").handler(subscriptions::list);
        router.get("/api/v1/subscriptions/:id").handler(subscriptions::get);
        router.put("/api/v1/subscriptions/:id").handler(ctx -> subscriptions.update(ctx, true));
        router.patch("/api/v1/subscriptions/:id").handler(ctx -> subscriptions.update(ctx, false));
        router.delete("/api/v1/subscriptions/:id").handler(subscriptions::delete);
        router.get("/api/v1/subscriptions/:id/secret").handler(subscriptions::secret);
        router.post("/api/v1/subscriptions/:id/rotate-secret").handler(subscriptions::rotateSecret);
        router.post("/api/v1/subscriptions/:id/test").handler(subscriptions::test);
        router.get("/api/v1/subscriptions/:id/attempts").handler(ctx -> attempts.list(ctx, caller(ctx)));
        router.get("/api/v1/subscriptions/:id/attempts/:attemptId").handler(ctx -> attempts.one(ctx, caller(ctx)));
        router.post("/api/v1/subscriptions/:id/attempts/:attemptId/resend").handler(ctx -> attempts.resend(ctx, caller(ctx)));
        router.get("/api/v1/dead-letters").handler(ctx -> deadLetters.list(ctx, caller(ctx)));
        router.post("/api/v1/dead-letters/replay").handler(ctx -> deadLetters.start(ctx, caller(ctx)));
        router.get("/api/v1/dead-letters/replays/:replayId").handler(ctx -> deadLetters.status(ctx, caller(ctx)));
        router.route("/api/*").handler(ctx -> send(ctx, 404, JsonViews.error("no such endpoint: " + ctx.request().method() + " "
                + ctx.request().path())));
        for (String path : new String[] {StatsQueries.INTERNAL_PATH, StatsQueries.INTERNAL_ATTEMPTS_PATH}) {
            router.post(path).handler(this::authenticateInstance).handler(StoreApi::onlyJsonBodies);
            router.post(path).handler(jsonBodies);
        }
        router.post(StatsQueries.INTERNAL_PATH).handler(internal::stats);
        router.post(StatsQueries.INTERNAL_ATTEMPTS_PATH).handler(internal::attempts);
        router.route("/internal/*").handler(ctx -> send(ctx, 404, JsonViews.error("no such endpoint")));
        router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
        router.route().failureHandler(this::failure);
        return router;
    }

    private static String openApiDocument() {
        try (InputStream in = StoreApi.class.getResourceAsStream("/api/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("api/openapi.json is missing from the store's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading api/openapi.json", e);
        }
    }

    private void authenticate(RoutingContext ctx) {
        Optional<Principal> caller = auth.authenticate(ctx.request().getHeader("Authorization"));
        if (caller.isEmpty()) {
            send(ctx, 401, JsonViews.error("missing or invalid bearer token"));
            return;
        }
        ctx.put(PRINCIPAL, caller.get());
        ctx.next();
    }

    private void authenticateInstance(RoutingContext ctx) {
        if (!auth.isInstance(ctx.request().getHeader("Authorization"))) {
            send(ctx, 401, JsonViews.error("internal endpoint: for the store's instances only"));
            return;
        }
        ctx.next();
    }

    private static void onlyJsonBodies(RoutingContext ctx) {
        if (JsonBodies.carriesOtherThanJson(ctx)) {
            send(ctx, 415, JsonViews.error("send the body as application/json"));
            return;
        }
        ctx.next();
    }

    /** Who asked: set by the authentication every /api/v1 route passes first. */
    static Principal caller(RoutingContext ctx) {
        return ctx.get(PRINCIPAL);
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (status == 413) {
            send(ctx, 413, JsonViews.error("body larger than " + MAX_BODY + " bytes"));
            return;
        }
        if (ctx.failure() != null) {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
        }
        send(ctx, status, JsonViews.error(status == 500 ? "internal error" : "request failed"));
    }
}
