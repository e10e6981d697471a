package io.callhook.store.api;

import static io.callhook.store.api.Replies.problems;
import static io.callhook.store.api.Replies.send;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callhook.model.AttemptOutcome;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import io.callhook.store.service.AccountLimiter;
import io.callhook.store.service.AttemptRequests;
import io.callhook.store.service.SubscriptionService;
import io.callhook.store.stats.AttemptLog;
import io.callhook.store.stats.StatsQueries;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription's attempt log: {@code GET .../attempts} (paged, filtered by outcome and call),
 * {@code GET .../attempts/{attemptId}} (the attempt with the request it sent) and
 * {@code POST .../attempts/{attemptId}/resend}. Reading a request and sending it again wait for
 * the broker: they run on a small pool of their own and are limited per account, so one tenant
 * asking for many cannot hold up the others or the API's shared threads.
 */
public final class AttemptRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(AttemptRoutes.class);
    /** A cursor as {@link AttemptLog} makes them: newest-first time, then the attempt id. */
    private static final Pattern CURSOR = Pattern.compile("\\d{19}/[A-Za-z0-9_./:-]{1,200}");

    private final SubscriptionService subscriptions;
    private final StatsQueries stats;
    private final AttemptRequests requests;
    private final AccountLimiter limiter;
    private final WorkerExecutor workers;
    private final Clock clock;

    /**
     * @param limiter counts both request views and resends, per account
     * @param workers where reads and resends wait for the broker (a pool of their own)
     */
    public AttemptRoutes(SubscriptionService subscriptions, StatsQueries stats, AttemptRequests requests, AccountLimiter limiter,
                         WorkerExecutor workers, Clock clock) {
        this.subscriptions = subscriptions;
        this.stats = stats;
        this.requests = requests;
        this.limiter = limiter;
        this.workers = workers;
        this.clock = clock;
    }

    void list(RoutingContext ctx, Principal caller) {
        Optional<AttemptLog.Query> query = query(ctx, ctx.pathParam("id"));
        if (query.isEmpty()) {
            return;
        }
        Replies.withSubscription(ctx, subscriptions, caller, subscription -> stats.attempts(query.get()).onComplete(done -> {
            if (done.succeeded() && done.result().isPresent()) {
                send(ctx, 200, JsonViews.attemptPage(done.result().get()));
            } else {
                send(ctx, 503, JsonViews.error("the attempt log is moving between instances; ask again shortly"));
            }
        }));
    }

    void one(RoutingContext ctx, Principal caller) {
        withAttempt(ctx, caller, (subscription, attempt) -> withRequest(ctx, attempt,
                request -> send(ctx, 200, JsonViews.attemptWithRequest(attempt, JsonViews.sentRequest(request, attempt, subscription), null)),
                why -> send(ctx, 200, JsonViews.attemptWithRequest(attempt, null, why))));
    }

    void resend(RoutingContext ctx, Principal caller) {
        withAttempt(ctx, caller, (subscription, attempt) -> withRequest(ctx, attempt, request -> workers.<String>executeBlocking(
                () -> requests.resend(request, clock.instant()), false).onComplete(done -> {
                    if (done.failed()) {
                        LOG.warn("resending {} failed", attempt.getAttemptId(), done.cause());
                        Replies.retryLater(ctx, 503, Duration.ofSeconds(5), "the webhook could not be queued again; try again shortly");
                        return;
                    }
                    ObjectNode body = JsonViews.JSON.createObjectNode();
                    body.put("webhookId", request.getWebhookId());
                    body.put("resendId", done.result());
                    body.put("attemptIdPrefix", request.getWebhookId() + "/" + done.result() + "/");
                    send(ctx, 202, body);
                }), why -> send(ctx, 409, JsonViews.error("this attempt's request cannot be sent again: " + why))));
    }

    /** The page asked for, or an answer already sent (400). */
    private static Optional<AttemptLog.Query> query(RoutingContext ctx, String subscriptionId) {
        int limit = 50;
        String limitText = ctx.request().getParam("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > AttemptLog.MAX_PAGE) {
                send(ctx, 400, problems("invalid attempt query", "limit: must be a whole number from 1 to " + AttemptLog.MAX_PAGE));
                return Optional.empty();
            }
        }
        String before = ctx.request().getParam("before");
        if (before != null && !CURSOR.matcher(before).matches()) {
            send(ctx, 400, problems("invalid attempt query", "before: not a cursor of this API (use the 'next' of a page)"));
            return Optional.empty();
        }
        AttemptOutcome outcome = null;
        String outcomeText = ctx.request().getParam("outcome");
        if (outcomeText != null) {
            try {
                outcome = AttemptOutcome.valueOf(outcomeText);
            } catch (IllegalArgumentException e) {
                send(ctx, 400, problems("invalid attempt query", "outcome: must be one of " + java.util.Arrays.toString(AttemptOutcome.values())));
                return Optional.empty();
            }
        }
        Long callId = null;
        String callText = ctx.request().getParam("callId");
        if (callText != null) {
            try {
                callId = Long.parseLong(callText);
            } catch (NumberFormatException e) {
                send(ctx, 400, problems("invalid attempt query", "callId: must be a whole number"));
                return Optional.empty();
            }
        }
        return Optional.of(new AttemptLog.Query(subscriptionId, before, limit, outcome, callId, null));
    }

    /** The attempt named by the path, of a subscription the caller may see, after the account's limit admits it. */
    private void withAttempt(RoutingContext ctx, Principal caller, BiConsumer<Subscription, DeliveryAttempt> action) {
        Replies.withSubscription(ctx, subscriptions, caller, subscription -> {
            if (limiter.tryAcquire(subscription.getAccountId()) instanceof AccountLimiter.Admission.Limited limited) {
                Replies.retryLater(ctx, 429, limited.retryAfter(), limited.message());
                return;
            }
            String attemptId = ctx.pathParam("attemptId");
            stats.attempts(new AttemptLog.Query(subscription.getId(), null, 1, null, null, attemptId)).onComplete(done -> {
                if (done.failed() || done.result().isEmpty()) {
                    send(ctx, 503, JsonViews.error("the attempt log is moving between instances; ask again shortly"));
                    return;
                }
                AttemptLog.Page page = done.result().get();
                if (page.attempts().isEmpty()) {
                    Replies.notFound(ctx, "attempt " + attemptId);
                    return;
                }
                action.accept(subscription, page.attempts().get(0));
            });
        });
    }

    private void withRequest(RoutingContext ctx, DeliveryAttempt attempt, Consumer<WebhookRequest> found,
                             Consumer<String> gone) {
        workers.executeBlocking(() -> requests.read(attempt), false).onComplete(done -> {
            if (done.failed()) {
                LOG.warn("reading the request of {} failed", attempt.getAttemptId(), done.cause());
                Replies.retryLater(ctx, 503, Duration.ofSeconds(5), "the request could not be read right now; try again shortly");
            } else if (done.result() instanceof AttemptRequests.Found.Request request) {
                found.accept(request.request());
            } else if (done.result() instanceof AttemptRequests.Found.Gone missing) {
                gone.accept(missing.why());
            }
        });
    }
}
