package io.callhook.store.api;

import static io.callhook.store.api.Replies.send;

import com.fasterxml.jackson.databind.JsonNode;
import io.callhook.store.stats.AttemptLog;
import io.callhook.store.stats.AttemptPages;
import io.callhook.store.stats.StatsAnswers;
import io.callhook.store.stats.StatsQueries;
import io.vertx.ext.web.RoutingContext;

/**
 * The endpoints the store's instances answer each other on ({@link StatsQueries#INTERNAL_PATH},
 * {@link StatsQueries#INTERNAL_ATTEMPTS_PATH}): what this instance keeps of the stats and the
 * attempt logs, for an instance asked about a subscription whose partition it does not hold.
 */
final class InternalRoutes {

    private final StatsQueries stats;

    InternalRoutes(StatsQueries stats) {
        this.stats = stats;
    }

    void stats(RoutingContext ctx) {
        JsonNode body = JsonBodies.optionalObject(ctx);
        if (body == null) {
            return;
        }
        send(ctx, 200, StatsAnswers.answer(stats.local(StatsAnswers.ids(body))));
    }

    void attempts(RoutingContext ctx) {
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
}
