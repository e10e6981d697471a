package io.callhook.store.api;

import static io.callhook.store.api.Replies.problems;
import static io.callhook.store.api.Replies.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callhook.domain.DeadLetterReplayer.ReplayResult;
import io.callhook.domain.DeadLetterReplayer.ReplayScope;
import io.callhook.model.Subscription;
import io.callhook.model.SubscriptionStats;
import io.callhook.store.service.ReplayJobs;
import io.callhook.store.service.ReplayJobs.ReplayJob;
import io.callhook.store.service.SubscriptionService;
import io.callhook.store.stats.StatsQueries;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * {@code /api/v1/dead-letters}: a subscription's recent dead letters ({@code GET}), and sending
 * them back ({@code POST .../replay}, {@code GET .../replays/{id}}). A replay is a job (see {@link ReplayJobs}); the request is answered when it ends, or after
 * {@link #ANSWER_WITHIN} with the job still running, whose id the client then asks about.
 */
public final class DeadLetterRoutes {

    static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final SubscriptionService subscriptions;
    private final StatsQueries stats;
    private final ReplayJobs jobs;
    private final Duration maxRange;
    private final int maxLetters;
    private final Clock clock;

    /**
     * @param maxRange   longest time range one replay may cover
     * @param maxLetters most dead letters one replay sends back
     */
    public DeadLetterRoutes(Vertx vertx, SubscriptionService subscriptions, StatsQueries stats, ReplayJobs jobs, Duration maxRange,
                            int maxLetters, Clock clock) {
        this.vertx = vertx;
        this.subscriptions = subscriptions;
        this.stats = stats;
        this.jobs = jobs;
        this.maxRange = maxRange;
        this.maxLetters = maxLetters;
        this.clock = clock;
    }

    void list(RoutingContext ctx, Principal caller) {
        String id = ctx.request().getParam("subscriptionId");
        if (id == null) {
            send(ctx, 400, problems("invalid dead-letter query", "subscriptionId: required"));
            return;
        }
        Optional<Subscription> subscription = subscriptions.get(caller, id);
        if (subscription.isEmpty()) {
            Replies.notFound(ctx, "subscription " + id);
            return;
        }
        stats.find(List.of(id)).onComplete(done -> {
            SubscriptionStats found = done.succeeded() ? done.result().get(id) : null;
            if (found == null) {
                send(ctx, 503, JsonViews.error("the dead letters are moving between instances; ask again shortly"));
                return;
            }
            ObjectNode body = JsonViews.JSON.createObjectNode();
            body.set("deadLetters", JsonViews.deadLetters(found));
            send(ctx, 200, body);
        });
    }

    void start(RoutingContext ctx, Principal caller) {
        JsonNode body = JsonBodies.optionalObject(ctx);
        if (body == null) {
            return;
        }
        String id = body.path("subscriptionId").asText(null);
        if (id == null) {
            send(ctx, 400, problems("invalid replay", "subscriptionId: required"));
            return;
        }
        Instant to;
        Instant from;
        try {
            to = body.hasNonNull("to") ? Instant.parse(body.get("to").asText()) : clock.instant();
            from = body.hasNonNull("from") ? Instant.parse(body.get("from").asText()) : to.minus(maxRange);
        } catch (DateTimeParseException e) {
            send(ctx, 400, problems("invalid replay", "from/to: not an ISO-8601 instant such as 2026-11-23T09:15:30Z"));
            return;
        }
        if (!from.isBefore(to)) {
            send(ctx, 400, problems("invalid replay", "from/to: 'from' must come before 'to'"));
            return;
        }
        if (Duration.between(from, to).compareTo(maxRange) > 0) {
            send(ctx, 400, problems("invalid replay", "from/to: one replay covers at most " + maxRange.toHours()
                    + " hours; split the range"));
            return;
        }
        Optional<Subscription> subscription = subscriptions.get(caller, id);
        if (subscription.isEmpty()) {
            Replies.notFound(ctx, "subscription " + id);
            return;
        }
        String request = id + "|" + body.path("from").asText("") + "|" + body.path("to").asText("");
        ReplayJobs.Admission admission = jobs.start(subscription.get().getAccountId(), request,
                new ReplayScope(id, from, to, maxLetters));
        if (admission instanceof ReplayJobs.Admission.Started started) {
            answerWhenDone(ctx, started.job());
        } else if (admission instanceof ReplayJobs.Admission.Joined joined) {
            answerWhenDone(ctx, joined.job());
        } else if (admission instanceof ReplayJobs.Admission.Busy busy) {
            send(ctx, 409, JsonViews.error("replay " + busy.running().id() + " of this account is running; one replay runs at a "
                    + "time per account (GET /api/v1/dead-letters/replays/" + busy.running().id() + " tells when it ends)"));
        } else if (admission instanceof ReplayJobs.Admission.Limited limited) {
            Replies.retryLater(ctx, 429, limited.retryAfter(), limited.message());
        } else {
            Replies.retryLater(ctx, 503, Duration.ofSeconds(5), "every replay thread is busy; try again shortly");
        }
    }

    void status(RoutingContext ctx, Principal caller) {
        String id = ctx.pathParam("replayId");
        Optional<ReplayJob> job = jobs.find(id).filter(found -> caller.mayAccess(found.accountId()));
        if (job.isEmpty()) {
            Replies.notFound(ctx, "replay " + id);
        } else {
            send(ctx, 200, view(job.get()));
        }
    }

    private void answerWhenDone(RoutingContext ctx, ReplayJob job) {
        Context context = vertx.getOrCreateContext();
        long timer = vertx.setTimer(ANSWER_WITHIN.toMillis(), fired -> send(ctx, 202, view(job)));
        job.result().whenComplete((result, failure) -> context.runOnContext(ended -> {
            vertx.cancelTimer(timer);
            send(ctx, 202, view(job));
        }));
    }

    private static ObjectNode view(ReplayJob job) {
        ObjectNode node = JsonViews.JSON.createObjectNode();
        node.put("replayId", job.id());
        node.put("subscriptionId", job.scope().subscriptionId());
        node.put("from", job.scope().from().toString());
        node.put("to", job.scope().to().toString());
        node.put("startedAt", job.startedAt().toString());
        if (!job.result().isDone()) {
            node.put("state", "RUNNING");
            return node;
        }
        try {
            ReplayResult result = job.result().join();
            node.put("state", "DONE");
            node.put("replayed", result.replayed());
            node.put("alreadyReplayed", result.alreadyReplayed());
            node.put("complete", result.complete());
        } catch (CompletionException e) {
            node.put("state", "FAILED");
            node.put("error", String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
        }
        job.finishedAt().ifPresent(at -> node.put("finishedAt", at.toString()));
        return node;
    }
}
