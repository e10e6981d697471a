package io.callhook.store.api;

import static io.callhook.store.api.Replies.problems;
import static io.callhook.store.api.Replies.send;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callhook.model.Subscription;
import io.callhook.store.service.AccountLimiter;
import io.callhook.store.service.Outcome;
import io.callhook.store.service.SubscriptionInput;
import io.callhook.store.service.SubscriptionService;
import io.callhook.store.stats.AttemptLog;
import io.callhook.store.stats.AttemptPages;
import io.callhook.store.stats.StatsQueries;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of API.md and the web page, on Vert.x Web. Handlers check the caller, parse and
 * translate; the service does the work (on worker threads: it waits for Kafka). An account
 * asking about another account's subscription gets 404, as if it did not exist.
 *
 * <p>Every endpoint authenticates before it reads a body, and reads only JSON bodies up to
 * {@link #MAX_BODY}, in memory: no form is parsed and no upload is written anywhere.
 */
public final class StoreApi {

    static final int MAX_BODY = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(StoreApi.class);
    private static final String PRINCIPAL = "principal";
    /** Where the OpenAPI 3.1 description of this API is served; the same file is in the jar at {@code api/openapi.json}. */
    public static final String OPENAPI_PATH = "/api/v1/openapi.json";
    private static final String OPENAPI = openApiDocument();
    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Vertx vertx;
    private final TokenAuth auth;
    private final SubscriptionService subscriptions;
    private final StatsQueries stats;
    private final AccountLimiter testCalls;
    private final ReplayRoutes replays;
    private final AttemptRoutes attempts;

    public StoreApi(Vertx vertx, TokenAuth auth, SubscriptionService subscriptions, StatsQueries stats, AccountLimiter testCalls,
                    ReplayRoutes replays, AttemptRoutes attempts) {
        this.vertx = vertx;
        this.auth = auth;
        this.subscriptions = subscriptions;
        this.stats = stats;
        this.testCalls = testCalls;
        this.replays = replays;
        this.attempts = attempts;
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
        router.post("/api/v1/subscriptions").handler(this::create);
        router.get("/api/v1/subscriptions").handler(this::list);
        router.get("/api/v1/subscriptions/:id").handler(this::get);
        router.put("/api/v1/subscriptions/:id").handler(ctx -> update(ctx, true));
        router.patch("/api/v1/subscriptions/:id").handler(ctx -> update(ctx, false));
        router.delete("/api/v1/subscriptions/:id").handler(this::delete);
        router.get("/api/v1/subscriptions/:id/secret").handler(this::secret);
        router.post("/api/v1/subscriptions/:id/rotate-secret").handler(this::rotateSecret);
        router.post("/api/v1/subscriptions/:id/test").handler(this::test);
        router.get("/api/v1/subscriptions/:id/attempts").handler(ctx -> attempts.list(ctx, caller(ctx)));
        router.get("/api/v1/subscriptions/:id/attempts/:attemptId").handler(ctx -> attempts.one(ctx, caller(ctx)));
        router.post("/api/v1/subscriptions/:id/attempts/:attemptId/resend").handler(ctx -> attempts.resend(ctx, caller(ctx)));
        router.get("/api/v1/dead-letters").handler(this::deadLetters);
        router.post("/api/v1/dead-letters/replay").handler(ctx -> replays.start(ctx, caller(ctx)));
        router.get("/api/v1/dead-letters/replays/:replayId").handler(ctx -> replays.status(ctx, caller(ctx)));
        router.route("/api/*").handler(ctx -> send(ctx, 404, JsonViews.error("no such endpoint: " + ctx.request().method() + " "
                + ctx.request().path())));
        router.post(StatsQueries.INTERNAL_PATH).handler(this::authenticateInstance).handler(StoreApi::onlyJsonBodies);
        router.post(StatsQueries.INTERNAL_PATH).handler(jsonBodies);
        router.post(StatsQueries.INTERNAL_PATH).handler(this::internalStats);
        router.post(StatsQueries.INTERNAL_ATTEMPTS_PATH).handler(this::authenticateInstance).handler(StoreApi::onlyJsonBodies);
        router.post(StatsQueries.INTERNAL_ATTEMPTS_PATH).handler(jsonBodies);
        router.post(StatsQueries.INTERNAL_ATTEMPTS_PATH).handler(this::internalAttempts);
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

    private static Principal caller(RoutingContext ctx) {
        return ctx.get(PRINCIPAL);
    }

    private void create(RoutingContext ctx) {
        Optional<SubscriptionInput> input = input(ctx);
        input.ifPresent(body -> blocking(ctx, () -> subscriptions.create(caller(ctx), body))
                .onSuccess(outcome -> respond(ctx, outcome, 201, true)));
    }

    private void list(RoutingContext ctx) {
        Principal caller = caller(ctx);
        String account = ctx.request().getParam("accountId");
        long accountId;
        if (account == null) {
            if (!(caller instanceof Principal.Account own)) {
                send(ctx, 400, problems("invalid request", "accountId: required with the admin token"));
                return;
            }
            accountId = own.accountId();
        } else {
            try {
                accountId = Long.parseLong(account);
            } catch (NumberFormatException e) {
                send(ctx, 400, problems("invalid request", "accountId: '" + account + "' is not a number"));
                return;
            }
        }
        if (!caller.mayAccess(accountId)) {
            send(ctx, 404, JsonViews.error("account " + accountId + " not found"));
            return;
        }
        List<Subscription> found = subscriptions.list(caller, accountId);
        stats.find(found.stream().map(Subscription::getId).toList()).onComplete(done -> {
            Map<String, ObjectNode> counters = done.succeeded() ? done.result() : Map.of();
            ObjectNode body = JsonViews.JSON.createObjectNode();
            ArrayNode list = body.putArray("subscriptions");
            found.forEach(subscription -> list.add(JsonViews.subscription(subscription, counters.get(subscription.getId()))));
            send(ctx, 200, body);
        });
    }

    private void get(RoutingContext ctx) {
        withSubscription(ctx, subscription -> stats.find(List.of(subscription.getId())).onComplete(done ->
                send(ctx, 200, JsonViews.subscription(subscription, done.succeeded() ? done.result().get(subscription.getId()) : null))));
    }

    private void secret(RoutingContext ctx) {
        withSubscription(ctx, subscription -> send(ctx, 200, JsonViews.secret(subscription)));
    }

    private void update(RoutingContext ctx, boolean replace) {
        String id = ctx.pathParam("id");
        input(ctx).ifPresent(body -> {
            Set<String> present = new HashSet<>();
            try {
                JsonViews.JSON.readTree(ctx.body().asString()).fieldNames().forEachRemaining(present::add);
            } catch (java.io.IOException alreadyParsed) {
                // input() parsed it already
            }
            blocking(ctx, () -> subscriptions.update(caller(ctx), id, body, present, replace))
                    .onSuccess(outcome -> respond(ctx, outcome, 200, false));
        });
    }

    private void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        blocking(ctx, () -> subscriptions.delete(caller(ctx), id)).onSuccess(outcome -> {
            if (outcome instanceof Outcome.NotFound<Void>) {
                Replies.notFound(ctx, "subscription " + id);
            } else {
                ctx.response().setStatusCode(204).end();
            }
        });
    }

    private void rotateSecret(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Optional<Duration> grace = Optional.empty();
        JsonNode body = JsonBodies.optionalObject(ctx);
        if (body == null) {
            return;
        }
        if (body.has("graceSeconds")) {
            if (!body.get("graceSeconds").canConvertToLong() || body.get("graceSeconds").asLong() < 0) {
                send(ctx, 400, problems("invalid request", "graceSeconds: must be a whole number of seconds, 0 or more"));
                return;
            }
            grace = Optional.of(Duration.ofSeconds(body.get("graceSeconds").asLong()));
        }
        Optional<Duration> chosen = grace;
        blocking(ctx, () -> subscriptions.rotateSecret(caller(ctx), id, chosen)).onSuccess(outcome -> respond(ctx, outcome, 200, true));
    }

    private void test(RoutingContext ctx) {
        withSubscription(ctx, subscription -> {
            // Counted against the subscription's account before any work, so refusing costs no worker thread.
            if (testCalls.tryAcquire(subscription.getAccountId()) instanceof AccountLimiter.Admission.Limited limited) {
                Replies.retryLater(ctx, 429, limited.retryAfter(), limited.message());
                return;
            }
            blocking(ctx, () -> subscriptions.sendTest(caller(ctx), subscription.getId())).onSuccess(outcome -> {
                if (outcome instanceof Outcome.Done<SubscriptionService.TestCall> done) {
                    ObjectNode body = JsonViews.JSON.createObjectNode().put("testCallId", done.value().callId());
                    ArrayNode events = body.putArray("events");
                    done.value().events().forEach(event -> events.add(event.name()));
                    send(ctx, 202, body);
                } else {
                    Replies.notFound(ctx, "subscription " + subscription.getId());
                }
            });
        });
    }

    private void deadLetters(RoutingContext ctx) {
        String id = ctx.request().getParam("subscriptionId");
        if (id == null) {
            send(ctx, 400, problems("invalid request", "subscriptionId: required"));
            return;
        }
        Optional<Subscription> subscription = subscriptions.get(caller(ctx), id);
        if (subscription.isEmpty()) {
            Replies.notFound(ctx, "subscription " + id);
            return;
        }
        stats.find(List.of(id)).onComplete(done -> {
            ObjectNode found = done.succeeded() ? done.result().get(id) : null;
            if (found == null) {
                send(ctx, 503, JsonViews.error("the dead letters are moving between instances; ask again shortly"));
                return;
            }
            ObjectNode body = JsonViews.JSON.createObjectNode();
            body.set("deadLetters", found.path("deadLetters"));
            send(ctx, 200, body);
        });
    }

    private void internalStats(RoutingContext ctx) {
        JsonNode body = JsonBodies.optionalObject(ctx);
        if (body == null) {
            return;
        }
        List<String> ids = new java.util.ArrayList<>();
        body.path("ids").forEach(id -> ids.add(id.asText()));
        ObjectNode answer = JsonViews.JSON.createObjectNode();
        ObjectNode all = answer.putObject("stats");
        stats.local(ids).forEach(all::set);
        send(ctx, 200, answer);
    }

    private void internalAttempts(RoutingContext ctx) {
        JsonNode body = JsonBodies.optionalObject(ctx);
        if (body == null) {
            return;
        }
        AttemptLog.Query query;
        try {
            query = AttemptPages.query(body);
        } catch (IllegalArgumentException e) {
            send(ctx, 400, JsonViews.error("not an attempt query: " + e.getMessage()));
            return;
        }
        stats.localAttempts(query).ifPresentOrElse(page -> send(ctx, 200, AttemptPages.page(page)),
                () -> send(ctx, 503, JsonViews.error("this instance does not keep that attempt log now")));
    }

    private void withSubscription(RoutingContext ctx, java.util.function.Consumer<Subscription> action) {
        Replies.withSubscription(ctx, subscriptions, caller(ctx), action);
    }

    /** The body as a subscription input, or an answer already sent (400/415). */
    private Optional<SubscriptionInput> input(RoutingContext ctx) {
        if (!JsonBodies.isJson(ctx)) {
            send(ctx, 415, JsonViews.error("send the body as application/json"));
            return Optional.empty();
        }
        try {
            return Optional.of(STRICT.readValue(ctx.body().asString(), SubscriptionInput.class));
        } catch (UnrecognizedPropertyException e) {
            send(ctx, 400, problems("invalid subscription", e.getPropertyName() + ": is not a field of a subscription"));
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            send(ctx, 400, problems("invalid subscription", (field.isEmpty() ? "body" : field) + ": has the wrong type"));
        } catch (Exception e) {
            send(ctx, 400, problems("invalid subscription", "body: not valid JSON"));
        }
        return Optional.empty();
    }

    /** @param showSecret whether the answer carries the signing secret (create and rotate only) */
    private void respond(RoutingContext ctx, Outcome<Subscription> outcome, int okStatus, boolean showSecret) {
        if (outcome instanceof Outcome.Done<Subscription> done) {
            Subscription subscription = done.value();
            stats.find(List.of(subscription.getId())).onComplete(found -> {
                ObjectNode counters = found.succeeded() ? found.result().get(subscription.getId()) : null;
                send(ctx, okStatus, showSecret ? JsonViews.withSecret(subscription, counters) : JsonViews.subscription(subscription, counters));
            });
        } else if (outcome instanceof Outcome.Refused<Subscription> refused) {
            send(ctx, 400, problems("invalid subscription", refused.problems().toArray(String[]::new)));
        } else if (outcome instanceof Outcome.Exceeded<Subscription> exceeded) {
            send(ctx, 409, JsonViews.error(exceeded.message()));
        } else if (outcome instanceof Outcome.NotFound<Subscription> missing) {
            Replies.notFound(ctx, "subscription " + missing.id());
        }
    }

    private <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
        return vertx.executeBlocking(work, false).onFailure(failure -> {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
            send(ctx, 503, JsonViews.error("the store could not complete the request: " + failure.getMessage()));
        });
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
