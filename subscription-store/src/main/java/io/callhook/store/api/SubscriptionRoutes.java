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
import io.callhook.model.SubscriptionStats;
import io.callhook.store.service.AccountLimiter;
import io.callhook.store.service.KafkaUnavailableException;
import io.callhook.store.service.Outcome;
import io.callhook.store.service.SubscriptionInput;
import io.callhook.store.service.SubscriptionService;
import io.callhook.store.stats.StatsQueries;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
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
 * {@code /api/v1/subscriptions} and {@code /api/v1/subscriptions/{id}}: create, list, read,
 * replace, change, delete, the secret and its rotation, test webhooks. The handlers parse and
 * translate; {@link SubscriptionService} does the work, on worker threads, as it waits for Kafka.
 * An account asking about another account's subscription gets 404, as if it did not exist.
 */
final class SubscriptionRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionRoutes.class);
    /** How long a caller is asked to wait when Kafka did not answer: about the broker check's period. */
    private static final Duration KAFKA_RETRY_AFTER = Duration.ofSeconds(5);
    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Vertx vertx;
    private final SubscriptionService subscriptions;
    private final StatsQueries stats;
    private final AccountLimiter testCalls;

    /** @param testCalls test webhooks, limited per account */
    SubscriptionRoutes(Vertx vertx, SubscriptionService subscriptions, StatsQueries stats, AccountLimiter testCalls) {
        this.vertx = vertx;
        this.subscriptions = subscriptions;
        this.stats = stats;
        this.testCalls = testCalls;
    }

    void create(RoutingContext ctx) {
        Optional<SubscriptionInput> input = input(ctx);
        input.ifPresent(body -> blocking(ctx, () -> subscriptions.create(StoreApi.caller(ctx), body))
                .onSuccess(outcome -> respond(ctx, outcome, 201, true)));
    }

    void list(RoutingContext ctx) {
        Principal caller = StoreApi.caller(ctx);
        String account = ctx.request().getParam("accountId");
        long accountId;
        if (account == null) {
            if (!(caller instanceof Principal.Account own)) {
                send(ctx, 400, problems("invalid subscription list", "accountId: required with the admin token"));
                return;
            }
            accountId = own.accountId();
        } else {
            try {
                accountId = Long.parseLong(account);
            } catch (NumberFormatException e) {
                send(ctx, 400, problems("invalid subscription list", "accountId: '" + account + "' is not a number"));
                return;
            }
        }
        if (!caller.mayAccess(accountId)) {
            send(ctx, 404, JsonViews.error("account " + accountId + " not found"));
            return;
        }
        List<Subscription> found = subscriptions.list(caller, accountId);
        stats.find(found.stream().map(Subscription::getId).toList()).onComplete(done -> {
            Map<String, SubscriptionStats> counters = done.succeeded() ? done.result() : Map.of();
            ObjectNode body = JsonViews.JSON.createObjectNode();
            ArrayNode list = body.putArray("subscriptions");
            found.forEach(subscription -> list.add(JsonViews.subscription(subscription, counters.get(subscription.getId()))));
            send(ctx, 200, body);
        });
    }

    void get(RoutingContext ctx) {
        withSubscription(ctx, subscription -> stats.find(List.of(subscription.getId())).onComplete(done ->
                send(ctx, 200, JsonViews.subscription(subscription, done.succeeded() ? done.result().get(subscription.getId()) : null))));
    }

    void secret(RoutingContext ctx) {
        withSubscription(ctx, subscription -> send(ctx, 200, JsonViews.secret(subscription)));
    }

    void update(RoutingContext ctx, boolean replace) {
        String id = ctx.pathParam("id");
        input(ctx).ifPresent(body -> {
            Set<String> present = new HashSet<>();
            try {
                JsonViews.JSON.readTree(ctx.body().asString()).fieldNames().forEachRemaining(present::add);
            } catch (java.io.IOException alreadyParsed) {
                // input() parsed it already
            }
            blocking(ctx, () -> subscriptions.update(StoreApi.caller(ctx), id, body, present, replace))
                    .onSuccess(outcome -> respond(ctx, outcome, 200, false));
        });
    }

    void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        blocking(ctx, () -> subscriptions.delete(StoreApi.caller(ctx), id)).onSuccess(outcome -> {
            if (outcome instanceof Outcome.NotFound<Void>) {
                Replies.notFound(ctx, "subscription " + id);
            } else {
                ctx.response().setStatusCode(204).end();
            }
        });
    }

    void rotateSecret(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Optional<Duration> grace = Optional.empty();
        JsonNode body = JsonBodies.optionalObject(ctx);
        if (body == null) {
            return;
        }
        if (body.has("graceSeconds")) {
            if (!body.get("graceSeconds").canConvertToLong() || body.get("graceSeconds").asLong() < 0) {
                send(ctx, 400, problems("invalid secret rotation", "graceSeconds: must be a whole number of seconds, 0 or more"));
                return;
            }
            grace = Optional.of(Duration.ofSeconds(body.get("graceSeconds").asLong()));
        }
        Optional<Duration> chosen = grace;
        blocking(ctx, () -> subscriptions.rotateSecret(StoreApi.caller(ctx), id, chosen)).onSuccess(outcome -> respond(ctx, outcome, 200, true));
    }

    void test(RoutingContext ctx) {
        withSubscription(ctx, subscription -> {
            // Counted against the subscription's account before any work, so refusing costs no worker thread.
            if (testCalls.tryAcquire(subscription.getAccountId()) instanceof AccountLimiter.Admission.Limited limited) {
                Replies.retryLater(ctx, 429, limited.retryAfter(), limited.message());
                return;
            }
            blocking(ctx, () -> subscriptions.sendTest(StoreApi.caller(ctx), subscription.getId())).onSuccess(outcome -> {
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

    private void withSubscription(RoutingContext ctx, java.util.function.Consumer<Subscription> action) {
        Replies.withSubscription(ctx, subscriptions, StoreApi.caller(ctx), action);
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
                SubscriptionStats counters = found.succeeded() ? found.result().get(subscription.getId()) : null;
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
            if (failure instanceof KafkaUnavailableException outage) {
                LOG.warn("{} {} not done: {} ({})", ctx.request().method(), ctx.request().path(), outage.getMessage(),
                        outage.getCause().toString());
                Replies.retryLater(ctx, 503, KAFKA_RETRY_AFTER, outage.getMessage());
                return;
            }
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
            send(ctx, 503, JsonViews.error("the store could not complete the request: " + failure.getMessage()));
        });
    }
}
