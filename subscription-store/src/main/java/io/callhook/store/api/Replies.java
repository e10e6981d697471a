package io.callhook.store.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.callhook.model.Subscription;
import io.callhook.store.service.SubscriptionService;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/** How the API answers: JSON, never cached, once. */
final class Replies {

    private Replies() {
    }

    /** Sends the body; its problems in Russian when the client asks for Russian first ({@link RussianProblems}). */
    static void send(RoutingContext ctx, int status, ObjectNode body) {
        if (ctx.response().ended()) {
            return;
        }
        if (body.get("problems") instanceof ArrayNode problems && RussianProblems.wanted(ctx.request().getHeader("Accept-Language"))) {
            for (int i = 0; i < problems.size(); i++) {
                problems.set(i, TextNode.valueOf(RussianProblems.translate(problems.get(i).asText())));
            }
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(body.toString());
    }

    /** 429 or 503 with how long to wait, in whole seconds (at least 1), as {@code Retry-After} says it. */
    static void retryLater(RoutingContext ctx, int status, Duration wait, String message) {
        if (!ctx.response().ended()) {
            ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
        }
        send(ctx, status, JsonViews.error(message));
    }

    /** 400's body: a title ("invalid subscription", "invalid request") and each problem, starting with its field. */
    static ObjectNode problems(String title, String... problems) {
        ObjectNode body = JsonViews.error(title);
        ArrayNode list = body.putArray("problems");
        for (String problem : problems) {
            list.add(problem);
        }
        return body;
    }

    /** The subscription of the path's {@code id} the caller may see, to {@code action}; else 404, as if it did not exist. */
    static void withSubscription(RoutingContext ctx, SubscriptionService subscriptions, Principal caller,
                                 Consumer<Subscription> action) {
        String id = ctx.pathParam("id");
        Optional<Subscription> subscription = subscriptions.get(caller, id);
        if (subscription.isEmpty()) {
            notFound(ctx, "subscription " + id);
        } else {
            action.accept(subscription.get());
        }
    }

    static void notFound(RoutingContext ctx, String what) {
        send(ctx, 404, JsonViews.error(what + " not found"));
    }
}
